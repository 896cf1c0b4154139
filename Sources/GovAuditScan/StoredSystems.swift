import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore

/// The systems of a stored scan, read back when a report asks for them, a few (`readAhead`) at
/// a time: what a report of a large scan is rendered from, so that memory holds a few systems'
/// evidence at once, never the whole scan's. The scan's own report takes each system's stored
/// judgement; otherwise the stored evidence is judged, which under the scan's own policy and day
/// gives what the scan itself concluded (the resume and read-back tests hold it to that).
public struct StoredSystems: SystemEvaluations {
    public var store: HistoryStore
    public var scanID: String
    /// The systems in the report's order, as they were judged; those the scan did not commit
    /// are skipped.
    public var systems: [System]
    public var evaluator: Evaluator
    public var asOf: CalendarDate
    public var provinceDomain: String?
    public var catalog: EvidenceCatalog
    /// Kept alive as long as the systems can be read (a spool removed when released).
    var owner: (any Sendable)?
    /// Whether a system's stored judgement and findings stand for judging its evidence again:
    /// true for the scan's own report (the same policy, day and evidence), never when a stored
    /// scan is judged under another policy or day. A system stored without a judgement is judged.
    var readsJudgements = false

    public init(store: HistoryStore, scanID: String, systems: [System], evaluator: Evaluator, asOf: CalendarDate,
                provinceDomain: String?, catalog: EvidenceCatalog) {
        self.store = store
        self.scanID = scanID
        self.systems = systems
        self.evaluator = evaluator
        self.asOf = asOf
        self.provinceDomain = provinceDomain
        self.catalog = catalog
    }

    public func forEach(_ body: (SystemEvaluation) async throws -> Void) async throws {
        try await forEach(rendering: { $0 }, body)
    }

    /// How many systems are read, judged and rendered ahead of the one `body` takes: one per core
    /// keeps the cores busy while the report is written, and bounds what memory holds.
    static var readAhead: Int { max(2, ProcessInfo.processInfo.activeProcessorCount) }

    public func forEach<T: Sendable>(rendering render: @escaping @Sendable (SystemEvaluation) throws -> T,
                                     _ body: (T) async throws -> Void) async throws {
        try await readingAhead({ system in try await evaluate(system).map(render) }, body)
    }

    /// Where the judgements are read (the scan's own report), the evidence is handed as the JSON
    /// text the store keeps, never decoded; a system stored without a judgement is judged.
    public func forEach<T: Sendable>(renderingJSON render: @escaping @Sendable (SystemEvaluation, [EvidenceJSON]?) throws -> T,
                                     _ body: (T) async throws -> Void) async throws {
        guard readsJudgements else { return try await forEach(rendering: { try render($0, nil) }, body) }
        try await readingAhead({ system in
            if let judged = try await storedEvaluation(system, evidence: []) {
                return try render(judged, try await store.evidenceJSON(of: scanID, system: system.id, catalog: catalog))
            }
            return try await evaluate(system).map { try render($0, nil) }
        }, body)
    }

    /// `read` of each committed system, `readAhead` of them side by side, handed to `body` in the
    /// systems' order whatever order they finish in.
    private func readingAhead<T: Sendable>(_ read: @escaping @Sendable (System) async throws -> T?,
                                           _ body: (T) async throws -> Void) async throws {
        let committed = Set(try await store.committedSystems(of: scanID))
        let wanted = systems.filter { committed.contains($0.id) }
        try await withThrowingTaskGroup(of: (Int, T?).self) { group in
            var next = 0
            func start() {
                guard next < wanted.count else { return }
                let (i, system) = (next, wanted[next])
                next += 1
                group.addTask { (i, try await read(system)) }
            }
            for _ in 0..<Self.readAhead { start() }
            var ready: [Int: T?] = [:]
            var due = 0
            while due < wanted.count, let (i, rendered) = try await group.next() {
                ready[i] = .some(rendered)
                while let item = ready.removeValue(forKey: due) {
                    if let item { try await body(item) }
                    due += 1
                    start()
                }
            }
        }
    }

    /// `system` as the scan judged it (its stored judgement and findings) with `evidence`, when
    /// judgements are asked for and this one is there.
    private func storedEvaluation(_ system: System, evidence: [Evidence]) async throws -> SystemEvaluation? {
        guard readsJudgements, let judgement = try await store.judgement(of: scanID, system: system.id) else { return nil }
        return SystemEvaluation(system: system, judgement: judgement, findings: try await store.findings(of: scanID, system: system.id),
                                evidence: evidence)
    }

    /// One committed system judged from its stored evidence, with the kinds this build could
    /// not read (stored by another version).
    func evaluate(_ system: System) async throws -> SystemEvaluation? {
        try await evaluateReporting(system).evaluation
    }

    func evaluateReporting(_ system: System) async throws -> (evaluation: SystemEvaluation?, unknownKinds: [String]) {
        let stored = try await store.evidence(of: scanID, system: system.id, catalog: catalog)
        if let judged = try await storedEvaluation(system, evidence: stored.evidence) { return (judged, stored.unknown.map(\.kind)) }
        // A scan always probed (even when a step failed): network rules judge what it saw.
        return (evaluator.evaluate(system, asOf: asOf, evidence: stored.evidence, provinceDomain: provinceDomain),
                stored.unknown.map(\.kind))
    }
}

/// The temporary store a `--no-store` scan commits to, so that its report too is read back one
/// system at a time instead of held whole. Created 0600 in a private 0700 folder under the
/// temporary directory, and removed with the folder when the last reference goes.
final class Spool: Sendable {
    let store: HistoryStore
    private let folder: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-spool-XXXXXX").path
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SpoolError(detail: "cannot create a temporary folder under \(FileManager.default.temporaryDirectory.path): \(String(cString: strerror(errno)))")
        }
        folder = URL(fileURLWithPath: String(cString: made))
        do {
            store = try HistoryStore(StoreLocation(path: folder.appendingPathComponent("spool.sqlite").path))
        } catch {
            try? FileManager.default.removeItem(at: folder)   // cleanup of our own empty folder; the open error is what is thrown
            throw error
        }
    }

    deinit {
        try? store.close()   // the folder goes whatever the close says: nothing in it is kept
        try? FileManager.default.removeItem(at: folder)
    }
}

/// The temporary store of a `--no-store` scan could not be made.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var detail: String
    public var description: String { "--no-store: \(detail)" }
}
