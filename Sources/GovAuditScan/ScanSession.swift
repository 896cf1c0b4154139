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
    /// The figures, and the systems read back from the store one at a time for the report.
    public var report: EvaluationReport
    /// The stored scan's id; nil with `--no-store`.
    public var scanID: String?
    public var status: ScanStatus
    public var systemsDone: Int
    public var systemsPlanned: Int
    /// The most probe threads alive at once during the run (`BlockingPool.peak`).
    public var peakThreads: Int = 0
}

/// Why a scan could not be resumed: input the user must change (exit 2).
public struct ResumeRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A scan from start to store: begin (or resume) the stored scan, run the pipeline committing
/// each system as it finishes, then finish it with its summary, or mark it interrupted. Nothing
/// of a finished system stays in memory but its summary counts: the report reads the systems
/// back from the store.
public struct ScanSession: Sendable {
    public var pipeline: ScanPipeline
    /// nil: nothing is kept (`--no-store`); the scan goes to a temporary store, removed once its
    /// report is no longer needed.
    public var store: HistoryStore?
    public var catalog: EvidenceCatalog
    /// How drift groups outbound hosts into domains: the CLI gives the Public Suffix List.
    public var grouping: DomainGrouping

    public init(pipeline: ScanPipeline, store: HistoryStore?, catalog: EvidenceCatalog, grouping: DomainGrouping = .hostNames) {
        self.pipeline = pipeline
        self.store = store
        self.catalog = catalog
        self.grouping = grouping
    }

    /// A new scan of every system of the request.
    public func start(_ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void = { _ in }) async throws -> ScanOutcome {
        let target: HistoryStore, spool: Spool?
        if let store { (target, spool) = (store, nil) } else { let s = try Spool(); (target, spool) = (s.store, s) }
        let scanID = try await target.beginScan(NewScan(kind: request.kind, inventory: request.inventory,
                                                        inventoryHash: request.inventoryHash, checks: request.checks.map(\.rawValue),
                                                        scope: scope(request), provenance: request.provenance))
        return try await run(request, store: target, scanID: scanID, spool: spool,
                             tally: SummaryTally(policy: pipeline.evaluator.policy, inventory: request.inventory), progress: progress)
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
        // The systems already stored are judged again from their stored evidence, one at a time
        // and only counted: the same policy and day give the same findings, so the result equals
        // an uninterrupted scan's.
        var tally = SummaryTally(policy: pipeline.evaluator.policy, inventory: request.inventory)
        let stored = readBack(store: store, scanID: id, inventory: request.inventory)
        try await stored.forEach { tally.add($0) }
        var resumed = request
        resumed.inventory.systems = request.inventory.systems.filter { !committed.contains($0.id) }
        return try await run(resumed, store: store, scanID: id, spool: nil, tally: tally, fullInventory: request.inventory,
                             progress: progress)
    }

    private func run(_ request: ScanRequest, store: HistoryStore, scanID: String, spool: Spool?, tally: SummaryTally,
                     fullInventory: Inventory? = nil, progress: @escaping @Sendable (ScanProgress) -> Void) async throws -> ScanOutcome {
        let inventory = fullInventory ?? request.inventory
        var pipeline = pipeline
        let drift = try await DriftStep(store: store, scanID: scanID, catalog: catalog, grouping: grouping)
        pipeline.derive = { system, evidence in try await drift.evidence(for: system, evidence) }
        if let last = try await store.completeScans(in: request.series, limit: 1).first {
            pipeline.previousDurations = try await store.slowestEndpoints(of: last.id).mapValues { .milliseconds($0) }
        }
        let result = try await pipeline.run(request.inventory.systems, provinceDomain: inventory.domain, tally: tally, finished: { e, timings in
            let (evidence, captures) = EvidenceBundles.split(e.evidence, findings: e.findings)
            let durations = timings.map { EndpointDuration(endpoint: $0.endpoint.description, milliseconds: $0.duration.wholeMilliseconds) }
            try await store.commitSystem(scan: scanID, system: e.system, evidence: evidence, findings: e.findings,
                                         judgement: e.judgement, captures: captures, durations: durations, at: Date())
        }, progress: progress)
        let summary = result.tally.summary
        let complete = !result.cancelled && result.tally.count == inventory.systems.count
        if complete {
            try await store.finishScan(scanID, summary: summary, at: Date())
        } else {
            try await store.markInterrupted(scanID, at: Date())
        }
        var systems = readBack(store: store, scanID: scanID, inventory: inventory)
        systems.owner = spool
        let report = EvaluationReport(asOf: pipeline.asOf, inventory: inventory, summary: summary, probed: true, systems: systems)
        return ScanOutcome(report: report, scanID: spool == nil ? scanID : nil, status: complete ? .complete : .interrupted,
                           systemsDone: result.tally.count, systemsPlanned: inventory.systems.count, peakThreads: result.peakThreads)
    }

    /// The committed systems of `scanID`, in the inventory's order, as the scan judged them (a
    /// resume is refused when the policy changed, so the stored judgements are this policy's).
    private func readBack(store: HistoryStore, scanID: String, inventory: Inventory) -> StoredSystems {
        var systems = StoredSystems(store: store, scanID: scanID, systems: inventory.systems, evaluator: pipeline.evaluator,
                                    asOf: pipeline.asOf, provinceDomain: inventory.domain, catalog: catalog)
        systems.readsJudgements = true
        return systems
    }

    private func scope(_ request: ScanRequest) -> ScanScope {
        var options = request.options
        options[ScopeKeys.asOf] = pipeline.asOf.description
        return ScanScope(systems: request.inventory.systems.map(\.id), options: options)
    }
}
