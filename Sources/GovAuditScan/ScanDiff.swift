import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore

/// What changed between two stored scans, per system: findings that appeared, went away or
/// changed (same key, another severity or status, or another value of a fact its rule declares
/// identifying: `IdentifyingFacts`), and changes in the inventory records.
public struct ScanDiff: Sendable, Codable {
    public var old: String
    public var new: String
    public var systems: [SystemChanges]

    public struct FindingChange: Sendable, Codable {
        public var finding: Finding
        /// For a changed finding: its severity and status in the old scan.
        public var oldSeverity: Severity?
        public var oldStatus: FindingStatus?
        /// For a changed finding: the identifying facts whose values changed.
        public var facts: [RecordChange]?
        /// When the key was first reported, in any stored scan ("open since").
        public var firstSeenScan: String?
        public var firstSeenAt: Date?
    }

    /// A changed value: an inventory record's field, or an identifying fact of a finding.
    public struct RecordChange: Sendable, Codable, Equatable {
        /// `dossier.status`, `level`, `layers.monitoring`, `system` (added or removed), or a fact name…
        public var field: String
        public var old: String
        public var new: String

        public init(field: String, old: String, new: String) {
            self.field = field
            self.old = old
            self.new = new
        }
    }

    public struct SystemChanges: Sendable, Codable {
        public var system: String
        public var newFindings: [FindingChange]
        public var resolved: [FindingChange]
        public var changed: [FindingChange]
        public var records: [RecordChange]

        public var isEmpty: Bool { newFindings.isEmpty && resolved.isEmpty && changed.isEmpty && records.isEmpty }
    }

    public var isEmpty: Bool { systems.allSatisfy(\.isEmpty) }

    /// New or changed open findings at or above `severity`: what `diff --fail-on` acts on.
    public func worsened(atLeast severity: Severity) -> [Finding] {
        systems.flatMap { $0.newFindings + $0.changed }.map(\.finding).filter { $0.isOpen && $0.severity >= severity }
    }

    /// Compares stored scans `old` and `new` (systems in `new`'s order, then those only in `old`).
    public static func compare(_ old: String, _ new: String, store: HistoryStore) async throws -> ScanDiff {
        let oldSystems = try await store.committedSystems(of: old), newSystems = try await store.committedSystems(of: new)
        let oldFindings = Dictionary(grouping: try await store.findings(of: old), by: \.system)
        let newFindings = Dictionary(grouping: try await store.findings(of: new), by: \.system)
        var ids = newSystems
        ids += oldSystems.filter { !Set(newSystems).contains($0) }
        var result: [SystemChanges] = []
        var appeared: [String] = []
        for id in ids {
            let before = Dictionary((oldFindings[id] ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let after = Dictionary((newFindings[id] ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            var changes = SystemChanges(system: id, newFindings: [], resolved: [], changed: [], records: [])
            for f in newFindings[id] ?? [] {
                guard let was = before[f.key] else {
                    changes.newFindings.append(FindingChange(finding: f))
                    appeared.append(f.key)
                    continue
                }
                if let change = change(was, f) { changes.changed.append(change) }
            }
            changes.resolved = (oldFindings[id] ?? []).filter { after[$0.key] == nil }.map { FindingChange(finding: $0) }
            let was = try await store.system(id, of: old)?.system, now = try await store.system(id, of: new)?.system
            changes.records = recordChanges(was, now)
            result.append(changes)
        }
        // "Open since": the first scan that ever reported each new finding's key.
        let firstSeen = try await store.firstSeen(appeared)
        for i in result.indices {
            for j in result[i].newFindings.indices {
                let seen = firstSeen[result[i].newFindings[j].finding.key]
                result[i].newFindings[j].firstSeenScan = seen?.scan
                result[i].newFindings[j].firstSeenAt = seen?.at
            }
        }
        return ScanDiff(old: old, new: new, systems: result.filter { !$0.isEmpty })
    }

    /// How a finding of one key differs between two scans; nil when it did not change.
    public static func change(_ was: Finding, _ now: Finding) -> FindingChange? {
        let facts = IdentifyingFacts.changes(was, now).map { RecordChange(field: $0.name, old: $0.old, new: $0.new) }
        guard was.severity != now.severity || was.status != now.status || !facts.isEmpty else { return nil }
        return FindingChange(finding: now, oldSeverity: was.severity, oldStatus: was.status, facts: facts.isEmpty ? nil : facts)
    }

    /// Changes in what the inventory said about a system: its presence, level, dossier and layers.
    static func recordChanges(_ old: System?, _ new: System?) -> [RecordChange] {
        switch (old, new) {
        case (nil, nil): return []
        case (nil, _): return [RecordChange(field: "system", old: "absent", new: "present")]
        case (_, nil): return [RecordChange(field: "system", old: "present", new: "absent")]
        case (let a?, let b?):
            var out: [RecordChange] = []
            func compare(_ field: String, _ x: String, _ y: String) {
                if x != y { out.append(RecordChange(field: field, old: x, new: y)) }
            }
            compare("level", a.level.description, b.level.description)
            compare("dossier.status", a.dossier.status.rawValue, b.dossier.status.rawValue)
            compare("dossier.decision", a.dossier.decision?.number ?? "none", b.dossier.decision?.number ?? "none")
            for (field, x, y) in layerRecords(a, b) { compare(field, x, y) }
            return out
        }
    }

    private static func layerRecords(_ a: System, _ b: System) -> [(String, String, String)] {
        func describe(_ value: (some Encodable)?) -> String {
            guard let value else { return "none" }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
        return [("layers.onSite", describe(a.layers.onSite), describe(b.layers.onSite)),
                ("layers.monitoring", describe(a.layers.monitoring), describe(b.layers.monitoring)),
                ("layers.assessment", describe(a.layers.assessment), describe(b.layers.assessment)),
                ("layers.nationalMonitoring", describe(a.layers.nationalMonitoring), describe(b.layers.nationalMonitoring))]
    }
}
