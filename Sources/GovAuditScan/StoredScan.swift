import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore

/// Scope entries a scan stores beside the run's options, so it can be judged again later.
enum ScopeKeys {
    /// The day the scan was evaluated as of.
    static let asOf = "asOf"
    /// The inventory's name, domain and agencies as JSON (its systems are stored one by one).
    static let inventory = "inventory"
}

/// A stored scan read back and judged again, without the network: its systems as they were that
/// day, their stored evidence, under any policy and as-of day (`evaluate --scan`). One system's
/// evidence at a time: a first pass counts the figures, the report reads the systems again.
public enum StoredScan {
    public struct Rejudged: Sendable {
        public var record: ScanRecord
        public var report: EvaluationReport
        /// Evidence kinds this build does not know (stored by another version): the judgement
        /// lacks whatever rules would have read them.
        public var unknownKinds: [String]
    }

    /// The day a stored scan was evaluated as of (its own as-of, not the day it is read).
    public static func asOf(_ record: ScanRecord) -> CalendarDate? {
        record.scope.options[ScopeKeys.asOf].flatMap { CalendarDate(parsing: $0) }
    }

    /// Judges stored scan `id` under `evaluator`'s policy on `asOf` (default: the scan's own day).
    public static func rejudge(_ id: String, store: HistoryStore, evaluator: Evaluator, asOf: CalendarDate?,
                               catalog: EvidenceCatalog) async throws -> Rejudged {
        let record = try await store.scan(id)
        let day = asOf ?? Self.asOf(record) ?? CalendarDate(record.startedAt, in: CalendarDate.vietnamTimeZone)
        // The systems in the order they were committed, with their records as they were that day.
        var inventory = record.inventory
        for systemID in try await store.committedSystems(of: id) {
            if let stored = try await store.system(systemID, of: id) { inventory.systems.append(stored.system) }
        }
        let systems = StoredSystems(store: store, scanID: id, systems: inventory.systems, evaluator: evaluator, asOf: day,
                                    provinceDomain: inventory.domain, catalog: catalog)
        var tally = SummaryTally(policy: evaluator.policy, inventory: inventory)
        var unknown = Set<String>()
        for system in inventory.systems {
            let (evaluation, kinds) = try await systems.evaluateReporting(system)
            unknown.formUnion(kinds)
            if let evaluation { tally.add(evaluation) }
        }
        return Rejudged(record: record, report: EvaluationReport(asOf: day, inventory: inventory, summary: tally.summary,
                                                                 probed: true, systems: systems),
                        unknownKinds: unknown.sorted())
    }
}
