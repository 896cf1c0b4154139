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
/// day, their stored evidence, under any policy and as-of day (`evaluate --scan`).
public enum StoredScan {
    public struct Rejudged: Sendable {
        public var record: ScanRecord
        public var evaluation: Evaluation
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
        var inventory = record.inventory
        var systems: [SystemEvaluation] = []
        var unknown = Set<String>()
        for systemID in try await store.committedSystems(of: id) {
            guard let stored = try await store.system(systemID, of: id) else { continue }
            let evidence = try await store.evidence(of: id, system: systemID, catalog: catalog)
            unknown.formUnion(evidence.unknown.map(\.kind))
            inventory.systems.append(stored.system)
            // A scan always probed (even when a step failed): network rules judge what it saw.
            if let e = evaluator.evaluate(stored.system, asOf: day, evidence: evidence.evidence, provinceDomain: inventory.domain) {
                systems.append(e)
            }
        }
        return Rejudged(record: record, evaluation: Evaluation(asOf: day, inventory: inventory, systems: systems,
                                                               policy: evaluator.policy, probed: true),
                        unknownKinds: unknown.sorted())
    }
}
