import Foundation
import GovAuditCore
import GovAuditStore

/// `govaudit baseline`: accepting a system's state as expected, and reading what drift is
/// judged against.
public enum Baselines {
    /// Why a baseline cannot be accepted: input the user must change (exit 2).
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// A system's drift in one stored scan, per web endpoint.
    public struct Latest: Sendable {
        public var scan: ScanRecord
        public var endpoints: [(endpoint: Endpoint, drift: LinkDrift)]
    }

    /// Records `system`'s state in `scan` (default: the newest complete scan that crawled it)
    /// as the expected one.
    public static func accept(system: String, scan: String?, by: String, reason: String, at: Date, store: HistoryStore,
                              catalog: EvidenceCatalog) async throws -> AcceptedBaseline {
        let record: ScanRecord
        if let scan {
            record = try await store.scan(scan)
            guard record.status == .complete else {
                throw Refusal(description: "scan \(scan) is \(record.status.rawValue): accept the state of a complete scan")
            }
        } else {
            guard let latest = try await store.latestCompleteScan(storing: LinkPages.kind, of: system) else {
                throw Refusal(description: "no complete scan crawled system '\(system)': run a scan with the links check first")
            }
            record = latest
        }
        guard let stored = try await store.system(system, of: record.id) else {
            throw Refusal(description: "scan \(record.id) has no system '\(system)'")
        }
        let evidence = try await store.evidence(of: record.id, system: system, catalog: catalog).evidence
        var snapshots: [String: SiteSnapshot] = [:]
        for endpoint in stored.system.endpoints where endpoint.scheme != nil {
            if let s = DriftEvidence.snapshot(in: evidence, endpoint: endpoint) { snapshots[endpoint.description] = s }
        }
        guard !snapshots.isEmpty else {
            throw Refusal(description: "scan \(record.id) holds no crawl of system '\(system)' (links check not run, or no site read)")
        }
        let baseline = AcceptedBaseline(system: system, scan: record.id, snapshots: snapshots, by: by, reason: reason, at: at)
        try await store.acceptBaseline(baseline)
        return baseline
    }

    /// The drift evidence of `system` in its newest complete scan that has some; nil when none does.
    public static func latest(system: String, store: HistoryStore, catalog: EvidenceCatalog) async throws -> Latest? {
        guard let record = try await store.latestCompleteScan(storing: LinkDrift.kind, of: system) else { return nil }
        let evidence = try await store.evidence(of: record.id, system: system, catalog: catalog).evidence
        let drift = evidence.compactMap { e in e.endpoint.flatMap { ep in e.facts(as: LinkDrift.self).map { (ep, $0) } } }
        return Latest(scan: record, endpoints: drift)
    }
}
