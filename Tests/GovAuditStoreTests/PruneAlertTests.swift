import Foundation
import GRDB
import Testing
import GovAuditCore
@testable import GovAuditStore

/// `history prune` and the alert tables: what is settled goes with its scan; what is still
/// read (a pending message, the alert state, the digest clock) stays.
@Suite("History store: retention of alert records")
struct PruneAlertTests {
    let systems = ["cong-tinh", "dich-vu-cong"].map { Factory.system($0) }
    let start = instant("2026-06-01T09:30:00Z")
    let day = 86_400.0
    var series: ScanSeries { ScanSeries(kind: .scan, inventoryName: "Tỉnh An Giang", checks: Factory.fullChecks) }

    func step(_ store: HistoryStore, _ scan: String, baseline: String?, keys: [String: AlertMark] = [:], open: Set<String> = [],
              message: Bool, digest: Bool = false, at: Date) async throws {
        let deliveries = message ? [StoredDelivery(id: "\(scan):webhook", scan: scan, channel: "webhook", payload: "{}", createdAt: at)] : []
        try await store.recordAlertStep(AlertStep(scan: scan, series: series, baseline: baseline, alerted: keys, openKeys: open,
                                                  deliveries: deliveries, digest: digest, at: at))
    }

    func count(_ path: String, _ table: String, scan: String) async throws -> Int {
        try await DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE scan_id = ?", arguments: [scan]) ?? -1
        }
    }

    @Test("settled messages and steps of deleted scans go; a scan a pending alert names stays until delivered; the alert state and the digest clock stay")
    func pruneAlerts() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("h.sqlite")
        let store = try HistoryStore(StoreLocation(path: path))
        let now = start.addingTimeInterval(400 * day)
        // Given: three old complete scans and a recent one, each with its alert step: the first
        // (the baseline), a digest delivered, a change still pending, the recent one delivered.
        let first = try await Factory.completeScan(store, systems, at: start)
        try await step(store, first, baseline: nil, message: false, at: start.addingTimeInterval(100))
        let digest = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(day))
        let spam = AlertMark(severity: .high, facts: "")
        try await step(store, digest, baseline: first, keys: ["k-spam": spam], open: ["k-spam"], message: true, digest: true,
                       at: start.addingTimeInterval(day + 100))
        try await store.recordAttempt("\(digest):webhook", attempts: 1, status: .delivered, error: nil, at: start.addingTimeInterval(day + 101))
        let pending = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(2 * day))
        try await step(store, pending, baseline: digest, open: ["k-spam"], message: true, at: start.addingTimeInterval(2 * day + 100))
        let recent = try await Factory.completeScan(store, systems, at: now.addingTimeInterval(-day))
        try await step(store, recent, baseline: pending, open: ["k-spam"], message: true, at: now.addingTimeInterval(-day + 100))
        try await store.recordAttempt("\(recent):webhook", attempts: 1, status: .delivered, error: nil, at: now)
        // A message about a scan that could not even be stored, refused for good long ago.
        try await store.storeDelivery(StoredDelivery(id: "failed-1:webhook", scan: "failed-1:webhook", channel: "webhook", payload: "{}",
                                                     createdAt: start.addingTimeInterval(3 * day)))
        try await store.recordAttempt("failed-1:webhook", attempts: 1, status: .failed, error: "HTTP 400", at: start.addingTimeInterval(3 * day))
        let clock = try await store.lastDigest(series: series)

        // When: a prune keeping 180 days.
        let report = try await store.prune(keepingDays: 180, now: now)

        // Then: the two settled old scans go; the one a pending alert names stays.
        #expect(report.deleted == [first, digest] && report.keptForAlerts == [pending] && report.keptAsLatest.isEmpty)
        #expect(report.alertMessagesDeleted == 2, "the delivered digest and the refused message")
        #expect(try await count(path, "alert_deliveries", scan: digest) == 0)
        #expect(try await store.pendingDeliveries().map(\.id) == ["\(pending):webhook"])
        // The alert state is whole: the change is not alerted again.
        #expect(try await store.alertedKeys(series: series)["k-spam"]?.scan == digest)
        // The digest clock reads the same: the steps it reads (the first, the latest digest) are
        // kept although their scans are gone.
        let clockAfter = try await store.lastDigest(series: series)
        #expect(report.alertStepsDeleted == 0 && clockAfter == clock)
        let kept = [try await count(path, "alert_scans", scan: first), try await count(path, "alert_scans", scan: digest)]
        #expect(kept == [1, 1])
        #expect(try await store.alertStepDone(scan: recent))

        // Once the pending alert is delivered, its scan goes at the next prune, with its records.
        try await store.recordAttempt("\(pending):webhook", attempts: 1, status: .delivered, error: nil, at: now)
        let again = try await store.prune(keepingDays: 180, now: now)
        #expect(again.deleted == [pending] && again.keptForAlerts.isEmpty && again.alertMessagesDeleted == 1 && again.alertStepsDeleted == 1)
        #expect(try await count(path, "alert_scans", scan: pending) == 0)
        #expect(try await store.scans().map(\.scan.id) == [recent])
        #expect(try await store.lastDigest(series: series) == clock)
    }
}
