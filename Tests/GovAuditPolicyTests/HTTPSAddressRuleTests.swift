import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// https.address-differs on fixtures: every address's HTTPS answer (tls.addresses' `https`)
/// against the primary's, per aspect (status class, redirect target, HSTS policy).
@Suite("https.address-differs: the HTTPS answer of every address")
struct HTTPSAddressRuleTests {
    let base: TLSRuleTests
    init() throws { base = try TLSRuleTests() }

    static let hsts = "max-age=31536000; includeSubDomains"

    func record(_ address: String, primary: Bool = false, _ https: CheckResult<AddressHTTPS>?) -> TLSAddresses.Record {
        .init(address: address, family: address.contains(":") ? .ipv6 : .ipv4, primary: primary, probing: .full, outcome: .collected,
              versions: [.tls12, .tls13], leafSHA256: String(repeating: "a1", count: 32), https: https)
    }

    func answer(_ status: Int = 200, location: String? = nil, hsts: String? = hsts) -> CheckResult<AddressHTTPS> {
        .observed(AddressHTTPS(status: status, location: location, strictTransportSecurity: hsts))
    }

    func check(_ records: [TLSAddresses.Record]) -> (RuleResult.Status?, [Finding]) {
        base.check("https.address-differs", [Evidence(endpoint: base.ep, facts: TLSAddresses(records: records))])
    }

    @Test("addresses answering alike pass, the HSTS header's spelling aside; one address alone passes")
    func alike() {
        #expect(check([record("127.0.10.143", primary: true, answer()), record("127.0.10.144", answer(hsts: "max-age=31536000 ; includesubdomains")),
                       record("fd10::143", answer())]).0 == .pass)
        #expect(check([record("127.0.10.143", primary: true, answer())]).0 == .pass)
        // No policy either way: an absent header and max-age=0 say the same to a browser.
        #expect(check([record("127.0.10.143", primary: true, answer(hsts: nil)), record("127.0.10.144", answer(hsts: "max-age=0"))]).0 == .pass)
    }

    @Test("an address without HSTS: one finding keyed on the aspect, naming the address and both policies")
    func hstsMissing() {
        let (s, f) = check([record("127.0.10.143", primary: true, answer()), record("127.0.10.144", answer(hsts: nil)), record("fd10::143", answer())])
        #expect(s == .fail)
        #expect(f.map(\.evidence) == [[Fact("addresses", "127.0.10.144"), Fact("primary", "127.0.10.143"), Fact("expected", Self.hsts),
                                       Fact("found", "none")]])
        #expect(f.first?.key == Finding.key(rule: "https.address-differs", system: f[0].system, endpoint: f[0].endpoint, subject: "hsts"))
        // Another address with the same fault (DNS renumbered): the same finding.
        let moved = check([record("127.0.10.143", primary: true, answer()), record("127.0.10.199", answer(hsts: "max-age=abc"))]).1
        #expect(moved.map(\.key) == f.map(\.key))
        #expect(moved.first?.evidence.contains(Fact("found", "none (max-age=abc)")) == true)
        #expect(check([record("127.0.10.143", primary: true, answer()), record("127.0.10.144", answer(hsts: "max-age=300"))]).1
            .first?.evidence.contains(Fact("found", "max-age=300")) == true)
    }

    @Test("a redirect where the primary serves the page is a status-class difference; two redirects elsewhere, a target difference")
    func statusAndRedirect() {
        let (s, f) = check([record("127.0.10.145", primary: true, answer()),
                            record("fd10::145", answer(302, location: "https://angiang.gov.vn/"))])
        #expect(s == .fail)
        #expect(f.map(\.evidence) == [[Fact("addresses", "fd10::145"), Fact("primary", "127.0.10.145"), Fact("expected", "200"), Fact("found", "302")]])
        // 301 and 302 are one class; a relative Location resolves against the endpoint's URL.
        let same = check([record("127.0.10.145", primary: true, answer(301, location: "https://sotuphap.angiang.gov.vn/vi/")),
                          record("127.0.10.146", answer(302, location: "/vi/"))])
        #expect(same.0 == .pass)
        let (_, elsewhere) = check([record("127.0.10.145", primary: true, answer(301, location: "/vi/")),
                                    record("127.0.10.146", answer(301, location: "https://old.angiang.gov.vn/"))])
        #expect(elsewhere.map(\.evidence) == [[Fact("addresses", "127.0.10.146"), Fact("primary", "127.0.10.145"),
                                               Fact("expected", "https://sotuphap.angiang.gov.vn/vi/"), Fact("found", "https://old.angiang.gov.vn/")]])
    }

    @Test("an address whose TLS answers but whose fetch fails gave no answer: a status difference, the failure named")
    func fetchFailed() {
        let (s, f) = check([record("127.0.10.143", primary: true, answer()),
                            record("127.0.10.144", .failed(.timeout("timeout: no answer within 6000 ms")))])
        #expect(s == .fail)
        #expect(f.first?.evidence.contains(Fact("found", "no answer: timeout")) == true)
    }

    @Test("unknown, never a pass: the primary's answer failed, an address's fetch cut short or not testable")
    func unknown() {
        #expect(check([record("127.0.10.143", primary: true, .failed(.timeout("timeout"))), record("127.0.10.144", answer())]).0 == .unknown)
        #expect(check([record("127.0.10.143", primary: true, answer()),
                       record("127.0.10.144", .failed(.budgetExhausted("the TLS probe's 30 s ran out")))]).0 == .unknown)
        #expect(check([record("127.0.10.143", primary: true, answer()),
                       record("127.0.10.144", .failed(FailureReason(code: "could-not-test", detail: "no route")))]).0 == .unknown)
        // A difference seen elsewhere is still reported.
        #expect(check([record("127.0.10.143", primary: true, answer()), record("127.0.10.144", answer(hsts: nil)),
                       record("127.0.10.145", .failed(.budgetExhausted("ran out")))]).0 == .fail)
    }

    @Test("the answer's facts: Location only for a redirect, the first HSTS header only (RFC 6797 §8.1)")
    func facts() {
        let headers = [HeaderField("Location", "/x"), HeaderField("Strict-Transport-Security", "max-age=1"),
                       HeaderField("strict-transport-security", "max-age=2")]
        #expect(AddressHTTPS(status: 200, headers: headers) == AddressHTTPS(status: 200, strictTransportSecurity: "max-age=1"))
        #expect(AddressHTTPS(status: 308, headers: headers).location == "/x")
    }
}
