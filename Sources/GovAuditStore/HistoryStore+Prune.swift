import Foundation
import GRDB

extension HistoryStore {
    /// Deletes scans started more than `days` days before `now`, with their systems, evidence
    /// and findings, and the alert records about them that nothing reads any more; in one
    /// transaction. Kept although old:
    /// - the latest complete scan of each series (what the next diff and alert compare against);
    /// - a scan an undelivered alert names (its receiver may still look it up), until the alert
    ///   is delivered or fails for good;
    /// - first sightings, triage and the alert state (`alert_keys`: what keeps a change from
    ///   being alerted twice; its `scan_id` may then name a deleted scan, as "open since" does);
    /// - per series, the alert steps its digest clock reads (the latest digest, the first step).
    public func prune(keepingDays days: Int, now: Date) async throws(StoreError) -> PruneReport {
        let cutoff = StoreCoding.text(now.addingTimeInterval(-Double(days) * 86_400))
        return try await write { db in
            let latest = Set(try String.fetchAll(db, sql: """
                SELECT (SELECT id FROM scans s WHERE s.inventory_name = g.inventory_name AND s.kind = g.kind
                          AND s.checks = g.checks AND s.status = 'complete' ORDER BY started_at DESC, id DESC LIMIT 1)
                FROM (SELECT DISTINCT inventory_name, kind, checks FROM scans WHERE status = 'complete') g
                """))
            let awaited = Set(try String.fetchAll(db, sql: "SELECT DISTINCT scan_id FROM alert_deliveries WHERE status = 'pending'"))
            let old = try String.fetchAll(db, sql: "SELECT id FROM scans WHERE started_at < ? ORDER BY started_at, id",
                                          arguments: [cutoff])
            var report = PruneReport(deleted: [], keptAsLatest: [])
            for id in old {
                if latest.contains(id) { report.keptAsLatest.append(id); continue }
                if awaited.contains(id) { report.keptForAlerts.append(id); continue }
                // The foreign keys cascade to scan_systems, then to evidence and findings.
                try db.execute(sql: "DELETE FROM scans WHERE id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM alert_deliveries WHERE scan_id = ? AND status != 'pending'", arguments: [id])
                report.alertMessagesDeleted += db.changesCount
                report.deleted.append(id)
            }
            // Settled messages about scans that could not even be stored (their scan_id is
            // the message's own id), once old.
            try db.execute(sql: """
                DELETE FROM alert_deliveries WHERE status != 'pending' AND created_at < ? AND scan_id NOT IN (SELECT id FROM scans)
                """, arguments: [cutoff])
            report.alertMessagesDeleted += db.changesCount
            let clocks = Set(try String?.fetchAll(db, sql: """
                SELECT (SELECT scan_id FROM alert_scans a WHERE a.series = g.series AND a.digest = 1
                          ORDER BY processed_at DESC, scan_id DESC LIMIT 1) FROM (SELECT DISTINCT series FROM alert_scans) g
                UNION
                SELECT (SELECT scan_id FROM alert_scans a WHERE a.series = g.series ORDER BY processed_at, scan_id LIMIT 1)
                FROM (SELECT DISTINCT series FROM alert_scans) g
                """).compactMap { $0 })
            for id in report.deleted where !clocks.contains(id) {
                try db.execute(sql: "DELETE FROM alert_scans WHERE scan_id = ?", arguments: [id])
                report.alertStepsDeleted += db.changesCount
            }
            return report
        }
    }
}
