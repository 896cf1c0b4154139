import Foundation
import GovAuditCore
import GovAuditStore

/// Adds to each system's evidence, before it is judged, its drift evidence (`links.drift`): per
/// web endpoint the crawl read, the state now and the baseline it is compared with, the one a
/// person accepted, else the same endpoint in the previous complete scan of the series. Facts
/// from the history, no policy: the drift rules judge them.
struct DriftStep: Sendable {
    var store: HistoryStore
    /// The scan being made: its series and start (the previous scan started before it).
    var scan: ScanRecord
    var catalog: EvidenceCatalog
    /// How outbound hosts group into domains, for the state now and the baseline alike.
    var grouping: DomainGrouping
    /// The previous complete scan of the series, looked up once per scan.
    var previous: ScanRecord?

    init(store: HistoryStore, scanID: String, catalog: EvidenceCatalog, grouping: DomainGrouping) async throws(StoreError) {
        self.store = store
        self.catalog = catalog
        self.grouping = grouping
        scan = try await store.scan(scanID)
        previous = try await store.completeScans(in: scan.series, before: scan.startedAt, limit: 1).first
    }

    func evidence(for system: System, _ evidence: [Evidence]) async throws(StoreError) -> [Evidence] {
        let crawled = system.endpoints.filter { ep in evidence.contains { $0.kind == LinkPages.kind && $0.endpoint == ep && $0.outcome == .collected } }
        guard !crawled.isEmpty else { return DriftEvidence.make(system, evidence, baselines: [:], grouping: grouping) }
        var baselines: [Endpoint: LinkDrift.Baseline] = [:]
        let accepted = try await store.baseline(of: system.id)
        var earlier: [Evidence]?
        for endpoint in crawled {
            if let a = accepted, let snapshot = a.snapshots[endpoint.description] {
                baselines[endpoint] = .init(source: LinkDrift.Baseline.accepted, scan: a.scan, at: Timestamp(a.at).description,
                                            acceptedBy: a.by, snapshot: snapshot)
            } else if let previous {
                if earlier == nil { earlier = try await store.evidence(of: previous.id, system: system.id, catalog: catalog).evidence }
                if let snapshot = DriftEvidence.snapshot(in: earlier!, endpoint: endpoint) {
                    baselines[endpoint] = .init(source: LinkDrift.Baseline.previousScan, scan: previous.id,
                                                at: Timestamp(previous.startedAt).description, snapshot: snapshot)
                }
            }
        }
        return DriftEvidence.make(system, evidence, baselines: baselines, grouping: grouping)
    }
}

/// The drift evidence of a system from its crawl and the baselines found for its endpoints:
/// pure, so a test derives what a scan stores.
public enum DriftEvidence {
    /// Per web endpoint the crawl read, its state and its baseline (none: a first scan); per
    /// endpoint whose crawl failed, could-not-test. Outbound hosts are grouped by `grouping`,
    /// the baseline's again too, so a baseline stored under another grouping compares as sets.
    public static func make(_ system: System, _ evidence: [Evidence], baselines: [Endpoint: LinkDrift.Baseline],
                            grouping: DomainGrouping = .hostNames) -> [Evidence] {
        system.endpoints.filter { $0.scheme != nil }.compactMap { endpoint in
            guard let crawl = evidence.first(where: { $0.kind == LinkPages.kind && $0.endpoint == endpoint }) else { return nil }
            guard let pages = crawl.facts(as: LinkPages.self) else {
                return crawl.outcome == .notApplicable ? nil
                    : Evidence(LinkDrift.self, endpoint: endpoint, outcome: .couldNotTest("the crawl did not read the site"))
            }
            var baseline = baselines[endpoint]
            if let snapshot = baseline?.snapshot { baseline?.snapshot = snapshot.regrouped(grouping) }
            return Evidence(endpoint: endpoint, facts: LinkDrift(current: SiteSnapshot(pages, grouping: grouping), baseline: baseline))
        }
    }

    /// An endpoint's state in a stored scan: its drift evidence's, else (a scan of an older
    /// build, or one whose system the scan did not commit) derived from its crawl.
    public static func snapshot(in evidence: [Evidence], endpoint: Endpoint) -> SiteSnapshot? {
        let mine = evidence.filter { $0.endpoint == endpoint }
        if let drift = mine.lazy.compactMap({ $0.facts(as: LinkDrift.self) }).first { return drift.current }
        return mine.lazy.compactMap { $0.facts(as: LinkPages.self) }.first.map { SiteSnapshot($0) }
    }
}
