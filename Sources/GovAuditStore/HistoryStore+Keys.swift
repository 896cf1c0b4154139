import Foundation
import GRDB

extension HistoryStore {
    /// When a finding key was first reported, by any stored scan; nil for a key never seen.
    /// Kept when that scan is pruned, so "open since" stays true.
    public func firstSeen(_ key: String) async throws(StoreError) -> FirstSeen? {
        try await firstSeen([key])[key]
    }

    /// First sightings of many keys at once (a report's "open since" column), by key.
    public func firstSeen(_ keys: [String]) async throws(StoreError) -> [String: FirstSeen] {
        try await read { db in
            var result: [String: FirstSeen] = [:]
            // Chunks keep each statement well under SQLite's limit on bound parameters.
            for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0 ..< min($0 + 500, keys.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: """
                    SELECT key, first_scan_id, first_seen_at FROM finding_keys WHERE key IN (\(marks))
                    """, arguments: StatementArguments(chunk)) {
                    let key: String = row["key"]
                    result[key] = FirstSeen(key: key, scan: row["first_scan_id"],
                                            at: try self.date(row["first_seen_at"], "the first sighting of \(key)"))
                }
            }
            return result
        }
    }

    /// Records a person's verdict on a finding key. Earlier verdicts are kept; the latest is the
    /// one in force. The key must have been reported by some stored scan.
    public func setTriage(_ triage: Triage) async throws(StoreError) {
        try await write { db in
            guard try Self.exists(db, "SELECT 1 FROM finding_keys WHERE key = ?", [triage.key]) else {
                throw StoreError.unknownFindingKey(path: self.path, key: triage.key)
            }
            try db.execute(sql: """
                INSERT INTO triage (key, verdict, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [triage.key, triage.verdict.rawValue, triage.reason, triage.by,
                                 StoreCoding.text(triage.at)])
        }
    }

    /// The verdict in force for a key; nil when nobody triaged it.
    public func triage(_ key: String) async throws(StoreError) -> Triage? {
        try await triageHistory(key).last
    }

    /// The verdict in force for every triaged key (the reports mark each finding with its own).
    public func triageInForce() async throws(StoreError) -> [String: Triage] {
        try await read { db in
            var latest: [String: Triage] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, verdict, reason, decided_by, decided_at FROM triage ORDER BY id") {
                let key: String = row["key"], text: String = row["verdict"]
                guard let verdict = TriageVerdict(rawValue: text) else {
                    throw StoreError.unreadableRecord(path: self.path, what: "the triage of \(key)", detail: "unknown verdict '\(text)'")
                }
                latest[key] = Triage(key: key, verdict: verdict, reason: row["reason"], by: row["decided_by"],
                                     at: try self.date(row["decided_at"], "the triage of \(key)"))
            }
            return latest
        }
    }

    /// Every verdict given on a key, oldest first.
    public func triageHistory(_ key: String) async throws(StoreError) -> [Triage] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT verdict, reason, decided_by, decided_at FROM triage WHERE key = ? ORDER BY id
                """, arguments: [key]).map { row in
                let what = "the triage of \(key)"
                let text: String = row["verdict"]
                guard let verdict = TriageVerdict(rawValue: text) else {
                    throw StoreError.unreadableRecord(path: self.path, what: what, detail: "unknown verdict '\(text)'")
                }
                return Triage(key: key, verdict: verdict, reason: row["reason"], by: row["decided_by"],
                              at: try self.date(row["decided_at"], what))
            }
        }
    }
}
