import Foundation
import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Stored evidence is the contract: evidence of every kind, written to JSON and read back
/// through the catalog, is judged exactly as the evidence the probes handed over.
@Suite("Stored evidence re-read")
struct StoredEvidenceTests {
    static let file = Repo.path("Tests/Fixtures/evidence-every-kind.json")
    let policy: Policy
    init() throws { policy = try Repo.policy() }

    func encode(_ evidence: [Evidence]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(evidence), as: UTF8.self) + "\n"
    }

    func decode(_ text: String) throws -> [Evidence] {
        let decoder = JSONDecoder()
        decoder.userInfo[.evidenceCatalog] = EvidenceCatalog.standard
        return try decoder.decode([StoredEvidence].self, from: Data(text.utf8)).map(\.evidence)
    }

    /// What must not change between the live and the re-read evaluation.
    func verdicts(_ evidence: [Evidence]) -> (findings: [String], results: [String], measurements: [String]) {
        let e = Evaluator(policy: policy).evaluate(EvidenceFixtures.system, asOf: EvidenceFixtures.asOf, evidence: evidence)!
        return (e.findings.map { "\($0.key) \($0.rule) \($0.severity) \($0.evidence.map { "\($0.name)=\($0.value)" })" },
                e.results.map { "\($0.rule) \($0.status) \($0.reason)" },
                e.measurements.map { "\($0.rule) \($0.endpoint?.description ?? "-") \($0.facts)" })
    }

    @Test("the stored fixture is the fixtures encoded (GOVAUDIT_UPDATE_GOLDEN=1 rewrites it), and reads back byte for byte")
    func stored() throws {
        let text = try encode(EvidenceFixtures.everyKind)
        if ProcessInfo.processInfo.environment["GOVAUDIT_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: Self.file))
        }
        let stored = try String(contentsOfFile: Self.file, encoding: .utf8)
        #expect(stored == text, "Tests/Fixtures/evidence-every-kind.json is stale: rerun with GOVAUDIT_UPDATE_GOLDEN=1 and review the diff")
        #expect(try encode(decode(stored)) == stored)
    }

    @Test("every kind of the catalog is stored, collected at least once, with its version; failures are stored too")
    func everyKind() throws {
        let back = try decode(String(contentsOfFile: Self.file, encoding: .utf8))
        let collected = Set(back.filter { $0.outcome == .collected }.map(\.kind))
        #expect(collected == Set(EvidenceCatalog.standard.kinds))
        #expect(back.allSatisfy { EvidenceCatalog.standard.version(of: $0.kind) == $0.version })
        #expect(back.contains { if case .failed = $0.outcome { true } else { false } })
        #expect(back.contains { if case .couldNotTest = $0.outcome { true } else { false } })
    }

    @Test("re-read evidence gives the same findings (key, severity, evidence), rule results and grades as the live evidence")
    func sameVerdicts() throws {
        let live = verdicts(EvidenceFixtures.everyKind)
        let reread = verdicts(try decode(String(contentsOfFile: Self.file, encoding: .utf8)))
        #expect(reread.findings == live.findings)
        #expect(reread.results == live.results)
        #expect(reread.measurements == live.measurements)
        // The fixture exercises every area that has evidence: a finding of each network area.
        let e = Evaluator(policy: policy).evaluate(EvidenceFixtures.system, asOf: EvidenceFixtures.asOf, evidence: EvidenceFixtures.everyKind)!
        #expect(Set(e.findings.map(\.area)).isSuperset(of: [.ipv6, .dns, .tls, .https, .links]))
        #expect(live.findings.count > 25 && live.measurements.count == 2)
    }

    @Test("stored evidence re-judged on another day and under another policy gives new findings without a scan")
    func rejudged() throws {
        let stored = try decode(String(contentsOfFile: Self.file, encoding: .utf8))
        func rules(_ p: Policy, _ date: CalendarDate) -> Set<String> {
            Set(Evaluator(policy: p).evaluate(EvidenceFixtures.system, asOf: date, evidence: stored)!.findings.map(\.rule))
        }
        #expect(rules(policy, EvidenceFixtures.asOf).contains("tls.cert-expiring"))
        #expect(!rules(policy, EvidenceFixtures.asOf).contains("tls.cert-expired"))
        #expect(rules(policy, EvidenceFixtures.asOf.adding(days: 30)).contains("tls.cert-expired"))
        let noBanner = policy.setting("https.version-banner", "bannerPattern", .text("^never$"))
        #expect(rules(policy, EvidenceFixtures.asOf).subtracting(rules(noBanner, EvidenceFixtures.asOf)) == ["https.version-banner"])
    }
}
