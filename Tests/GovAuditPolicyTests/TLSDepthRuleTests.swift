import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// The depth rules on constructed evidence: each rule's fail and pass, a failed check is
/// unknown (never a pass), and the DH minimum is the policy's.
@Suite("TLS depth rules")
struct TLSDepthRuleTests {
    let base: TLSRuleTests
    init() throws { base = try TLSRuleTests() }

    static let sound = TLSVulnerabilities(
        heartbleed: .observed(.init(extensionEchoed: false, requestSent: false, overreadBytes: 0)),
        ccsInjection: .observed(.init(accepted: false, alert: 10)), compression: .observed(.init(method: 0)),
        fallbackSCSV: .observed(.init(version: .tls12, rejected: true)), handshakes: 3)
    static let features = TLSProtocolFeatures(
        extensions: .observed(.init(version: .tls12, secureRenegotiation: true, extendedMasterSecret: true, sessionTicket: true, alpn: "h2")),
        clientRenegotiation: .observed(.init(accepted: false, detail: "the server closed the connection")),
        resumptionByID: .observed(false), resumptionByTicket: .observed(true), earlyData: .observed(.init(tickets: 2, maxEarlyData: 0)),
        handshakes: 5)
    static let ecdhe = TLSKeyExchange.Used(suite: .init(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                                           group: .init(code: 0x001D, name: "x25519"), dhBits: nil, dhPrime: nil)
    static let kex = TLSKeyExchange(preferred: .observed(ecdhe), dhe: .notApplicable("no DHE suite accepted"),
                                    tls13Groups: .observed([.init(code: 0x001D, name: "x25519")]), handshakes: 2)

    func check(_ rule: String, vulns: TLSVulnerabilities = sound, features: TLSProtocolFeatures = features, kex: TLSKeyExchange = kex,
               offer: TLSOffer? = nil) -> (RuleResult.Status?, [Finding]) {
        base.check(rule, base.evidence(offer: offer) + [Evidence(endpoint: base.ep, facts: vulns), Evidence(endpoint: base.ep, facts: features),
                                                        Evidence(endpoint: base.ep, facts: kex)])
    }

    @Test("a sound server passes every depth rule")
    func soundPasses() {
        for rule in TLSDepthRules.all.map(\.id) { #expect(check(rule).0 == .pass, "\(rule)") }
    }

    @Test("each vulnerability fails its own rule, with the fact that shows it")
    func vulnerabilities() {
        var v = Self.sound
        v.heartbleed = .observed(.init(extensionEchoed: true, requestSent: true, overreadBytes: 16_384))
        v.ccsInjection = .observed(.init(accepted: true, alert: 20))
        v.compression = .observed(.init(method: 1))
        v.fallbackSCSV = .observed(.init(version: .tls11, rejected: false))
        #expect(check("tls.heartbleed", vulns: v).1.first?.evidence == [Fact("overreadBytes", "16384")])
        #expect(check("tls.ccs-injection", vulns: v).1.first?.evidence == [Fact("alert", "20")])
        #expect(check("tls.compression", vulns: v).1.first?.evidence == [Fact("method", "DEFLATE")])
        #expect(check("tls.no-fallback-scsv", vulns: v).1.first?.evidence == [Fact("fallbackVersion", "TLSv1.1")])
    }

    @Test("a check that failed is unknown for its rule only; one that does not apply passes")
    func failedCheck() {
        var v = Self.sound
        v.heartbleed = .failed(.timeout("the server went silent"))
        v.fallbackSCSV = .notApplicable("one version")
        #expect(check("tls.heartbleed", vulns: v).0 == .unknown)
        #expect(check("tls.ccs-injection", vulns: v).0 == .pass)
        #expect(check("tls.no-fallback-scsv", vulns: v).0 == .pass)
    }

    @Test("protocol features: insecure and client renegotiation, EMS, 0-RTT, resumption, h2")
    func protocolFeatures() {
        var f = Self.features
        f.extensions = .observed(.init(version: .tls12, secureRenegotiation: false, extendedMasterSecret: false, sessionTicket: false, alpn: nil))
        f.clientRenegotiation = .observed(.init(accepted: true, detail: ""))
        f.earlyData = .observed(.init(tickets: 1, maxEarlyData: 16_384))
        f.resumptionByTicket = .observed(false)
        for rule in ["tls.insecure-renegotiation", "tls.client-renegotiation", "tls.no-extended-master-secret", "tls.early-data",
                     "tls.no-session-resumption", "tls.no-h2"] {
            #expect(check(rule, features: f).0 == .fail, "\(rule)")
        }
        f.resumptionByTicket = .failed(.timeout("silent"))
        #expect(check("tls.no-session-resumption", features: f).0 == .unknown)
        f.resumptionByID = .observed(true)
        #expect(check("tls.no-session-resumption", features: f).0 == .pass)   // one way to resume is enough
    }

    @Test("DH below the policy's minDHBits fails, from the preferred suite or a DHE-only hello; the size is the policy's")
    func weakDH() {
        let dh = TLSKeyExchange.Used(suite: .init(code: 0x009E, name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), group: nil, dhBits: 1024, dhPrime: nil)
        let k = TLSKeyExchange(preferred: .observed(Self.ecdhe), dhe: .observed(dh), tls13Groups: .notApplicable("no TLS 1.3"), handshakes: 1)
        let (r, f) = check("tls.weak-dh", kex: k)
        #expect(r == .fail && f.first?.evidence.contains(Fact("dhBits", "1024")) == true && f.first?.evidence.contains(Fact("prime", "custom")) == true)
        let lenient = base.policy.setting("tls.weak-dh", "minDHBits", .number(1024))
        let stored = base.evidence() + [Evidence(endpoint: base.ep, facts: Self.sound), Evidence(endpoint: base.ep, facts: Self.features),
                                        Evidence(endpoint: base.ep, facts: k)]
        #expect(base.check("tls.weak-dh", stored, policy: lenient).0 == .pass)
    }

    @Test("non-AEAD suites are a low finding; the weak ones stay tls.weak-suites'")
    func nonAEAD() {
        let cbc = TLSOffer.Suite(code: 0xC013, name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
        let (r, f) = check("tls.non-aead-suites", offer: base.offer(suites: TLSRuleTests.modern + [cbc, TLSRuleTests.tripleDES]))
        #expect(r == .fail && f.first?.evidence == [Fact("suites", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")])
        #expect(f.first?.severity == .low)
    }
}
