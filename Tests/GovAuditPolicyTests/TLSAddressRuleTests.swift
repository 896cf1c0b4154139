import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Every address of an endpoint: the agreement fact computed from the records, and the three
/// tls-addresses rules on fixtures (an odd address, an older IPv6 front end, one address down).
@Suite("TLS rules on every address")
struct TLSAddressRuleTests {
    let base: TLSRuleTests
    init() throws { base = try TLSRuleTests() }

    static let gcm = TLSOffer.Suite(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    static let aes13 = TLSOffer.Suite(code: 0x1301, name: "TLS_AES_128_GCM_SHA256")
    static let cbc = TLSOffer.Suite(code: 0x002F, name: "TLS_RSA_WITH_AES_128_CBC_SHA")
    static let leafA = String(repeating: "a1", count: 32), leafB = String(repeating: "b2", count: 32)

    /// An address serving TLS 1.2 + 1.3 with `leaf`, fully enumerated unless `fingerprint`.
    func record(_ address: String, primary: Bool = false, versions: [TLSVersion] = [.tls12, .tls13], leaf: String? = leafA,
                suites12: [TLSOffer.Suite] = [gcm], fingerprint: Bool = false) -> TLSAddresses.Record {
        let family: AddressFamily = address.contains(":") ? .ipv6 : .ipv4
        let accepted = versions.map { v in TLSOffer.Accepted(version: v, suites: v == .tls13 ? [Self.aes13] : suites12, serverOrder: nil) }
        return .init(address: address, family: family, primary: primary, probing: fingerprint ? .fingerprint : .full, outcome: .collected,
                     versions: versions, chosen: accepted.map { .init(version: $0.version, suite: $0.suites[0]) },
                     suites: fingerprint ? nil : accepted, leafSHA256: leaf, handshakes: primary ? 0 : 7)
    }

    func failed(_ address: String) -> TLSAddresses.Record {
        .init(address: address, family: address.contains(":") ? .ipv6 : .ipv4, probing: .fingerprint,
              outcome: .failed(.refused("nothing listens on \(address):443")), handshakes: 2)
    }

    func check(_ rule: String, _ records: [TLSAddresses.Record]) -> (RuleResult.Status?, [Finding]) {
        base.check(rule, [Evidence(endpoint: base.ep, facts: TLSAddresses(records: records))])
    }

    @Test("addresses that serve the same agree; every tls-addresses rule passes")
    func allAgree() {
        let records = [record("127.0.10.136", primary: true), record("127.0.10.137", fingerprint: true), record("fd10::136"),
                       record("fd10::137", fingerprint: true)]
        let a = TLSAddressAgreement(records)
        #expect(a.allAgree == true && a.differing.isEmpty)
        #expect(a.reference == .init(protocols: [.tls12, .tls13], leafSHA256: Self.leafA, suitesOf: "127.0.10.136"))
        for rule in ["tls.address-differs", "tls.ipv6-older", "tls.address-unavailable"] {
            #expect(check(rule, records).0 == .pass, "\(rule)")
        }
    }

    @Test("a fingerprint matches on versions and chosen suites, and on the leaf only where both are known")
    func fingerprint() {
        let full = record("127.0.10.136", primary: true)
        #expect(record("127.0.10.137", fingerprint: true).sameFingerprint(as: full))
        #expect(record("127.0.10.137", leaf: nil, fingerprint: true).sameFingerprint(as: full))
        #expect(!record("127.0.10.137", leaf: Self.leafB, fingerprint: true).sameFingerprint(as: full))
        #expect(!record("127.0.10.137", versions: [.tls12], fingerprint: true).sameFingerprint(as: full))
        #expect(!record("127.0.10.137", suites12: [Self.cbc], fingerprint: true).sameFingerprint(as: full))
    }

    @Test("the odd one out differs, not the majority; a tie goes to the primary")
    func majority() {
        let odd = [record("127.0.10.136", primary: true, leaf: Self.leafB), record("127.0.10.137"), record("127.0.10.138", fingerprint: true)]
        #expect(TLSAddressAgreement(odd).differing == [.init(address: "127.0.10.136", family: .ipv4, aspects: [.certificate])])
        let tie = [record("127.0.10.136", primary: true), record("fd10::136", versions: [.tls10, .tls12], leaf: Self.leafB)]
        let a = TLSAddressAgreement(tie)
        #expect(a.allAgree == false)
        #expect(a.differing == [.init(address: "fd10::136", family: .ipv6, aspects: [.protocols, .suites, .certificate])])
    }

    @Test("an IPv6 front end with TLS 1.0, no TLS 1.3, a CBC suite without forward secrecy and another leaf: both rules name it; keys hold no address")
    func olderIPv6() {
        let records = [record("127.0.10.138", primary: true),
                       record("fd10::138", versions: [.tls10, .tls12], leaf: Self.leafB, suites12: [Self.gcm, Self.cbc])]
        let (d, df) = check("tls.address-differs", records)
        #expect(d == .fail)
        #expect(df.count == 3)
        let protocols = df.first { $0.evidence.contains(Fact("expected", "TLSv1.2 TLSv1.3")) }
        #expect(protocols?.evidence == [Fact("addresses", "fd10::138"), Fact("expected", "TLSv1.2 TLSv1.3"), Fact("found", "TLSv1 TLSv1.2")])
        let suites = df.first { $0.evidence.contains { $0.name == "suites.extra" } }
        #expect(suites?.evidence.contains(Fact("suites.extra", "TLSv1 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA, TLSv1.2 TLS_RSA_WITH_AES_128_CBC_SHA")) == true)
        #expect(suites?.evidence.contains(Fact("suites.missing", "TLSv1.3 TLS_AES_128_GCM_SHA256")) == true)
        #expect(df.contains { $0.evidence == [Fact("addresses", "fd10::138"), Fact("expected", Self.leafA), Fact("found", Self.leafB)] })
        let (o, of) = check("tls.ipv6-older", records)
        #expect(o == .fail)
        #expect(of.first?.evidence == [Fact("addresses", "fd10::138"), Fact("ipv4.protocols", "TLSv1.2 TLSv1.3"),
                                       Fact("ipv6.protocols", "TLSv1 TLSv1.2"), Fact("legacy", "TLSv1"), Fact("missing", "TLSv1.3"),
                                       Fact("weakerSuites", "TLS_RSA_WITH_AES_128_CBC_SHA")])
        // The same fault on another address (DNS renumbered) is the same finding.
        let moved = [record("127.0.10.138", primary: true),
                     record("fd10::99", versions: [.tls10, .tls12], leaf: Self.leafB, suites12: [Self.gcm, Self.cbc])]
        #expect(Set(check("tls.address-differs", moved).1.map(\.key)) == Set(df.map(\.key)))
        #expect(check("tls.ipv6-older", moved).1.map(\.key) == of.map(\.key))
        let keys = ["protocols", "suites", "certificate"].map { Finding.key(rule: "tls.address-differs", system: df[0].system, endpoint: df[0].endpoint, subject: $0) }
        #expect(Set(df.map(\.key)) == Set(keys))
    }

    @Test("IPv6 offering less legacy than IPv4 is not older; the legacy list is the policy's")
    func olderIsThePolicys() {
        let newer = [record("127.0.10.138", primary: true, versions: [.tls11, .tls12, .tls13]), record("fd10::138")]
        #expect(check("tls.ipv6-older", newer).0 == .pass)
        let tls10 = [record("127.0.10.138", primary: true), record("fd10::138", versions: [.tls10, .tls12, .tls13])]
        #expect(check("tls.ipv6-older", tls10).0 == .fail)
        let lax = base.policy.setting("tls.ipv6-older", "legacyProtocols", .list([.text("SSLv3")]))
        #expect(base.check("tls.ipv6-older", [Evidence(endpoint: base.ep, facts: TLSAddresses(records: tls10))], policy: lax).0 == .pass)
    }

    @Test("one address refusing while the others answer is a finding of its family naming it; all failing is not this rule's")
    func unavailable() {
        let records = [record("127.0.10.139", primary: true), failed("127.0.10.140"), record("fd10::139")]
        #expect(TLSAddressAgreement(records).differing == [.init(address: "127.0.10.140", family: .ipv4, aspects: [.availability])])
        let (s, f) = check("tls.address-unavailable", records)
        #expect(s == .fail)
        #expect(f.map(\.evidence) == [[Fact("port", "443"), Fact("addresses", "127.0.10.140"), Fact("results", "refused"),
                                       Fact("details", "127.0.10.140: nothing listens on 127.0.10.140:443")]])
        #expect(f.first?.key == Finding.key(rule: "tls.address-unavailable", system: f[0].system, endpoint: f[0].endpoint, subject: "ipv4"))
        #expect(check("tls.address-differs", records).0 == .pass)
        var primaryDown = failed("127.0.10.139")
        primaryDown.primary = true
        #expect(check("tls.address-unavailable", [primaryDown, failed("fd10::139")]).0 == .pass)
    }

    @Test("an address the scanner could not test, or a budget cut short, makes a clean result unknown, never a pass")
    func untested() {
        var v6 = record("fd10::136")
        v6.outcome = .couldNotTest("IPv6 disabled (--no-ipv6)")
        let records = [record("127.0.10.136", primary: true), v6]
        #expect(TLSAddressAgreement(records).allAgree == nil)
        #expect(check("tls.address-differs", records).0 == .unknown)
        var cut = failed("127.0.10.137")
        cut.outcome = .failed(.budgetExhausted("the TLS probe's 30 s ran out"))
        #expect(check("tls.address-unavailable", [record("127.0.10.136", primary: true), cut]).0 == .unknown)
    }

    @Test("the stored fixture (an older IPv6 front end, a refusing address, one beyond the bound, HTTPS answers that differ) fails all four rules")
    func fixture() {
        let a = EvidenceFixtures.addresses
        #expect(a.notProbed == [.init(family: .ipv4, count: 1, addresses: ["127.0.10.35"])])
        #expect(a.handshakes == 30 && a.httpsRequests == 2 && a.primary == "127.0.10.33")
        for rule in ["tls.address-differs", "tls.ipv6-older", "tls.address-unavailable", "https.address-differs"] {
            #expect(base.check(rule, [Evidence(endpoint: base.ep, facts: a)]).0 == .fail, "\(rule)")
        }
    }
}
