import Foundation
import GRDB
import Testing
import GovAuditCore
@testable import GovAuditStore

@Suite("History store: a scan stored and read back")
struct RoundTripTests {
    let systems = [
        Factory.system("cong-tinh"),
        Factory.system("dich-vu-cong", name: "Cổng dịch vụ công tỉnh An Giang", status: .submitted),
        Factory.system("ubnd-xa", name: "Trang thông tin điện tử UBND xã Mỹ Hòa Hưng", host: "myhoahung.angiang.gov.vn"),
    ]
    let start = instant("2026-12-01T09:30:00Z")

    @Test("a scan of several systems, committed as each finishes (concurrently), reads back whole")
    func roundTrip() async throws {
        let tmp = try TempFolder()
        let store = try HistoryStore(StoreLocation(path: tmp.file("history.sqlite")))
        let id = try await store.beginScan(Factory.newScan(systems, at: start))
        #expect(id.hasPrefix("2026-12-01T09-30-00Z-"))

        // Given: each system committed by its own task, as the pipeline will.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, s) in systems.enumerated() {
                group.addTask {
                    try await store.commitSystem(scan: id, system: s, evidence: Factory.evidence(for: s),
                                                 findings: [Factory.finding("tls-cert-expiry", on: s, severity: .high),
                                                            Factory.finding("links-spam", on: s, severity: .critical,
                                                                            subject: "nhacai.example", status: .waived)],
                                                 at: start.addingTimeInterval(Double(i + 1)))
                }
            }
            try await group.waitForAll()
        }
        try await store.finishScan(id, summary: Factory.summary(), at: start.addingTimeInterval(90))

        // Then: the scan record, with provenance, scope, summary.
        let scan = try await store.scan(id)
        #expect(scan.status == .complete && scan.resumes == 0)
        #expect(scan.series == ScanSeries(kind: .scan, inventoryName: "Tỉnh An Giang", checks: ["tls", "links", "ipv6", "dns"]))
        #expect(scan.inventory.domain == "angiang.gov.vn" && scan.inventory.illustrative)
        #expect(scan.inventory.agencies == [Agency(id: "so-khcn", name: "Sở Khoa học và Công nghệ")])
        #expect(scan.inventory.systems.isEmpty)
        #expect(scan.provenance.id == id)
        #expect(scan.provenance.finishedAt == start.addingTimeInterval(90))
        #expect(scan.provenance.resolver == "127.0.10.1:53" && scan.provenance.ipFamilies == ["ipv4", "ipv6"])
        #expect(scan.policyHash == "policy-hash-1" && scan.inventoryHash == "inventory-hash-1")
        #expect(scan.scope == ScanScope(systems: systems.map(\.id), options: ["timeout": "10s", "per-ip": "4"]))
        #expect(scan.startedAt == start && scan.endedAt == start.addingTimeInterval(90))
        #expect(scan.summary?.province.figures.first?.ratio(.vi) == "2/3, đạt 66,7%")

        // The inventory records as they were that day, contacts included.
        #expect(Set(try await store.committedSystems(of: id)) == Set(systems.map(\.id)))
        for s in systems {
            let stored = try #require(try await store.system(s.id, of: id))
            #expect(stored.system == s)
            #expect(stored.system.contacts.first?.name == "Nguyễn Thị Hồng")

            // Every kind's facts typed again, failures with their reasons, in commit order.
            let back = try await store.evidence(of: id, system: s.id, catalog: fullCatalog)
            let original = Factory.evidence(for: s)
            #expect(back.unknown.isEmpty)
            #expect(back.evidence.map(\.kind) == original.map(\.kind))
            #expect(back.evidence.map(\.outcome) == original.map(\.outcome))
            #expect(back.evidence.map(\.endpoint) == original.map(\.endpoint))
            #expect(back.evidence[0].facts(as: ResponseHeaders.self) == original[0].facts(as: ResponseHeaders.self))
            #expect(back.evidence[1].facts(as: CertificateDates.self) == original[1].facts(as: CertificateDates.self))
            #expect(back.evidence[2].facts(as: CrawledLink.self)?.text == "Nhà cái uy tín")
            #expect(back.evidence[3].facts == nil && back.evidence[4].endpoint == nil)

            let findings = try await store.findings(of: id, system: s.id)
            #expect(findings.map(\.rule) == ["tls-cert-expiry", "links-spam"])
            #expect(findings == [Factory.finding("tls-cert-expiry", on: s, severity: .high),
                                 Factory.finding("links-spam", on: s, severity: .critical, subject: "nhacai.example",
                                                 status: .waived)])
        }
        #expect(try await store.findings(of: id).count == 6)

        // The listing counts open findings by severity; waived ones leave the count.
        let listing = try #require(try await store.scans(limit: 10).first)
        #expect(listing.scan.id == id && listing.systemsCommitted == 3)
        #expect(listing.openFindings == [.high: 3])
    }

    @Test("evidence of a kind this build does not know comes back whole and apart, never dropped")
    func unknownKinds() async throws {
        let tmp = try TempFolder()
        let store = try HistoryStore(StoreLocation(path: tmp.file("history.sqlite")))
        let id = try await Factory.completeScan(store, [systems[0]], at: start)

        // When: read by a build that knows only the headers kind.
        let back = try await store.evidence(of: id, system: systems[0].id, catalog: EvidenceCatalog([ResponseHeaders.self]))
        #expect(back.evidence.map(\.kind) == ["test.headers", "test.headers"])
        #expect(back.unknown.map(\.kind) == ["test.certificate", "test.link", "test.link"])
        let link = try #require(back.unknown.dropLast().last)
        #expect(link.version == 1 && link.outcome == .collected)
        #expect(link.factsJSON?.contains("\"text\":\"Nhà cái uy tín\"") == true)
        #expect(back.unknown.last?.outcome == .failed(.timeout("no answer in 10 s")) && back.unknown.last?.factsJSON == nil)
    }

    @Test("a system's commit is one transaction: a failure midway leaves none of it, so resume redoes it")
    func atomicCommit() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("history.sqlite")
        let store = try HistoryStore(StoreLocation(path: path))
        let id = try await store.beginScan(Factory.newScan(systems, at: start))
        try await store.commitSystem(scan: id, system: systems[0], evidence: Factory.evidence(for: systems[0]),
                                     findings: [Factory.finding("tls-cert-expiry", on: systems[0])], at: start)
        // Given: the database refuses one finding, after the record and evidence were inserted.
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse BEFORE INSERT ON findings WHEN NEW.rule = 'links-spam'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        await #expect(throws: StoreError.self) {
            try await store.commitSystem(scan: id, system: systems[1], evidence: Factory.evidence(for: systems[1]),
                                         findings: [Factory.finding("tls-cert-expiry", on: systems[1]),
                                                    Factory.finding("links-spam", on: systems[1])], at: start)
        }
        // Then: nothing of the second system is stored; the first is intact.
        #expect(try await store.committedSystems(of: id) == [systems[0].id])
        #expect(try await store.evidence(of: id, system: systems[1].id, catalog: fullCatalog).evidence.isEmpty)
        #expect(try await store.findings(of: id).map(\.system) == [systems[0].id])
        #expect(try await store.firstSeen(Factory.finding("tls-cert-expiry", on: systems[1]).key) == nil)
        #expect(try await store.evidence(of: id, system: systems[0].id, catalog: fullCatalog).evidence.count == 5)
    }

    @Test("a commit and the interruption mark made from a cancelled task (Ctrl-C) still land")
    func cancelledTask() async throws {
        let tmp = try TempFolder()
        let store = try HistoryStore(StoreLocation(path: tmp.file("history.sqlite")))
        let id = try await store.beginScan(Factory.newScan(systems, at: start))
        let s = systems[0]
        try await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            #expect(Task.isCancelled)
            try await store.commitSystem(scan: id, system: s, evidence: Factory.evidence(for: s), findings: [], at: start)
            try await store.markInterrupted(id, at: start)
        }.value
        #expect(try await store.committedSystems(of: id) == [s.id])
        #expect(try await store.scan(id).status == .interrupted)
    }

    @Test("scan ids read as their UTC start time and sort by it")
    func scanIDs() {
        let a = ScanID.make(startedAt: instant("2026-12-01T09:30:00Z"), suffix: 0xabcd)
        let b = ScanID.make(startedAt: instant("2026-12-01T16:05:09Z"), suffix: 0x0001)
        #expect(a == "2026-12-01T09-30-00Z-abcd")
        #expect(b == "2026-12-01T16-05-09Z-0001")
        #expect(a < b)
    }
}
