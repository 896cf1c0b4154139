import Foundation
import GRDB
import GovAuditCore

/// How a finding stood when alerted: its severity and the values of its rule's identifying
/// facts (`IdentifyingFacts`, as one text).
public struct AlertMark: Sendable, Hashable {
    public var severity: Severity
    public var facts: String

    public init(severity: Severity, facts: String) {
        self.severity = severity
        self.facts = facts
    }
}

/// A finding key already alerted in a series, at the highest severity alerted so far.
public struct AlertedKey: Sendable, Hashable {
    public var key: String
    public var severity: Severity
    public var facts: String
    /// The scan whose alert named it.
    public var scan: String
    public var at: Date
}

/// Where one alert message stands.
public enum DeliveryStatus: String, Sendable, Hashable, CaseIterable {
    /// Not delivered yet: the next alert step tries again.
    case pending
    case delivered
    /// Refused for good by its destination (the reason in `lastError`): never tried again.
    case failed
}

/// One alert message for one channel, kept until delivered. `id` is its idempotency id.
public struct StoredDelivery: Sendable, Hashable {
    public var id: String
    public var scan: String
    /// The channel's name (`webhook`, `mail`, `mail:<agency>`), never its address or secrets.
    public var channel: String
    /// The message as the alert module encoded it (JSON).
    public var payload: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date

    public var delivered: Bool { status == .delivered }

    public init(id: String, scan: String, channel: String, payload: String, status: DeliveryStatus = .pending, attempts: Int = 0,
                lastError: String? = nil, createdAt: Date) {
        self.id = id
        self.scan = scan
        self.channel = channel
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// What one alert step writes, in one transaction: the keys it alerted, the keys still open
/// (every other alerted key of the series has resolved and leaves), and its messages.
public struct AlertStep: Sendable {
    public var scan: String
    public var series: ScanSeries
    /// The complete scan it compared with; nil for the first scan of a series.
    public var baseline: String?
    /// How each change alerted stood (or, for a first scan, each finding taken as known).
    public var alerted: [String: AlertMark]
    /// Keys open in the scan, whether alerted or not.
    public var openKeys: Set<String>
    public var deliveries: [StoredDelivery]
    /// Whether its messages include a digest of what is still open.
    public var digest: Bool
    public var at: Date

    public init(scan: String, series: ScanSeries, baseline: String?, alerted: [String: AlertMark], openKeys: Set<String>,
                deliveries: [StoredDelivery], digest: Bool = false, at: Date) {
        self.scan = scan
        self.series = series
        self.baseline = baseline
        self.alerted = alerted
        self.openKeys = openKeys
        self.deliveries = deliveries
        self.digest = digest
        self.at = at
    }
}

extension ScanSeries {
    /// The series as one text, the alert state's column.
    var identity: String { "\(kind.rawValue)|\(inventoryName)|\(checksText)" }
}

extension HistoryStore {
    /// The keys already alerted in `series`, by key.
    public func alertedKeys(series: ScanSeries) async throws(StoreError) -> [String: AlertedKey] {
        try await read { db in
            var out: [String: AlertedKey] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, severity, facts, scan_id, alerted_at FROM alert_keys WHERE series = ?",
                                        arguments: [series.identity]) {
                let key: String = row["key"], text: String = row["severity"]
                guard let severity = Severity(rawValue: text) else {
                    throw StoreError.unreadableRecord(path: self.path, what: "the alert state of \(key)", detail: "unknown severity '\(text)'")
                }
                out[key] = AlertedKey(key: key, severity: severity, facts: row["facts"], scan: row["scan_id"],
                                      at: try self.date(row["alerted_at"], "the alert state of \(key)"))
            }
            return out
        }
    }

    /// Since when the series' digest clock runs: its last digest, else its first alert step;
    /// nil when no alert step ran for the series.
    public func lastDigest(series: ScanSeries) async throws(StoreError) -> Date? {
        try await read { db in
            let text = try String.fetchOne(db, sql: """
                SELECT coalesce((SELECT max(processed_at) FROM alert_scans WHERE series = ? AND digest = 1),
                                (SELECT min(processed_at) FROM alert_scans WHERE series = ?))
                """, arguments: [series.identity, series.identity])
            return try text.map { try self.date($0, "the alert steps of series \(series.identity)") }
        }
    }

    /// Whether the alert step already ran for `scan` (so running it twice sends nothing twice).
    public func alertStepDone(scan: String) async throws(StoreError) -> Bool {
        try await read { db in try Self.exists(db, "SELECT 1 FROM alert_scans WHERE scan_id = ?", [scan]) }
    }

    /// Records one alert step: its alerted keys (raised to the severity alerted), the resolved
    /// keys of its series removed, its messages stored pending. Refused as a duplicate when the
    /// step already ran for that scan.
    public func recordAlertStep(_ step: AlertStep) async throws(StoreError) {
        try await write { db in
            let series = step.series.identity
            try db.execute(sql: """
                INSERT INTO alert_scans (scan_id, series, baseline_scan_id, changes, digest, processed_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [step.scan, series, step.baseline, step.alerted.count, step.digest ? 1 : 0, StoreCoding.text(step.at)])
            let known = try String.fetchAll(db, sql: "SELECT key FROM alert_keys WHERE series = ?", arguments: [series])
            for key in known where !step.openKeys.contains(key) && step.alerted[key] == nil {
                try db.execute(sql: "DELETE FROM alert_keys WHERE series = ? AND key = ?", arguments: [series, key])
            }
            for (key, mark) in step.alerted.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: """
                    INSERT INTO alert_keys (series, key, severity, facts, scan_id, alerted_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (series, key) DO UPDATE SET severity = excluded.severity, facts = excluded.facts,
                      scan_id = excluded.scan_id, alerted_at = excluded.alerted_at
                    """, arguments: [series, key, mark.severity.rawValue, mark.facts, step.scan, StoreCoding.text(step.at)])
            }
            for d in step.deliveries {
                try db.execute(sql: """
                    INSERT INTO alert_deliveries (id, scan_id, channel, payload, status, attempts, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                    """, arguments: [d.id, d.scan, d.channel, d.payload, StoreCoding.text(d.createdAt), StoreCoding.text(step.at)])
            }
        }
    }

    /// Stores one message outside an alert step (a scan that failed before it was stored).
    public func storeDelivery(_ d: StoredDelivery) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO alert_deliveries (id, scan_id, channel, payload, status, attempts, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                """, arguments: [d.id, d.scan, d.channel, d.payload, StoreCoding.text(d.createdAt), StoreCoding.text(d.createdAt)])
        }
    }

    /// Messages not yet delivered, oldest first (one step's in the order it built them).
    public func pendingDeliveries() async throws(StoreError) -> [StoredDelivery] {
        try await deliveries(where: "status = 'pending'")
    }

    /// Every message of one scan (delivered or not), by channel.
    public func deliveries(of scan: String) async throws(StoreError) -> [StoredDelivery] {
        try await deliveries(where: "scan_id = ?", [scan])
    }

    /// Records one delivery attempt (or a run of retries): delivered, still pending, or failed
    /// for good; with the last error.
    public func recordAttempt(_ id: String, attempts: Int, status: DeliveryStatus, error: String?, at: Date) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: """
                UPDATE alert_deliveries SET attempts = attempts + ?, status = ?, last_error = ?, updated_at = ? WHERE id = ?
                """, arguments: [attempts, status.rawValue, error, StoreCoding.text(at), id])
        }
    }

    private func deliveries(where condition: String, _ arguments: [String] = []) async throws(StoreError) -> [StoredDelivery] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert_deliveries WHERE \(condition) ORDER BY created_at, rowid
                """, arguments: StatementArguments(arguments)).map { row in
                let id: String = row["id"], text: String = row["status"]
                guard let status = DeliveryStatus(rawValue: text) else {
                    throw StoreError.unreadableRecord(path: self.path, what: "the alert delivery \(id)", detail: "unknown status '\(text)'")
                }
                return StoredDelivery(id: id, scan: row["scan_id"], channel: row["channel"], payload: row["payload"],
                                      status: status, attempts: row["attempts"], lastError: row["last_error"],
                                      createdAt: try self.date(row["created_at"], "the alert delivery \(id)"))
            }
        }
    }
}
