import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore

/// What to scan and how it is recorded: everything a new scan stores as its scope.
public struct ScanRequest: Sendable {
    public var kind: ScanKind
    public var inventory: Inventory
    /// SHA-256 of the inventory file (or of the target, for an audit), so a resume can refuse a
    /// changed inventory.
    public var inventoryHash: String
    public var checks: [Check]
    /// The run's options as text, kept in the scope and compared on resume.
    public var options: [String: String]
    public var provenance: ScanProvenance

    public init(kind: ScanKind, inventory: Inventory, inventoryHash: String, checks: [Check],
                options: [String: String], provenance: ScanProvenance) {
        self.kind = kind
        self.inventory = inventory
        self.inventoryHash = inventoryHash
        self.checks = checks
        self.options = options
        self.provenance = provenance
    }

    public var series: ScanSeries {
        ScanSeries(kind: kind, inventoryName: inventory.name, checks: checks.map(\.rawValue))
    }
}

/// How a scan ended.
public struct ScanOutcome: Sendable {
    public var evaluation: Evaluation
    /// The stored scan's id; nil with `--no-store`.
    public var scanID: String?
    public var status: ScanStatus
    public var systemsDone: Int
    public var systemsPlanned: Int
}

/// Why a scan could not be resumed: input the user must change (exit 2).
public struct ResumeRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A scan from start to store: begin (or resume) the stored scan, run the pipeline committing
/// each system as it finishes, then finish it with its summary, or mark it interrupted.
public struct ScanSession: Sendable {
    public var pipeline: ScanPipeline
    /// nil: nothing is stored (`--no-store`).
    public var store: HistoryStore?
    public var catalog: EvidenceCatalog

    public init(pipeline: ScanPipeline, store: HistoryStore?, catalog: EvidenceCatalog) {
        self.pipeline = pipeline
        self.store = store
        self.catalog = catalog
    }

    /// A new scan of every system of the request.
    public func start(_ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void = { _ in }) async throws -> ScanOutcome {
        var scanID: String?
        if let store {
            scanID = try await store.beginScan(NewScan(kind: request.kind, inventory: request.inventory,
                                                       inventoryHash: request.inventoryHash, checks: request.checks.map(\.rawValue),
                                                       scope: scope(request), provenance: request.provenance))
        }
        return try await run(request, scanID: scanID, done: [], progress: progress)
    }

    /// Finishes the unfinished scan `id` (interrupted, or left running by a killed process):
    /// probes only the systems it has not committed. Refused when the inventory, the policy or
    /// the checks differ from the scan's, since the result would not be one scan.
    public func resume(_ id: String, request: ScanRequest,
                       progress: @escaping @Sendable (ScanProgress) -> Void = { _ in }) async throws -> ScanOutcome {
        guard let store else { throw ResumeRefusal(description: "--resume needs the history store (no --no-store)") }
        let record = try await store.scan(id)
        guard record.status != .complete else {
            throw ResumeRefusal(description: "scan \(id) is already complete; nothing to resume")
        }
        if record.inventoryHash != request.inventoryHash {
            throw ResumeRefusal(description: "the inventory changed since scan \(id) began; start a new scan instead")
        }
        if record.policyHash != request.provenance.policyHash {
            throw ResumeRefusal(description: "the policy changed since scan \(id) began (\(record.policyHash.prefix(12)) → \(request.provenance.policyHash.prefix(12))); start a new scan instead")
        }
        if record.series != request.series {
            throw ResumeRefusal(description: "scan \(id) covered checks \(record.series.checks.joined(separator: ",")) of '\(record.series.inventoryName)'; give the same --checks and inventory")
        }
        let committed = Set(try await store.committedSystems(of: id))
        _ = try await store.resumeScan(id)
        // The systems already stored are judged again from their stored evidence: the same policy
        // and day give the same findings, so the result equals an uninterrupted scan's.
        var done: [SystemEvaluation] = []
        for system in request.inventory.systems where committed.contains(system.id) {
            let stored = try await store.evidence(of: id, system: system.id, catalog: catalog)
            if let e = pipeline.evaluator.evaluate(system, asOf: pipeline.asOf, evidence: stored.evidence,
                                                   provinceDomain: request.inventory.domain) {
                done.append(e)
            }
        }
        var resumed = request
        resumed.inventory.systems = request.inventory.systems.filter { !committed.contains($0.id) }
        return try await run(resumed, scanID: id, done: done, fullInventory: request.inventory, progress: progress)
    }

    private func run(_ request: ScanRequest, scanID: String?, done: [SystemEvaluation], fullInventory: Inventory? = nil,
                     progress: @escaping @Sendable (ScanProgress) -> Void) async throws -> ScanOutcome {
        let store = self.store
        let inventory = fullInventory ?? request.inventory
        let result = try await pipeline.run(request.inventory.systems, provinceDomain: inventory.domain, finished: { e in
            guard let store, let scanID else { return }
            try await store.commitSystem(scan: scanID, system: e.system, evidence: e.evidence, findings: e.findings, at: Date())
        }, progress: progress)
        // In the inventory's order, whatever order they finished in.
        let byID = Dictionary((done + result.systems).map { ($0.system.id, $0) }, uniquingKeysWith: { a, _ in a })
        let systems = inventory.systems.compactMap { byID[$0.id] }
        let evaluation = Evaluation(asOf: pipeline.asOf, inventory: inventory, systems: systems,
                                    policy: pipeline.evaluator.policy, probed: true)
        let complete = !result.cancelled && systems.count == inventory.systems.count
        if let store, let scanID {
            if complete {
                try await store.finishScan(scanID, summary: evaluation.summary, at: Date())
            } else {
                try await store.markInterrupted(scanID, at: Date())
            }
        }
        return ScanOutcome(evaluation: evaluation, scanID: scanID, status: complete ? .complete : .interrupted,
                           systemsDone: systems.count, systemsPlanned: inventory.systems.count)
    }

    private func scope(_ request: ScanRequest) -> ScanScope {
        var options = request.options
        options[ScopeKeys.asOf] = pipeline.asOf.description
        return ScanScope(systems: request.inventory.systems.map(\.id), options: options)
    }
}
