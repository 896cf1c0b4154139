import Foundation
import GovAuditCore
@testable import GovAuditPolicy
@testable import GovAuditReports
@testable import GovAuditScan
@testable import GovAuditStore
import Testing

/// A scan's report is read back from the store system by system; it must be, byte for byte,
/// the report of the same systems held in memory.
@Suite("Reports read back from the store")
struct ReadBackTests {
    let policy: Policy
    let evidence: [Evidence]
    init() throws {
        policy = try Repo.policy()
        evidence = try Repo.everyKind()
    }

    /// The scan through the real session (pipeline, store, read-back), and the same systems
    /// judged in memory from the evidence the probe handed over.
    func scanned(_ inventory: Inventory, store: HistoryStore?) async throws -> (ScanOutcome, Evaluation) {
        let probe = FixtureProbe(evidence: evidence)
        let evaluator = Evaluator(policy: policy)
        let session = ScanSession(pipeline: ScanPipeline(probes: [probe], evaluator: evaluator, asOf: Province.asOf, concurrency: 3),
                                  store: store, catalog: .standard)
        let outcome = try await session.start(Province.request(inventory, policy: policy))
        let reference = evaluator.evaluate(inventory, asOf: Province.asOf,
                                           evidence: Dictionary(uniqueKeysWithValues: inventory.systems.map { system in
                                               // A first scan adds the drift evidence of each crawl, with no baseline.
                                               let collected = probe.collected(for: system)
                                               return (system.id, collected + DriftEvidence.make(system, collected, baselines: [:]))
                                           }))
        return (outcome, reference)
    }

    func streamedJSON(_ report: EvaluationReport, failOn: Severity? = .high) async throws -> String {
        var out = ""
        try await EvaluationJSON.write(report, policy: policy, provenance: Province.request(report.inventory, policy: policy).provenance,
                                       failOn: failOn) { out += $0 }
        return out
    }

    @Test("given a stored scan, when its report is read back, then JSON and tables (vi, en, with and without colour) equal the in-memory report")
    func identical() async throws {
        let folder = try TempFolder()
        let (outcome, reference) = try await scanned(Province.inventory(7), store: try folder.store())
        #expect(outcome.status == .complete && outcome.systemsDone == 8)
        let provenance = Province.request(reference.inventory, policy: policy).provenance
        let whole = try EvaluationJSON.render(reference, policy: policy, provenance: provenance, failOn: .high)
        let streamed = try await streamedJSON(outcome.report)
        #expect(streamed == whole)
        #expect(streamed.contains("\"kind\" : \"\(LinkCrawl.kind)\""))   // the evidence is in it, read back
        #expect(outcome.report.openFindings(atLeast: .high) == reference.openFindings(atLeast: .high).count)
        for language in [Language.vi, .en] {
            let content = try await EvaluationTable.gather(outcome.report, policy: policy, language: language)
            for color in [false, true] {
                let expected = EvaluationTable(policy: policy, language: language, style: Style(enabled: color)).render(reference)
                #expect(content.render(Style(enabled: color)) == expected, "table \(language) colour \(color)")
            }
        }
    }

    @Test("the scan's report reads each system's stored judgement instead of judging again: equal to judging the evidence again, and what the store says wins")
    func storedJudgements() async throws {
        let folder = try TempFolder()
        let store = try folder.store()
        let (outcome, _) = try await scanned(Province.inventory(5), store: store)
        let read = try #require(outcome.report.systems as? StoredSystems)
        #expect(read.readsJudgements)
        var judged = read
        judged.readsJudgements = false
        var compared = 0
        for system in read.systems {
            let fromStore = try #require(try await read.evaluate(system))
            let again = try #require(try await judged.evaluate(system))
            #expect(fromStore.judgement == again.judgement && fromStore.findings == again.findings, "\(system.id)")
            compared += 1
        }
        #expect(compared == read.systems.count && compared > 0)
        // A judgement the store holds is the one reported: proof it is read, not recomputed.
        let first = read.systems[0]
        var altered = try #require(try await store.judgement(of: read.scanID, system: first.id))
        altered.results = [RuleResult(rule: "test.altered", area: altered.results[0].area, status: .unknown, reason: "sửa tay")]
        let json = String(decoding: try JSONEncoder().encode(altered), as: UTF8.self)
        try await store.write { db in
            try db.execute(sql: "UPDATE system_judgements SET judgement = ? WHERE scan_id = ? AND system_id = ?",
                           arguments: [json, read.scanID, first.id])
        }
        #expect(try await read.evaluate(first)?.results.map(\.rule) == ["test.altered"])
        #expect(try await judged.evaluate(first)?.results.map(\.rule) != ["test.altered"])
    }

    @Test("the evidence JSON the store hands a JSON report is JSONEncoder's own encoding of each record it reads back, in the same order")
    func storedEvidenceText() async throws {
        let folder = try TempFolder()
        let store = try folder.store()
        let (outcome, _) = try await scanned(Province.inventory(3), store: store)
        let read = try #require(outcome.report.systems as? StoredSystems)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var records = 0
        for system in read.systems {
            let typed = try await store.evidence(of: read.scanID, system: system.id, catalog: .standard).evidence
            let text = try await store.evidenceJSON(of: read.scanID, system: system.id, catalog: .standard)
            #expect(text.map(\.json) == (try typed.map { Array(try encoder.encode($0)) }), "\(system.id)")
            #expect(text.map(\.endpoint) == typed.map { $0.endpoint?.description })
            records += text.count
        }
        #expect(records >= evidence.count)
        // A kind the catalog does not read is left out, as the typed read-back leaves it out.
        let first = read.systems[0].id
        let withoutCrawl = EvidenceCatalog(merging: [.ipv6DNS, .tls, .tlsDepth, .tlsAddresses, .certificateNames, .drift,
                                                     EvidenceCatalog([LinkPages.self, CloakingCheck.self])])
        let fewer = try await store.evidenceJSON(of: read.scanID, system: first, catalog: withoutCrawl)
        #expect(fewer.count < (try await store.evidenceJSON(of: read.scanID, system: first, catalog: .standard)).count)
        #expect(!fewer.contains { String(decoding: $0.json, as: UTF8.self).contains("\"kind\":\"\(LinkCrawl.kind)\"") })
    }

    @Test("JSONLayout lays compact JSON out as JSONEncoder's prettyPrinted does: every evidence kind, at any depth, empty containers, strings of brackets and escapes")
    func layout() throws {
        let compact = JSONEncoder()
        compact.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        func laid<T: Encodable>(_ value: T, depth: Int) throws -> String {
            var out: [UInt8] = []
            JSONLayout.pretty(Array(try compact.encode(value)), depth: depth, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        for e in evidence {
            #expect(try laid(e, depth: 0) == String(decoding: try pretty.encode(e), as: UTF8.self), "\(e.kind)")
        }
        struct Edge: Encodable {
            var empty: [Int] = [], none: [String: Int] = [:], nested = [[1, 2], []], deep = ["x": ["y": [String]()]]
            var text = "q\"{}[],: \\ / \u{1}\u{8}\n\t é [\"]", number = 1.5, flag = true, missing: Int? = nil
        }
        let whole = String(decoding: try pretty.encode([[[Edge()]]]), as: UTF8.self)
        #expect(whole == "[\n  [\n    [\n      " + (try laid(Edge(), depth: 3)) + "\n    ]\n  ]\n]")
        #expect(try laid([String](), depth: 1) == "[\n\n  ]")
    }

    @Test("given --no-store, the scan is spooled to a temporary store: the same report, and the spool is gone once the report is")
    func spooled() async throws {
        var spoolPath = ""
        do {
            let (outcome, reference) = try await scanned(Province.inventory(4), store: nil)
            #expect(outcome.scanID == nil)
            let stored = try #require(outcome.report.systems as? StoredSystems)
            spoolPath = stored.store.location.path
            #expect(FileManager.default.fileExists(atPath: spoolPath))
            let attributes = try FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: spoolPath).deletingLastPathComponent().path)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
            let whole = try EvaluationJSON.render(reference, policy: policy, provenance: Province.request(reference.inventory, policy: policy).provenance,
                                                  failOn: .high)
            #expect(try await streamedJSON(outcome.report) == whole)
        }
        #expect(!spoolPath.isEmpty && !FileManager.default.fileExists(atPath: spoolPath))
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: spoolPath).deletingLastPathComponent().path))
    }

    @Test("the JSON written piece by piece is the document JSONEncoder writes whole, also with no system")
    func piecesAreTheWhole() throws {
        for inventory in [Province.inventory(5), Inventory(name: "Tỉnh An Giang", agencies: [], systems: [])] {
            let probe = FixtureProbe(evidence: evidence)
            let e = Evaluator(policy: policy).evaluate(inventory, asOf: Province.asOf,
                                                       evidence: Dictionary(uniqueKeysWithValues: inventory.systems.map { system in
                                               // A first scan adds the drift evidence of each crawl, with no baseline.
                                               let collected = probe.collected(for: system)
                                               return (system.id, collected + DriftEvidence.make(system, collected, baselines: [:]))
                                           }))
            let provenance = Province.request(inventory, policy: policy).provenance
            let writer = try EvaluationJSON.Writer(e.report, policy: policy, provenance: provenance, failOn: .medium)
            let oracle = try EvaluationJSON.encode(Whole(header: writer.header, systems: e.systems.map { writer.dto($0) }))
            #expect(try EvaluationJSON.render(e, policy: policy, provenance: provenance, failOn: .medium) == oracle)
        }
    }

    @Test("the figures tallied in finishing order equal those of the inventory's order")
    func tallyOrder() throws {
        let inventory = Province.inventory(9)
        let probe = FixtureProbe(evidence: evidence)
        let evaluator = Evaluator(policy: policy)
        let systems = inventory.systems.compactMap { evaluator.evaluate($0, asOf: Province.asOf, evidence: probe.collected(for: $0),
                                                                        provinceDomain: inventory.domain) }
        var tally = SummaryTally(policy: policy, inventory: inventory)
        for s in systems.reversed() { tally.add(s) }
        let inOrder = Evaluation(asOf: Province.asOf, inventory: inventory, systems: systems, policy: policy, probed: true).summary
        #expect(try EvaluationJSON.encode(tally.summary) == EvaluationJSON.encode(inOrder))
        #expect(tally.count == systems.count)
        #expect(inOrder.province.figures.contains { $0.failedSystems.count > 1 })   // the order is tested on real lists
    }
}

/// The oracle: header and systems encoded as one document by one encoder.
private struct Whole: Encodable {
    var header: EvaluationJSON.Header
    var systems: [EvaluationJSON.SystemDTO]
    private enum Keys: String, CodingKey { case systems }
    func encode(to encoder: Encoder) throws {
        try header.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(systems, forKey: .systems)
    }
}
