import Foundation
import GovAuditCore
import GRDB

/// A raw response kept for the findings that cite it (`EvidenceBundles`).
public struct FindingCapture: Sendable, Equatable {
    public var endpoint: String
    public var capture: RawCapture
    /// Keys of the findings of this scan that cite it.
    public var keys: [String]

    public init(endpoint: String, capture: RawCapture, keys: [String]) {
        self.endpoint = endpoint
        self.capture = capture
        self.keys = keys
    }
}

/// A stored capture read back for `govaudit evidence`.
public struct StoredCapture: Sendable {
    public var id: Int64
    public var scan: String
    public var system: String
    public var endpoint: String
    public var capture: RawCapture
}

extension HistoryStore {
    /// The captures cited by finding `key`, in the newest scan that kept any for it (or in `scan`).
    public func captures(of key: String, scan: String? = nil) async throws(StoreError) -> [StoredCapture] {
        try await read { db in
            let newest = try String.fetchOne(db, sql: """
                SELECT fc.scan_id FROM finding_captures fc JOIN scans s ON s.id = fc.scan_id
                WHERE fc.key = ? AND (? IS NULL OR fc.scan_id = ?) ORDER BY s.started_at DESC LIMIT 1
                """, arguments: [key, scan, scan])
            guard let newest else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT c.* FROM captures c JOIN finding_captures fc ON fc.capture_id = c.id
                WHERE fc.key = ? AND fc.scan_id = ? ORDER BY c.id
                """, arguments: [key, newest]).map { row in
                let what = "a capture of finding \(key)"
                let truncated: Int = row["truncated"]
                let capture = RawCapture(page: row["page"], visitor: row["visitor"], url: row["url"], fetchedAt: row["fetched_at"],
                                         status: row["status"], headers: try self.decoded([HeaderField].self, row["headers"], what),
                                         body: row["body"], size: row["size"], truncated: truncated == 1, sha256: row["sha256"])
                return StoredCapture(id: row["id"], scan: row["scan_id"], system: row["system_id"], endpoint: row["endpoint"], capture: capture)
            }
        }
    }

    /// Inserts one system's captures inside its commit transaction.
    static func insertCaptures(_ db: Database, _ rows: [(FindingCapture, String)], scan: String, system: String) throws {
        guard !rows.isEmpty else { return }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO captures (scan_id, system_id, endpoint, page, visitor, url, fetched_at, status, headers, body, size, truncated, sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let cite = try db.cachedStatement(sql: "INSERT OR IGNORE INTO finding_captures (capture_id, scan_id, key) VALUES (?, ?, ?)")
        for (fc, headers) in rows {
            let c = fc.capture
            try insert.execute(arguments: [scan, system, fc.endpoint, c.page, c.visitor, c.url, c.fetchedAt, c.status, headers, c.body,
                                           c.size, c.truncated ? 1 : 0, c.sha256])
            let id = db.lastInsertedRowID
            for key in fc.keys { try cite.execute(arguments: [id, scan, key]) }
        }
    }
}
