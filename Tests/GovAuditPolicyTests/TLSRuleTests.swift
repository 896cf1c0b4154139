import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Each TLS and HTTPS rule's pass and fail case, the grade's caps, and HSTS parsing.
@Suite("TLS and HTTPS rules")
struct TLSRuleTests {
    let evaluator: Evaluator
    init() throws { evaluator = Evaluator(policy: try Repo.policy()) }
    let ep = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")

    func offer(_ protocols: [String] = ["TLSv1.2", "TLSv1.3"], weak: [String: String] = [:], fs: String = "all") -> TLSOffer {
        TLSOffer(protocols: protocols, suites: ["TLSv1.2": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]], serverOrder: [:],
                 groups: ["x25519"], weakSuites: weak, forwardSecrecy: fs, handshakes: 12)
    }

    func cert(daysLeft: Int = 200, trusted: Bool = true, hostname: Bool = true, bits: Int = 2048, signature: String = "sha256WithRSAEncryption",
              complete: Bool = true, noSNI: String? = nil) -> TLSCertificate {
        TLSCertificate(subject: "sotuphap.angiang.gov.vn", subjectAltNames: ["sotuphap.angiang.gov.vn"], issuer: "CA", notBefore: "2026-01-01",
                       notAfter: "2027-01-01", daysLeft: daysLeft, keyType: "RSA", keyBits: bits, signature: signature, selfSigned: false,
                       chainLength: complete ? 2 : 1, trusted: trusted, verifyError: trusted ? nil : "unable to get local issuer certificate",
                       chainComplete: complete, hostnameMatches: hostname, ocspStapled: false,
                       withoutSNISubject: noSNI, withoutSNIHostnameMatches: noSNI.map { _ in false })
    }

    func site(redirect: Bool = true, status: Int = 301, hsts: Int? = 31_536_000, headers: [String] = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"],
              banner: String? = nil) -> HTTPSFacts {
        HTTPSFacts(httpStatus: status, httpLocation: redirect ? ep.description : nil, redirectsToHTTPS: redirect,
                   strictTransportSecurity: hsts.map { "max-age=\($0)" }, hstsMaxAge: hsts, hstsIncludeSubDomains: true, hstsPreload: false,
                   hstsOverHTTP: false, securityHeaders: headers, versionBanner: banner)
    }

    func check(_ rule: String, offer o: TLSOffer? = nil, cert c: TLSCertificate? = nil, site s: HTTPSFacts? = nil) -> (RuleResult.Status?, [Finding]) {
        var system = makeSystem()
        system.endpoints = [ep]
        let evidence = [Evidence(endpoint: ep, facts: o ?? offer()), Evidence(endpoint: ep, facts: c ?? cert()),
                        Evidence(endpoint: ep, facts: s ?? site())]
        let e = evaluator.evaluate(system, asOf: day("2026-11-26"), evidence: evidence)!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }

    @Test("a sound endpoint passes every tls and https rule")
    func sound() {
        for rule in TLSRules.all.map(\.id) {
            #expect(check(rule).0 == .pass, "\(rule)")
        }
    }

    @Test("protocol and suite rules", arguments: [
        ("tls.ssl-offered", ["SSLv3", "TLSv1.2"]), ("tls.legacy-protocols", ["TLSv1", "TLSv1.2"]), ("tls.no-tls12", ["TLSv1.3"]),
    ])
    func protocols(rule: String, offered: [String]) {
        #expect(check(rule, offer: offer(offered)).0 == .fail)
    }

    @Test("weak suites and forward secrecy")
    func suites() {
        #expect(check("tls.weak-suites", offer: offer(weak: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA": "3des"])).0 == .fail)
        #expect(check("tls.no-forward-secrecy", offer: offer(fs: "some")).0 == .fail)
    }

    @Test("certificate rules and the two expiry windows (30 and 7 days)")
    func certificates() {
        #expect(check("tls.cert-expired", cert: cert(daysLeft: -3)).0 == .fail)
        #expect(check("tls.cert-untrusted", cert: cert(daysLeft: -3, trusted: false)).0 == .pass)   // expiry says it
        #expect(check("tls.cert-expiring", cert: cert(daysLeft: 20)).0 == .fail)
        #expect(check("tls.cert-expiring-urgent", cert: cert(daysLeft: 20)).0 == .pass)
        #expect(check("tls.cert-expiring-urgent", cert: cert(daysLeft: 5)).0 == .fail)
        #expect(check("tls.cert-untrusted", cert: cert(trusted: false)).0 == .fail)
        #expect(check("tls.cert-incomplete-chain", cert: cert(complete: false)).0 == .fail)
        #expect(check("tls.cert-hostname", cert: cert(hostname: false)).0 == .fail)
        #expect(check("tls.cert-hostname", cert: cert(noSNI: "khac.angiang.gov.vn")).1.first?.key != nil)
        #expect(check("tls.cert-weak-key", cert: cert(bits: 1024)).0 == .fail)
        #expect(check("tls.cert-weak-signature", cert: cert(signature: "sha1WithRSAEncryption")).0 == .fail)
    }

    @Test("the grade: A+ with long HSTS, each cap, the worst cap wins, T and M below F")
    func grade() {
        // The default policy's caps and thresholds, as the evaluator gets them.
        let caps = evaluator.policy.parameters(of: "tls.grade", regime: "nd85")!
        #expect(TLSGrade.compute(offer: offer(), certificate: cert(), https: site(), parameters: caps).grade == "A+")
        #expect(TLSGrade.compute(offer: offer(), certificate: cert(), https: site(hsts: 300), parameters: caps).grade == "A")
        #expect(TLSGrade.compute(offer: offer(["TLSv1", "TLSv1.2"]), certificate: cert(), https: site(), parameters: caps).grade == "B")
        let several = TLSGrade.compute(offer: offer(["TLSv1", "TLSv1.2"], weak: ["X": "3des"]), certificate: cert(), https: site(), parameters: caps)
        #expect(several.grade == "C" && several.reasons.count == 2)
        #expect(TLSGrade.compute(offer: offer(), certificate: cert(trusted: false), https: site(), parameters: caps).grade == "T")
        #expect(TLSGrade.compute(offer: offer(), certificate: cert(hostname: false), https: site(), parameters: caps).grade == "M")
        #expect(check("tls.grade", offer: offer(["SSLv3", "TLSv1.2"])).1.first?.evidence.contains(Fact("grade", "F")) == true)
        #expect(check("tls.grade", offer: offer(["TLSv1", "TLSv1.2"])).0 == .pass)   // B is the minimum
    }

    @Test("https rules: redirect, permanence, HSTS presence and length, headers, banner")
    func https() {
        #expect(check("https.no-redirect", site: site(redirect: false, status: 200)).0 == .fail)
        #expect(check("https.redirect-temporary", site: site(status: 302)).0 == .fail)
        #expect(check("https.no-hsts", site: site(hsts: nil)).0 == .fail)
        #expect(check("https.hsts-short", site: site(hsts: 300)).0 == .fail)
        #expect(check("https.missing-headers", site: site(headers: ["x-frame-options"])).1.first?.evidence
                    == [Fact("missing", "content-security-policy, x-content-type-options, referrer-policy")])
        #expect(check("https.version-banner", site: site(banner: "nginx/1.22.1")).0 == .fail)
    }

    @Test("HSTS is parsed per RFC 6797: case-insensitive directives, quoted max-age, no max-age means no policy")
    func hstsParse() {
        let a = HTTPSFacts.parseHSTS("Max-Age=\"31536000\"; includeSubDomains; PRELOAD")
        #expect(a.maxAge == 31_536_000 && a.includeSubDomains && a.preload)
        #expect(HTTPSFacts.parseHSTS("includeSubDomains").maxAge == nil)
        #expect(HTTPSFacts.parseHSTS("max-age=300").includeSubDomains == false)
    }
}
