import Foundation
import GRDB
import Testing
import GovAuditCore
@testable import GovAuditPolicy
@testable import GovAuditStore

@Suite("History store: schema versions")
struct MigrationTests {
    let systems = ["cong-tinh", "dich-vu-cong"].map { Factory.system($0) }
    let start = instant("2026-12-01T09:30:00Z")

    /// What the next schema might do: a new column with a value computed from the old rows.
    static let nextSchema = Schema.current.adding(version: Schema.current.latest + 1) { db in
        try db.execute(sql: """
            ALTER TABLE scans ADD COLUMN systems_planned INTEGER NOT NULL DEFAULT 0;
            UPDATE scans SET systems_planned = json_array_length(scope, '$.systems');
            """)
    }

    /// The first schema alone: what the first builds wrote.
    static let firstSchema = Schema(steps: Array(Schema.current.steps.prefix(1)))
    /// Up to the alert tables (v2): what builds before baselines wrote.
    static let alertSchema = Schema(steps: Array(Schema.current.steps.prefix(2)))
    /// Up to the captures (v5): what builds before endpoint durations wrote.
    static let capturesSchema = Schema(steps: Array(Schema.current.steps.prefix(5)))

    @Test("a new store is at the current schema, readable with sqlite3 too (user_version, grdb_migrations)")
    func version() async throws {
        let tmp = try TempFolder()
        let path = tmp.file("h.sqlite")
        let store = try HistoryStore(StoreLocation(path: path))
        #expect(store.schemaVersion == 7 && HistoryStore.currentSchemaVersion == 7)
        try store.close()
        let (userVersion, applied, appID, journal) = try await DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             try Int32.fetchOne(db, sql: "PRAGMA application_id"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(userVersion == 7 && applied == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"] && appID == Schema.applicationID)
        #expect(journal == "wal")
    }

    @Test("commands opening the same new file at once all open it: whoever migrates first wins, the others apply what is missing")
    func concurrentFirstOpen() throws {
        for round in 0..<10 {
            let tmp = try TempFolder()
            let path = tmp.file("h\(round).sqlite")
            let outcomes = OpenOutcomes()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    let store = try HistoryStore(StoreLocation(path: path))
                    outcomes.add(store.schemaVersion == HistoryStore.currentSchemaVersion ? "current" : "v\(store.schemaVersion)")
                    try store.close()
                } catch {
                    outcomes.add("\(error)")
                }
            }
            #expect(outcomes.all == Array(repeating: "current", count: 6), "round \(round)")
        }
    }

    @Test("a store written by the previous schema version migrates, keeping its scans, evidence and keys")
    func migrates() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        // Given: a store written by this build (v1) with one complete and one interrupted scan.
        let v1 = try HistoryStore(location)
        let complete = try await Factory.completeScan(v1, systems, at: start)
        let interrupted = try await v1.beginScan(Factory.newScan(systems, at: start.addingTimeInterval(3600)))
        try await v1.commitSystem(scan: interrupted, system: systems[0], evidence: Factory.evidence(for: systems[0]),
                                  findings: [], at: start.addingTimeInterval(3601))
        try await v1.markInterrupted(interrupted, at: start.addingTimeInterval(3602))
        try v1.close()

        // When: the next build opens it.
        let v2 = try HistoryStore(location, options: StoreOptions(), schema: Self.nextSchema)
        #expect(v2.schemaVersion == Schema.current.latest + 1)

        // Then: the data is all there, and the migration computed its new column from it.
        #expect(try await v2.scans().map(\.scan.id) == [interrupted, complete])
        #expect(try await v2.scan(complete).summary?.province.name == "Tỉnh An Giang")
        #expect(try await v2.committedSystems(of: interrupted) == ["cong-tinh"])
        let evidence = try await v2.evidence(of: complete, system: "dich-vu-cong", catalog: fullCatalog)
        #expect(evidence.evidence.count == 5 && evidence.unknown.isEmpty)
        #expect(try await v2.findings(of: complete).count == 2)
        #expect(try await v2.firstSeen(Factory.finding("tls-cert-expiry", on: systems[0]).key)?.scan == complete)
        let planned = try await v2.read { db in try Int.fetchAll(db, sql: "SELECT systems_planned FROM scans") }
        #expect(planned == [2, 2])
        // And the migrated store still takes new scans.
        try await Factory.completeScan(v2, systems, at: start.addingTimeInterval(86_400))
        #expect(try await v2.scans().count == 3)
    }

    @Test("a store of a newer schema than this build knows is refused, untouched")
    func newer() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        let v2 = try HistoryStore(location, options: StoreOptions(), schema: Self.nextSchema)
        try await Factory.completeScan(v2, systems, at: start)
        try v2.close()

        #expect(throws: StoreError.newerSchema(path: location.path, known: Schema.current.latest)) {
            _ = try HistoryStore(location)
        }
        let again = try HistoryStore(location, options: StoreOptions(), schema: Self.nextSchema)
        #expect(try await again.scans().count == 1)
    }

    @Test("a store written by the first schema (v1) migrates to the current one: its scans kept, alert state empty and usable")
    func firstToAlerts() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        let v1 = try HistoryStore(location, options: StoreOptions(), schema: Self.firstSchema)
        let complete = try await Factory.completeScan(v1, systems, at: start)
        try v1.close()

        let store = try HistoryStore(location)
        #expect(store.schemaVersion == Schema.current.latest)
        #expect(try await store.scans().map(\.scan.id) == [complete])
        #expect(try await store.pendingDeliveries().isEmpty)
        #expect(try await store.alertedKeys(series: ScanSeries(kind: .scan, inventoryName: "Tỉnh An Giang", checks: Factory.fullChecks)).isEmpty)
    }

    @Test("a v2 store (alert state) migrates to v4 (baselines) and v5 (captures): scans, evidence, findings and alert state kept; no baseline until one is accepted")
    func alertsToBaselines() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        let v2 = try HistoryStore(location, options: StoreOptions(), schema: Self.alertSchema)
        #expect(v2.schemaVersion == 2)
        let complete = try await Factory.completeScan(v2, systems, at: start)
        let series = ScanSeries(kind: .scan, inventoryName: "Tỉnh An Giang", checks: Factory.fullChecks)
        let key = Factory.finding("tls-cert-expiry", on: systems[0]).key
        try await v2.recordAlertStep(AlertStep(scan: complete, series: series, baseline: nil,
                                               alerted: [key: AlertMark(severity: .high, facts: "")], openKeys: [key], deliveries: [],
                                               at: start.addingTimeInterval(60)))
        try v2.close()

        let store = try HistoryStore(location)
        #expect(store.schemaVersion == Schema.current.latest)
        #expect(try await store.scans().map(\.scan.id) == [complete])
        #expect(try await store.evidence(of: complete, system: "dich-vu-cong", catalog: fullCatalog).evidence.count == 5)
        #expect(try await store.findings(of: complete).count == 2)
        #expect(try await store.alertedKeys(series: series)[key]?.severity == .high)
        #expect(try await store.baseline(of: "cong-tinh") == nil)
        // The new table takes acceptances, and keeps every one.
        let snapshot = SiteSnapshot(scriptHosts: ["cdn.example"], frameHosts: [], outboundDomains: ["chinhphu.vn"], home: nil)
        for (i, who) in ["an", "binh"].enumerated() {
            try await store.acceptBaseline(AcceptedBaseline(system: "cong-tinh", scan: complete, snapshots: ["https://cong-tinh.angiang.gov.vn/": snapshot],
                                                            by: who, reason: "đã duyệt", at: start.addingTimeInterval(Double(120 + i))))
        }
        #expect(try await store.baseline(of: "cong-tinh")?.by == "binh")
        #expect(try await store.baselineHistory(of: "cong-tinh").map(\.by) == ["an", "binh"])
        #expect(try await store.baseline(of: "cong-tinh")?.snapshots.values.first == snapshot)
        let user = try await store.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(user == Schema.current.latest)
        #expect(try await store.captures(of: key).isEmpty)
    }

    @Test("v5 → v6: scans stored before durations have none (their order stays the inventory's); new commits keep each endpoint's, the slowest per system read back")
    func durations() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        let v5 = try HistoryStore(location, options: StoreOptions(), schema: Self.capturesSchema)
        let old = try await Factory.completeScan(v5, systems, at: start)
        try v5.close()

        let store = try HistoryStore(location)
        #expect(store.schemaVersion == Schema.current.latest)
        #expect(try await store.slowestEndpoints(of: old).isEmpty)
        let id = try await store.beginScan(Factory.newScan(systems, at: start.addingTimeInterval(86_400)))
        try await store.commitSystem(scan: id, system: systems[0], evidence: Factory.evidence(for: systems[0]), findings: [],
                                     durations: [EndpointDuration(endpoint: "https://a.vn/", milliseconds: 120),
                                                 EndpointDuration(endpoint: "https://b.vn/", milliseconds: 8_200)],
                                     at: start.addingTimeInterval(86_401))
        try await store.commitSystem(scan: id, system: systems[1], evidence: Factory.evidence(for: systems[1]), findings: [],
                                     durations: [EndpointDuration(endpoint: "https://c.vn/", milliseconds: 40)],
                                     at: start.addingTimeInterval(86_402))
        #expect(try await store.slowestEndpoints(of: id) == [systems[0].id: 8_200, systems[1].id: 40])
        let rows = try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM endpoint_durations") }
        #expect(rows == 3)
    }

    @Test("v6 → v7: systems stored before judgements have none (their report judges the evidence); a new commit's judgement is read back as given, and goes with its scan")
    func judgements() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        let v6 = try HistoryStore(location, options: StoreOptions(), schema: Schema(steps: Array(Schema.current.steps.prefix(6))))
        let old = try await Factory.completeScan(v6, systems, at: start)
        try v6.close()

        let store = try HistoryStore(location)
        #expect(store.schemaVersion == Schema.current.latest)
        #expect(try await store.judgement(of: old, system: systems[0].id) == nil)
        let judgement = SystemJudgement(
            regime: RegimeApplication(regime: "nd85", transitionOf: nil, transitionEnds: nil),
            results: [RuleResult(rule: "tls.protocols", area: .tls, status: .fail, reason: ""),
                      RuleResult(rule: "dossier.approved", area: .dossier, status: .unknown, reason: "không có hồ sơ")],
            layers: [LayerStatus(layer: ProtectionLayer.allCases[0], status: .fail, reasons: ["tls.protocols"])],
            measurements: [Measurement(rule: "tls.grade", endpoint: try Endpoint(parsing: "https://a.vn/"), facts: [Fact("grade", "B")])])
        let id = try await store.beginScan(Factory.newScan(systems, at: start.addingTimeInterval(86_400)))
        try await store.commitSystem(scan: id, system: systems[0], evidence: Factory.evidence(for: systems[0]), findings: [],
                                     judgement: judgement, at: start.addingTimeInterval(86_401))
        try await store.commitSystem(scan: id, system: systems[1], evidence: Factory.evidence(for: systems[1]), findings: [],
                                     at: start.addingTimeInterval(86_402))
        #expect(try await store.judgement(of: id, system: systems[0].id) == judgement)
        #expect(try await store.judgement(of: id, system: systems[1].id) == nil)
        // Results are stored as rows [rule, area, status, reason]; a row that is not one is an error, never a guess.
        let text = try await store.read { db in
            try String.fetchOne(db, sql: "SELECT judgement FROM system_judgements WHERE system_id = ?", arguments: [systems[0].id])
        }
        #expect(text?.contains(#"["tls.protocols","tls","fail",""]"#) == true)
        try await store.write { db in
            try db.execute(sql: "UPDATE system_judgements SET judgement = replace(judgement, '\"fail\"', '\"failing\"')")
        }
        await #expect(throws: StoreError.self) { try await store.judgement(of: id, system: systems[0].id) }
        try await store.write { db in try db.execute(sql: "DELETE FROM scans WHERE id = ?", arguments: [id]) }
        let rows = try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM system_judgements") }
        #expect(rows == 0)
    }

    @Test("v2 → v3: the deliveries are kept as they were, in their order; a refused one can then be recorded failed, and is pending no more")
    func deliveriesGainFailed() async throws {
        let tmp = try TempFolder()
        let location = StoreLocation(path: tmp.file("h.sqlite"))
        let v2 = try HistoryStore(location, options: StoreOptions(), schema: Schema(steps: Array(Schema.current.steps.prefix(2))))
        let scan = try await Factory.completeScan(v2, systems, at: start)
        for (n, channel) in ["webhook", "mail"].enumerated() {
            try await v2.storeDelivery(StoredDelivery(id: "\(scan):\(channel)", scan: scan, channel: channel, payload: "{}",
                                                      createdAt: start.addingTimeInterval(Double(n))))
        }
        try await v2.recordAttempt("\(scan):mail", attempts: 2, status: .pending, error: "timed out", at: start)
        try v2.close()

        let v3 = try HistoryStore(location)
        #expect(v3.schemaVersion == Schema.current.latest)
        let kept = try await v3.pendingDeliveries()
        #expect(kept.map(\.id) == ["\(scan):webhook", "\(scan):mail"] && kept[1].attempts == 2 && kept[1].lastError == "timed out")
        try await v3.recordAttempt("\(scan):webhook", attempts: 1, status: .failed, error: "the server answered HTTP 400", at: start)
        #expect(try await v3.pendingDeliveries().map(\.id) == ["\(scan):mail"])
        #expect(try await v3.deliveries(of: scan).first { $0.channel == "webhook" }?.status == .failed)
    }
}

/// What each concurrent opener saw.
private final class OpenOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.withLock { list.append(s) } }
    var all: [String] { lock.withLock { list } }
}
