import Foundation
import GRDB
import Testing
import GovAuditCore
@testable import GovAuditStore

@Suite("History store: first sightings, triage, retention")
struct KeysAndPruneTests {
    let systems = ["cong-tinh", "dich-vu-cong"].map { Factory.system($0) }
    let start = instant("2026-06-01T09:30:00Z")
    let day = 86_400.0

    @Test("a finding key keeps the scan and date it was first seen, across later scans")
    func firstSeen() async throws {
        let tmp = try TempFolder()
        let store = try HistoryStore(StoreLocation(path: tmp.file("h.sqlite")))
        let expiry = Factory.finding("tls-cert-expiry", on: systems[0])
        let spam = Factory.finding("links-spam", on: systems[1], subject: "nhacai.example")
        let first = try await Factory.completeScan(store, systems, at: start) { $0.id == "cong-tinh" ? [expiry] : [] }
        let second = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(day)) {
            $0.id == "cong-tinh" ? [expiry] : [spam]
        }
        // The first commit of the first scan happened one second after its start (Factory).
        #expect(try await store.firstSeen(expiry.key) == FirstSeen(key: expiry.key, scan: first, at: start.addingTimeInterval(1)))
        #expect(try await store.firstSeen(spam.key) == FirstSeen(key: spam.key, scan: second, at: start.addingTimeInterval(day + 2)))
        #expect(try await store.firstSeen("0000000000000000") == nil)
        let both = try await store.firstSeen([expiry.key, spam.key, "0000000000000000"])
        #expect(both.count == 2 && both[spam.key]?.scan == second)
    }

    @Test("triage: every verdict kept with who and when, the latest in force; an unknown key is refused")
    func triage() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("h.sqlite")
        let store = try HistoryStore(StoreLocation(path: path))
        try await Factory.completeScan(store, systems, at: start)
        let key = Factory.finding("tls-cert-expiry", on: systems[0]).key
        #expect(try await store.triage(key) == nil)

        let first = Triage(key: key, verdict: .falsePositive, reason: "Chứng chỉ đã được gia hạn hôm qua.",
                           by: "Trần Văn Minh", at: start.addingTimeInterval(3600))
        let second = Triage(key: key, verdict: .confirmed, reason: "Recheck: the renewed certificate is not deployed.",
                            by: "le.thu", at: start.addingTimeInterval(7200))
        try await store.setTriage(first)
        try await store.setTriage(second)
        #expect(try await store.triage(key) == second)
        #expect(try await store.triageHistory(key) == [first, second])

        await #expect(throws: StoreError.unknownFindingKey(path: path, key: "ffffffffffffffff")) {
            try await store.setTriage(Triage(key: "ffffffffffffffff", verdict: .confirmed, reason: "x", by: "y", at: start))
        }
    }

    @Test("prune deletes old scans with all their rows, but keeps each series' latest complete scan, first sightings and triage")
    func prune() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("h.sqlite")
        let store = try HistoryStore(StoreLocation(path: path))
        let now = start.addingTimeInterval(400 * day)
        // Given: two old full scans, an old interrupted one, an old audit (the only one of its
        // series), and a recent full scan.
        let oldFull1 = try await Factory.completeScan(store, systems, at: start)
        let oldFull2 = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(day))
        let interrupted = try await store.beginScan(Factory.newScan(systems, at: start.addingTimeInterval(2 * day)))
        try await store.markInterrupted(interrupted, at: start.addingTimeInterval(2 * day))
        let oldAudit = try await Factory.completeScan(store, [systems[0]], at: start.addingTimeInterval(3 * day), kind: .audit)
        let recent = try await Factory.completeScan(store, systems, at: now.addingTimeInterval(-10 * day))
        let key = Factory.finding("tls-cert-expiry", on: systems[0]).key
        try await store.setTriage(Triage(key: key, verdict: .confirmed, reason: "Đã xác minh.", by: "minh", at: start))

        let report = try await store.prune(keepingDays: 180, now: now)
        #expect(report.deleted == [oldFull1, oldFull2, interrupted])
        #expect(report.keptAsLatest == [oldAudit])
        #expect(try await store.scans().map(\.scan.id) == [recent, oldAudit])

        // No row of a deleted scan is left behind; "open since" still names the first scan.
        let leftovers = try await DatabaseQueue(path: path).read { db in
            try ["scan_systems", "evidence", "findings"].map { table in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE scan_id IN (?, ?, ?)",
                                 arguments: [oldFull1, oldFull2, interrupted]) ?? -1
            }
        }
        #expect(leftovers == [0, 0, 0])
        #expect(try await store.firstSeen(key)?.scan == oldFull1)
        #expect(try await store.triage(key)?.reason == "Đã xác minh.")
        #expect(try await store.evidence(of: recent, system: "cong-tinh", catalog: fullCatalog).evidence.count == 5)

        // Pruning everything still keeps the latest complete scan of each series.
        let all = try await store.prune(keepingDays: 0, now: now)
        #expect(all.deleted.isEmpty && Set(all.keptAsLatest) == [oldAudit, recent])
    }
}
