import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Spam signals: brands and keywords in domain labels matched as words, and each finding
/// naming the signal that fired.
@Suite("Spam signals")
struct SpamSignalTests {
    let policy: Policy
    init() throws { policy = try Repo.policy() }
    var terms: SpamSignals.Terms { SpamSignals.Terms(policy.rule("links.spam")!.parameters) }

    /// A keyword matches without its spaces and diacritics (tài xỉu → taixiu), and is named as the policy writes it.
    @Test("a brand or keyword as a whole label, or next to digits or a separator", arguments: [
        ("fb88.com", "fb88"), ("w88vn.net", "w88"), ("nhacai88.io", "nhacai"), ("188bet.example", "bet"), ("bet-online.example", "bet"),
        ("www.bet.example", "bet"), ("taixiu-uy-tin.example", "tài xỉu"), ("link.kubet.example", "kubet"),
    ])
    func matches(host: String, term: String) {
        #expect(DomainTerms.matches(host, terms: terms.domainTerms).contains(term), "\(host)")
    }

    @Test("inside another word it is not one: betong (bê tông), alphabet, sussex, javascript", arguments: [
        "betong-hanoi.vn", "alphabet.com", "sussex.ac.uk", "javascript.info", "slotted.example", "casinoroyale-film.example",
    ])
    func noMatch(host: String) {
        #expect(DomainTerms.matches(host, terms: ["bet", "sex", "jav", "slot", "casino"]).isEmpty, "\(host)")
    }

    @Test("each signal named: text, attribute, slug, domain, blocklist")
    func signals() {
        let innocuous = SpamSignals(text: "Xem thêm", attributes: [], url: "https://fb88vn.example/", host: "fb88vn.example", terms)
        #expect(innocuous.names == ["domain"] && innocuous.facts.contains(Fact("domainTerms", "fb88")))
        let all = SpamSignals(text: "nhà cái uy tín", attributes: ["", "nổ hũ"], url: "https://kuwin88.example/soi-cau",
                              host: "kuwin88.example", terms)
        #expect(all.names == ["text", "attribute", "slug", "domain", "blocklist"])
        #expect(all.facts.contains(Fact("signals", "text, attribute, slug, domain, blocklist")))
        let clean = SpamSignals(text: "Cổng dịch vụ công", attributes: [], url: "https://dichvucong.gov.vn/p/home", host: "dichvucong.gov.vn", terms)
        #expect(clean.isEmpty)
    }
}
