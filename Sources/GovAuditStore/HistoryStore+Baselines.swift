import Foundation
import GovAuditCore
import GRDB

/// A system's state as a person accepted it (`govaudit baseline accept`): what drift is
/// judged against until the next acceptance.
public struct AcceptedBaseline: Sendable, Codable, Equatable {
    public var system: String
    /// The scan whose state was accepted.
    public var scan: String
    /// Per endpoint (its text form), the accepted state.
    public var snapshots: [String: SiteSnapshot]
    public var by: String
    public var reason: String
    public var at: Date

    public init(system: String, scan: String, snapshots: [String: SiteSnapshot], by: String, reason: String, at: Date) {
        self.system = system
        self.scan = scan
        self.snapshots = snapshots
        self.by = by
        self.reason = reason
        self.at = at
    }
}

extension HistoryStore {
    /// Records an acceptance; earlier ones are kept, the latest is in force.
    public func acceptBaseline(_ b: AcceptedBaseline) async throws(StoreError) {
        try await write { db in
            let json: String
            do { json = try StoreCoding.encode(b.snapshots) } catch {
                throw StoreError.unencodable(path: self.path, what: "the baseline of \(b.system)", detail: "\(error)")
            }
            try db.execute(sql: """
                INSERT INTO baselines (system_id, scan_id, snapshots, accepted_by, reason, accepted_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [b.system, b.scan, json, b.by, b.reason, StoreCoding.text(b.at)])
        }
    }

    /// The baseline in force for a system; nil when none was ever accepted.
    public func baseline(of system: String) async throws(StoreError) -> AcceptedBaseline? {
        try await baselineHistory(of: system).last
    }

    /// Every acceptance for a system, oldest first.
    public func baselineHistory(of system: String) async throws(StoreError) -> [AcceptedBaseline] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT scan_id, snapshots, accepted_by, reason, accepted_at FROM baselines WHERE system_id = ? ORDER BY id
                """, arguments: [system]).map { row in
                let what = "the baseline of \(system)"
                return AcceptedBaseline(system: system, scan: row["scan_id"],
                                        snapshots: try self.decoded([String: SiteSnapshot].self, row["snapshots"], what),
                                        by: row["accepted_by"], reason: row["reason"], at: try self.date(row["accepted_at"], what))
            }
        }
    }

    /// The newest complete scan that stored evidence of `kind` for `system` (what `baseline
    /// accept` takes the state from); nil when none did.
    public func latestCompleteScan(storing kind: String, of system: String) async throws(StoreError) -> ScanRecord? {
        try await read { db in
            try String.fetchOne(db, sql: """
                SELECT s.id FROM scans s
                WHERE s.status = 'complete'
                  AND EXISTS (SELECT 1 FROM evidence e WHERE e.scan_id = s.id AND e.system_id = ? AND e.kind = ?)
                ORDER BY s.started_at DESC, s.id DESC LIMIT 1
                """, arguments: [system, kind]).map { try self.scanRecord(db, $0) }
        }
    }
}
