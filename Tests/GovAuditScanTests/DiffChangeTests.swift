import GovAuditCore
import GovAuditPolicy
import GovAuditScan
import Testing

/// "Changed" in a diff: the same key with another severity, status, or value of a fact its rule
/// declares identifying; any other fact (days left, addresses) moving is no change.
@Suite("Diff: what makes a finding changed")
struct DiffChangeTests {
    func finding(_ rule: String, _ facts: [Fact], severity: Severity = .high) -> Finding {
        Finding(rule: rule, area: .tls, severity: severity, system: "cong-ttdt", endpoint: "https://angiang.gov.vn/",
                title: LocalizedText(vi: "Giao thức cũ", en: "Legacy protocols"), remedy: LocalizedText(vi: "Tắt", en: "Disable"),
                legalBasis: LegalBasis(regime: "nd85", citation: "TCVN 11930:2017", confidence: .secondary), evidence: facts)
    }

    @Test("an identifying fact that changed is a change, named with its old and new value")
    func identifying() throws {
        let was = finding("tls.legacy-protocols", [Fact("protocols", "TLSv1.1")])
        let now = finding("tls.legacy-protocols", [Fact("protocols", "TLSv1.0 TLSv1.1")])
        let change = try #require(ScanDiff.change(was, now))
        #expect(change.facts == [ScanDiff.RecordChange(field: "protocols", old: "TLSv1.1", new: "TLSv1.0 TLSv1.1")])
        #expect(change.oldSeverity == .high)
    }

    @Test("a fact the rule does not declare identifying moves without a change")
    func other() {
        let was = finding("tls.legacy-protocols", [Fact("protocols", "TLSv1.1"), Fact("address", "192.0.2.1")])
        let now = finding("tls.legacy-protocols", [Fact("protocols", "TLSv1.1"), Fact("address", "192.0.2.2")])
        #expect(ScanDiff.change(was, now) == nil)
        let soon = finding("tls.cert-expired", [Fact("daysLeft", "9")]), sooner = finding("tls.cert-expired", [Fact("daysLeft", "8")])
        #expect(ScanDiff.change(soon, sooner) == nil)
    }

    @Test("a severity change is a change even with the same facts")
    func severity() throws {
        let was = finding("tls.cert-expired", [Fact("daysLeft", "9")], severity: .medium)
        let now = finding("tls.cert-expired", [Fact("daysLeft", "9")], severity: .high)
        let change = try #require(ScanDiff.change(was, now))
        #expect(change.oldSeverity == .medium && change.facts == nil)
    }

    @Test("every rule with identifying facts exists")
    func rulesExist() {
        let ids = Set(RuleRegistry.ids)
        #expect(Set(IdentifyingFacts.byRule.keys).subtracting(ids).isEmpty)
    }
}
