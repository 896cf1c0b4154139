import Foundation
import Testing
import GovAuditCore
@testable import GovAuditStore

@Suite("History store: interruptions, resume and baselines")
struct ResumeTests {
    let systems = ["cong-tinh", "dich-vu-cong", "ubnd-xa"].map { Factory.system($0) }
    let start = instant("2026-12-01T09:30:00Z")

    private func commit(_ store: HistoryStore, _ id: String, _ s: System) async throws {
        try await store.commitSystem(scan: id, system: s, evidence: Factory.evidence(for: s),
                                     findings: [Factory.finding("tls-cert-expiry", on: s)], at: start)
    }

    @Test("an interrupted scan says which systems are done; resumed, it commits the rest and completes")
    func interruptAndResume() async throws {
        let tmp = try TempFolder()
        let store = try HistoryStore(StoreLocation(path: tmp.file("h.sqlite")))
        let id = try await store.beginScan(Factory.newScan(systems, at: start))
        try await commit(store, id, systems[0])
        try await commit(store, id, systems[2])
        try await store.markInterrupted(id, at: start.addingTimeInterval(30))
        try await store.markInterrupted(id, at: start.addingTimeInterval(31))

        let unfinished = try #require(try await store.latestUnfinishedScan())
        #expect(unfinished.id == id && unfinished.status == .interrupted)
        #expect(unfinished.endedAt == start.addingTimeInterval(30))
        #expect(try await store.committedSystems(of: id) == ["cong-tinh", "ubnd-xa"])

        // When: resumed, only the missing system is probed and committed.
        let resumed = try await store.resumeScan(id)
        #expect(resumed.status == .running && resumed.resumes == 1 && resumed.endedAt == nil)
        let missing = resumed.scope.systems.filter { !["cong-tinh", "ubnd-xa"].contains($0) }
        #expect(missing == ["dich-vu-cong"])
        try await commit(store, id, systems[1])
        try await store.finishScan(id, summary: Factory.summary(), at: start.addingTimeInterval(600))

        #expect(try await store.latestUnfinishedScan() == nil)
        let listing = try #require(try await store.scans().first)
        #expect(listing.scan.status == .complete && listing.scan.resumes == 1 && listing.systemsCommitted == 3)
        #expect(listing.openFindings == [.high: 3])
    }

    @Test("a scan left running by a killed process is found by a new process and can be resumed")
    func killed() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        var id = ""
        do {
            let store = try HistoryStore(location)
            id = try await store.beginScan(Factory.newScan(systems, at: start))
            try await commit(store, id, systems[0])
            // No markInterrupted: the process dies here.
        }
        let store = try HistoryStore(location)
        let unfinished = try #require(try await store.latestUnfinishedScan())
        #expect(unfinished.id == id && unfinished.status == .running)
        #expect(try await store.committedSystems(of: id) == ["cong-tinh"])
        #expect(try await store.resumeScan(id).resumes == 1)
    }

    @Test("writes that would make a scan wrong are refused with the scan and system named")
    func refusals() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("h.sqlite")
        let store = try HistoryStore(StoreLocation(path: path))
        let id = try await store.beginScan(Factory.newScan(systems, at: start))
        try await commit(store, id, systems[0])

        await #expect(throws: StoreError.systemAlreadyCommitted(path: path, scan: id, system: "cong-tinh")) {
            try await commit(store, id, systems[0])
        }
        await #expect(throws: StoreError.systemsMissing(path: path, scan: id, systems: ["dich-vu-cong", "ubnd-xa"])) {
            try await store.finishScan(id, summary: Factory.summary(), at: start)
        }
        await #expect(throws: StoreError.findingOfAnotherSystem(path: path, system: "dich-vu-cong",
                                                                  finding: Factory.finding("r", on: systems[0]).key)) {
            try await store.commitSystem(scan: id, system: systems[1], evidence: [],
                                         findings: [Factory.finding("r", on: systems[0])], at: start)
        }
        await #expect(throws: StoreError.unknownScan(path: path, id: "2020-01-01T00-00-00Z-0000")) {
            try await store.resumeScan("2020-01-01T00-00-00Z-0000")
        }
        try await commit(store, id, systems[1])
        try await commit(store, id, systems[2])
        try await store.finishScan(id, summary: Factory.summary(), at: start)
        await #expect(throws: StoreError.scanNotRunning(path: path, id: id, status: .complete)) {
            try await store.resumeScan(id)
        }
        await #expect(throws: StoreError.scanNotRunning(path: path, id: id, status: .complete)) {
            try await store.markInterrupted(id, at: start)
        }
        let message = StoreError.systemsMissing(path: path, scan: id, systems: ["a"]).description
        #expect(message.hasPrefix(path + ": ") && message.contains("'\(id)'"))
    }

    @Test("the baseline of a full scan is the latest complete full scan of that inventory: never an audit, a narrowed or an unfinished scan")
    func baselines() async throws {
        let tmp = try TempFolder()
        let store = try HistoryStore(StoreLocation(path: tmp.file("h.sqlite")))
        let day = 86_400.0
        let full1 = try await Factory.completeScan(store, systems, at: start)
        let full2 = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(day))
        // Later scans that must not be taken as baselines of a full scan:
        let narrowed = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(2 * day), checks: ["tls"])
        let audit = try await Factory.completeScan(store, [systems[0]], at: start.addingTimeInterval(3 * day), kind: .audit)
        _ = try await Factory.completeScan(store, systems, at: start.addingTimeInterval(4 * day), inventory: "Tỉnh Đồng Tháp")
        _ = try await store.beginScan(Factory.newScan(systems, at: start.addingTimeInterval(5 * day)))

        let series = ScanSeries(kind: .scan, inventoryName: "Tỉnh An Giang", checks: Factory.fullChecks.reversed())
        #expect(try await store.completeScans(in: series).map(\.id) == [full2, full1])
        #expect(try await store.completeScans(in: series, before: start.addingTimeInterval(day)).map(\.id) == [full1])
        #expect(try await store.completeScans(in: ScanSeries(kind: .scan, inventoryName: "Tỉnh An Giang", checks: ["tls"]))
            .map(\.id) == [narrowed])
        #expect(try await store.completeScans(in: ScanSeries(kind: .audit, inventoryName: "Tỉnh An Giang",
                                                             checks: Factory.fullChecks)).map(\.id) == [audit])
        #expect(try await store.scans(limit: 3).map(\.scan.series.inventoryName) == ["Tỉnh An Giang", "Tỉnh Đồng Tháp", "Tỉnh An Giang"])
        #expect(try await store.scans().count == 6)
    }
}

extension Factory {
    /// A complete scan of another inventory name.
    @discardableResult
    static func completeScan(_ store: HistoryStore, _ systems: [System], at start: Date, inventory: String) async throws -> String {
        let id = try await store.beginScan(newScan(systems, at: start, inventory: inventory))
        for s in systems {
            try await store.commitSystem(scan: id, system: s, evidence: [], findings: [], at: start)
        }
        try await store.finishScan(id, summary: summary(), at: start)
        return id
    }
}
