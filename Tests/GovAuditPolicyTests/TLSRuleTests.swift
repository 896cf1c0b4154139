import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Each TLS and HTTPS rule's pass and fail case, the grade's caps, and HSTS parsing, on evidence
/// fixtures: suites by code point, certificate dates as timestamps, answers with headers as sent.
@Suite("TLS and HTTPS rules")
struct TLSRuleTests {
    let policy: Policy
    init() throws { policy = try Repo.policy() }
    let ep = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")
    static let asOf = "2026-11-26"

    static let modern = [TLSOffer.Suite(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")]
    static let tripleDES = TLSOffer.Suite(code: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA")

    func offer(_ protocols: [TLSVersion] = [.tls12, .tls13], suites: [TLSOffer.Suite] = modern) -> TLSOffer {
        TLSOffer(versions: protocols.map { v in
                    .init(version: v, suites: v == .tls13 ? [.init(code: 0x1301, name: "TLS_AES_128_GCM_SHA256")] : suites,
                          serverOrder: v == .tls13 ? nil : true)
                 },
                 groups: [.init(code: 0x001D, name: "x25519")], handshakes: 12)
    }

    /// A certificate valid until `daysLeft` days after the as-of day (noon UTC of that day).
    func cert(daysLeft: Int = 200, verify: Int = 0, hostname: Bool = true, keyType: String = "RSA", bits: Int = 2048,
              signature: String = "sha256WithRSAEncryption", chainLength: Int = 2, selfSigned: Bool = false,
              noSNI: String? = nil) -> TLSCertificate {
        let day = day(Self.asOf).adding(days: daysLeft)
        let notAfter = Timestamp(parsing: "\(day)T05:00:00Z")!
        let notBefore = Timestamp(secondsSince1970: notAfter.secondsSince1970 - 300 * 86_400)
        let leaf = TLSCertificate.ChainEntry(subject: "sotuphap.angiang.gov.vn", issuer: "CA", notBefore: notBefore, notAfter: notAfter,
                                             keyType: keyType, keyBits: bits, signature: signature)
        return TLSCertificate(chain: Array(repeating: leaf, count: chainLength), subject: "sotuphap.angiang.gov.vn",
                              subjectAltNames: ["sotuphap.angiang.gov.vn"], issuer: "CA", notBefore: notBefore, notAfter: notAfter,
                              keyType: keyType, keyBits: bits, signature: signature, selfSigned: selfSigned, chainLength: chainLength,
                              verifyResult: verify, verifyError: verify == 0 ? "ok" : "unable to get local issuer certificate",
                              hostnameMatches: hostname, signedCertificateTimestamps: 2,
                              withoutSNI: .init(subject: noSNI ?? "sotuphap.angiang.gov.vn", hostnameMatches: noSNI == nil, failure: nil))
    }

    static let secureHeaders = [HeaderField("Content-Security-Policy", "default-src 'self'"), HeaderField("X-Content-Type-Options", "nosniff"),
                                HeaderField("X-Frame-Options", "DENY"), HeaderField("Referrer-Policy", "no-referrer")]

    func plain(status: Int = 301, location: String? = "https://sotuphap.angiang.gov.vn/", server: String = "nginx") -> PlainHTTPAnswer {
        PlainHTTPAnswer(url: "http://sotuphap.angiang.gov.vn/", status: status,
                        headers: [HeaderField("Server", server)] + (location.map { [HeaderField("Location", $0)] } ?? []))
    }

    func secure(hsts: String? = "max-age=31536000; includeSubDomains", headers: [HeaderField] = secureHeaders,
                server: String = "nginx") -> HTTPSAnswer {
        HTTPSAnswer(url: ep.description, status: 200,
                    headers: [HeaderField("Server", server)] + (hsts.map { [HeaderField("Strict-Transport-Security", $0)] } ?? []) + headers)
    }

    static let securityTxt = "Contact: mailto:csirt@angiang.gov.vn\nExpires: 2027-06-30T17:00:00.000Z\n"

    func securityTxt(status: Int = 200, text: String = securityTxt) -> SecurityTxt {
        SecurityTxt(url: "https://sotuphap.angiang.gov.vn/.well-known/security.txt", finalURL: "https://sotuphap.angiang.gov.vn/.well-known/security.txt",
                    status: status, contentType: "text/plain; charset=utf-8", text: text, truncated: false)
    }

    func evidence(offer o: TLSOffer? = nil, cert c: TLSCertificate? = nil, plain p: Evidence? = nil, secure s: Evidence? = nil,
                  securityTxt t: Evidence? = nil) -> [Evidence] {
        [Evidence(endpoint: ep, facts: o ?? offer()), Evidence(endpoint: ep, facts: c ?? cert()),
         p ?? Evidence(endpoint: ep, facts: plain()), s ?? Evidence(endpoint: ep, facts: secure()),
         t ?? Evidence(endpoint: ep, facts: securityTxt())]
    }

    func check(_ rule: String, _ evidence: [Evidence], policy p: Policy? = nil, on date: String = asOf) -> (RuleResult.Status?, [Finding]) {
        var system = makeSystem()
        system.endpoints = [ep]
        let e = Evaluator(policy: p ?? policy).evaluate(system, asOf: day(date), evidence: evidence)!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }

    func check(_ rule: String, offer o: TLSOffer? = nil, cert c: TLSCertificate? = nil, plain p: PlainHTTPAnswer? = nil,
               secure s: HTTPSAnswer? = nil) -> (RuleResult.Status?, [Finding]) {
        check(rule, evidence(offer: o, cert: c, plain: p.map { Evidence(endpoint: ep, facts: $0) }, secure: s.map { Evidence(endpoint: ep, facts: $0) }))
    }

    func grade(_ evidence: [Evidence], policy p: Policy? = nil) -> Measurement? {
        var system = makeSystem()
        system.endpoints = [ep]
        return Evaluator(policy: p ?? policy).evaluate(system, asOf: day(Self.asOf), evidence: evidence)!
            .measurements.first { $0.rule == "tls.grade" && $0.endpoint == ep }
    }

    @Test("a sound endpoint passes every tls and https rule")
    func sound() {
        for rule in TLSRules.all.map(\.id) {
            #expect(check(rule).0 == .pass, "\(rule)")
        }
    }

    @Test("protocol and suite rules", arguments: [
        ("tls.ssl-offered", [TLSVersion.sslv3, .tls12]), ("tls.legacy-protocols", [.tls10, .tls12]), ("tls.no-tls12", [.tls13]),
    ])
    func protocols(rule: String, offered: [TLSVersion]) {
        #expect(check(rule, offer: offer(offered)).0 == .fail)
    }

    @Test("weak suites and forward secrecy are the rules' reading of the suite names; weakness is the policy's list")
    func suites() {
        let (r, f) = check("tls.weak-suites", offer: offer(suites: Self.modern + [Self.tripleDES]))
        #expect(r == .fail && f.first?.evidence == [Fact("suites", "TLS_RSA_WITH_3DES_EDE_CBC_SHA (3des)")])
        let fs = check("tls.no-forward-secrecy", offer: offer(suites: Self.modern + [Self.tripleDES])).1
        #expect(fs.first?.evidence == [Fact("forwardSecrecy", "some"), Fact("suites", "TLS_RSA_WITH_3DES_EDE_CBC_SHA")])
        // The same stored offer under a policy that also calls CBC weak.
        let cbc = TLSOffer.Suite(code: 0xC013, name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
        #expect(check("tls.weak-suites", offer: offer(suites: Self.modern + [cbc])).0 == .pass)
        let strict = policy.setting("tls.weak-suites", "weakProperties", .list(["cbc", "rc4"].map(ParameterValue.text)))
        let stored = evidence(offer: offer(suites: Self.modern + [cbc]))
        #expect(check("tls.weak-suites", stored, policy: strict).1.first?.evidence.first?.value == "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (cbc)")
    }

    @Test("certificate rules count days from the as-of day; the two expiry windows (30 and 7 days)")
    func certificates() {
        #expect(check("tls.cert-expired", cert: cert(daysLeft: -3)).0 == .fail)
        #expect(check("tls.cert-untrusted", cert: cert(daysLeft: -3, verify: 20)).0 == .pass)   // expiry says it
        #expect(check("tls.cert-expiring", cert: cert(daysLeft: 20)).0 == .fail)
        #expect(check("tls.cert-expiring-urgent", cert: cert(daysLeft: 20)).0 == .pass)
        #expect(check("tls.cert-expiring-urgent", cert: cert(daysLeft: 5)).0 == .fail)
        #expect(check("tls.cert-untrusted", cert: cert(verify: 20)).1.first?.evidence.contains(Fact("verifyResult", "20")) == true)
        #expect(check("tls.cert-incomplete-chain", cert: cert(verify: 20, chainLength: 1)).0 == .fail)
        #expect(check("tls.cert-incomplete-chain", cert: cert(verify: 18, chainLength: 1, selfSigned: true)).0 == .pass)
        #expect(check("tls.cert-hostname", cert: cert(hostname: false)).0 == .fail)
        #expect(check("tls.cert-hostname", cert: cert(noSNI: "khac.angiang.gov.vn")).1.first?.key != nil)
        #expect(check("tls.cert-weak-key", cert: cert(bits: 1024)).0 == .fail)
        #expect(check("tls.cert-weak-key", cert: cert(keyType: "EC", bits: 224)).1.first?.evidence.contains(Fact("minimum", "EC-256")) == true)
        #expect(check("tls.cert-weak-signature", cert: cert(signature: "sha1WithRSAEncryption")).0 == .fail)
    }

    @Test("the same stored certificate re-judged on a later day: expiring, then expired")
    func laterDay() {
        let stored = evidence(cert: cert(daysLeft: 40))
        #expect(check("tls.cert-expiring", stored).0 == .pass)
        #expect(check("tls.cert-expiring", stored, on: "2026-12-26").1.first?.evidence.contains(Fact("daysLeft", "10")) == true)
        #expect(check("tls.cert-expired", stored, on: "2027-01-10").0 == .fail)
    }

    @Test("the grade is the rule's result: A+ with long HSTS, each cap, the worst cap wins, T and M below F")
    func grades() {
        #expect(grade(evidence())?.fact("grade") == "A+")
        #expect(grade(evidence(secure: Evidence(endpoint: ep, facts: secure(hsts: "max-age=300"))))?.fact("grade") == "A")
        #expect(grade(evidence(offer: offer([.tls10, .tls12])))?.fact("grade") == "B")
        let several = grade(evidence(offer: offer([.tls10, .tls12], suites: Self.modern + [Self.tripleDES])))
        #expect(several?.fact("grade") == "C" && several?.fact("caps")?.components(separatedBy: "; ").count == 3)
        #expect(grade(evidence(cert: cert(verify: 20)))?.fact("grade") == "T")
        #expect(grade(evidence(cert: cert(hostname: false)))?.fact("grade") == "M")
        #expect(check("tls.grade", offer: offer([.sslv3, .tls12])).1.first?.evidence.contains(Fact("grade", "F")) == true)
        #expect(check("tls.grade", offer: offer([.tls10, .tls12])).0 == .pass)   // B is the minimum
        // A+ needs the policy's HSTS length: raised above one year, the same evidence grades A.
        #expect(grade(evidence(), policy: policy.setting("tls.grade", "plusMinMaxAge", .number(63_072_000)))?.fact("grade") == "A")
    }

    @Test("https rules: redirect, permanence, HSTS presence and length, headers, banner")
    func https() {
        #expect(check("https.no-redirect", plain: plain(status: 200, location: nil)).0 == .fail)
        #expect(check("https.no-redirect", plain: plain(location: "https://dichvucong.angiang.gov.vn/")).0 == .fail)
        #expect(check("https.no-redirect", plain: plain(location: "/")).0 == .fail)   // stays on http://
        #expect(check("https.redirect-temporary", plain: plain(status: 302)).0 == .fail)
        #expect(check("https.redirect-temporary", plain: plain(status: 308)).0 == .pass)
        #expect(check("https.no-hsts", secure: secure(hsts: nil)).1.first?.evidence == [Fact("Strict-Transport-Security", "absent")])
        #expect(check("https.no-hsts", secure: secure(hsts: "includeSubDomains")).0 == .fail)   // no max-age: no policy
        #expect(check("https.hsts-short", secure: secure(hsts: "max-age=300")).0 == .fail)
        #expect(check("https.missing-headers", secure: secure(headers: [HeaderField("x-frame-options", "DENY")])).1.first?.evidence
                    == [Fact("missing", "content-security-policy, x-content-type-options, referrer-policy")])
        #expect(check("https.version-banner", secure: secure(server: "nginx/1.22.1")).1.first?.evidence == [Fact("Server", "nginx/1.22.1")])
        #expect(check("https.version-banner", plain: plain(server: "Apache/2.4.62 (Debian)")).0 == .fail)   // over plain HTTP too
        let lenient = policy.setting("https.missing-headers", "headers", .list([.text("X-Frame-Options")]))
        #expect(check("https.missing-headers", evidence(secure: Evidence(endpoint: ep, facts: secure(headers: [HeaderField("X-Frame-Options", "DENY")]))),
                      policy: lenient).0 == .pass)
    }

    @Test("a failed fetch is its own outcome: the https rules say unknown, never 'no HSTS' or 'no redirect'")
    func failedFetches() {
        let timeout = Evidence(HTTPSAnswer.self, endpoint: ep, outcome: .failed(.timeout("no answer within 6000 ms")))
        let refused = Evidence(PlainHTTPAnswer.self, endpoint: ep, outcome: .failed(.refused("nothing on port 80")))
        let stored = evidence(plain: refused, secure: timeout)
        for rule in ["https.no-hsts", "https.hsts-short", "https.missing-headers", "https.version-banner", "https.no-redirect",
                     "https.redirect-temporary"] {
            #expect(check(rule, stored).0 == .unknown, "\(rule)")
        }
        #expect(grade(stored)?.fact("grade") == "A")   // no A+ without the evidence for it
    }

    @Test("HSTS is parsed per RFC 6797: case-insensitive directives, quoted max-age, no max-age means no policy, first header only")
    func hstsParse() {
        let a = StrictTransportSecurity("Max-Age=\"31536000\"; includeSubDomains; PRELOAD")
        #expect(a.maxAge == 31_536_000 && a.includeSubDomains && a.preload)
        #expect(StrictTransportSecurity("includeSubDomains").maxAge == nil)
        #expect(StrictTransportSecurity("max-age=300").includeSubDomains == false)
        let two = HTTPSAnswer(url: ep.description, status: 200, headers: [HeaderField("strict-transport-security", "max-age=10"),
                                                                          HeaderField("Strict-Transport-Security", "max-age=99")])
        #expect(two.strictTransportSecurity?.maxAge == 10 && two.strictTransportSecurity?.raw == "max-age=10")
    }
}
