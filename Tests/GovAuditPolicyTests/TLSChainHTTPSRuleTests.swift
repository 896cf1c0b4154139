import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// The rules of the TLS depth work on fixtures: every certificate sent, chain order and anchor,
/// lifespan, the stapled OCSP response, Must-Staple, HSTS read strictly, header values, cookies,
/// platform headers and security.txt; and the bugs of the review (forward secrecy of nothing,
/// a suite list cut short passing).
@Suite("TLS chain and HTTPS depth rules")
struct TLSChainHTTPSRuleTests {
    let base: TLSRuleTests
    init() throws { base = try TLSRuleTests() }

    func time(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    func entry(_ cn: String, issuer: String, key: String = "RSA", bits: Int = 2048, signature: String = "sha256WithRSAEncryption",
               selfSigned: Bool = false, days: Int = 300) -> TLSCertificate.ChainEntry {
        .init(subject: cn, issuer: issuer, notBefore: time("2026-06-01T00:00:00Z"),
              notAfter: Timestamp(secondsSince1970: time("2026-06-01T00:00:00Z").secondsSince1970 + Int64(days) * 86_400),
              keyType: key, keyBits: bits, signature: signature, subjectName: "CN=\(cn)", issuerName: "CN=\(issuer)",
              sha256: cn, selfSigned: selfSigned, isCA: cn != "sotuphap.angiang.gov.vn")
    }

    func cert(_ chain: [TLSCertificate.ChainEntry], ocsp: TLSCertificate.StapledOCSP? = nil) -> TLSCertificate {
        var c = base.cert()
        c.chain = chain
        c.chainLength = chain.count
        c.notBefore = chain[0].notBefore
        c.notAfter = chain[0].notAfter
        c.ocsp = ocsp
        return c
    }

    let leaf = "sotuphap.angiang.gov.vn"

    @Test("forward secrecy of an offer with no named suite is unknown, never 'all'")
    func forwardSecrecyOfNothing() {
        let o = TLSOffer(versions: [.init(version: .tls12, suites: [.init(code: 0xFEFE, name: nil)], serverOrder: nil)], groups: [], handshakes: 7)
        #expect(TLSRules.forwardSecrecy(o) == "unknown")
        #expect(base.check("tls.no-forward-secrecy", offer: o).0 == .unknown)
    }

    @Test("a suite list a failed hello cut short makes weak-suites and forward secrecy unknown, not a pass; a weak suite found still fails")
    func cutShort() {
        var o = base.offer()
        o.versions[0].cutShort = .timeout("no TLS answer within 3000 ms")
        #expect(base.check("tls.weak-suites", offer: o).0 == .unknown)
        #expect(base.check("tls.no-forward-secrecy", offer: o).0 == .unknown)
        o.versions[0].suites.append(TLSRuleTests.tripleDES)
        #expect(base.check("tls.weak-suites", offer: o).0 == .fail)
    }

    @Test("every certificate sent is judged: a weak or SHA-1 intermediate is a finding naming it; a root sent along is not judged")
    func wholeChain() {
        let weak = cert([entry(leaf, issuer: "Inter"), entry("Inter", issuer: "Root", bits: 1024, signature: "sha1WithRSAEncryption"),
                         entry("Root", issuer: "Root", bits: 1024, signature: "sha1WithRSAEncryption", selfSigned: true)])
        let (k, kf) = base.check("tls.cert-weak-key", cert: weak)
        #expect(k == .fail && kf.map(\.evidence) == [[Fact("key", "RSA-1024"), Fact("minimum", "RSA-2048"), Fact("certificate", "Inter")]])
        let (s, sf) = base.check("tls.cert-weak-signature", cert: weak)
        #expect(s == .fail && sf.count == 1 && sf.first?.evidence.last == Fact("subject", "Inter"))
        #expect(base.check("tls.chain-anchor-sent", cert: weak).0 == .fail)
        let grade = base.grade(base.evidence(cert: weak))
        #expect(grade?.facts.first { $0.name == "grade" }?.value == "T")
        let sound = cert([entry(leaf, issuer: "Inter"), entry("Inter", issuer: "Root")])
        for rule in ["tls.cert-weak-key", "tls.cert-weak-signature", "tls.chain-anchor-sent", "tls.chain-misordered"] {
            #expect(base.check(rule, cert: sound).0 == .pass, "\(rule)")
        }
    }

    @Test("a chain whose certificates are not each followed by their issuer is misordered")
    func misordered() {
        let shuffled = cert([entry(leaf, issuer: "Inter 2"), entry("Inter 1", issuer: "Root"), entry("Inter 2", issuer: "Inter 1")])
        let (r, f) = base.check("tls.chain-misordered", cert: shuffled)
        #expect(r == .fail && f.first?.evidence.first == Fact("position", "2"))
    }

    @Test("a leaf valid longer than maxDays fails; 397 days passes")
    func lifespan() {
        #expect(base.check("tls.cert-lifespan", cert: cert([entry(leaf, issuer: "Inter", days: 825)])).0 == .fail)
        #expect(base.check("tls.cert-lifespan", cert: cert([entry(leaf, issuer: "Inter", days: 397)])).0 == .pass)
    }

    func ocsp(_ status: String = "successful", cert: String? = "good", matches: Bool? = true, next: String = "2026-12-20T00:00:00Z")
        -> TLSCertificate.StapledOCSP {
        .init(responseStatus: status, certStatus: cert, matchesLeaf: matches, producedAt: time("2026-11-20T00:00:00Z"),
              thisUpdate: time("2026-11-20T00:00:00Z"), nextUpdate: time(next), revokedAt: cert == "revoked" ? time("2026-11-01T00:00:00Z") : nil)
    }

    @Test("the stapled OCSP response is judged: revoked, unparseable, another certificate's or stale fail; any bytes are not a staple")
    func stapledOCSP() {
        let chain = [entry(leaf, issuer: "Inter"), entry("Inter", issuer: "Root")]
        #expect(base.check("tls.ocsp-revoked", cert: cert(chain, ocsp: ocsp(cert: "revoked"))).0 == .fail)
        #expect(base.check("tls.ocsp-revoked", cert: cert(chain, ocsp: ocsp())).0 == .pass)
        let garbage = ocsp("unparseable", cert: nil, matches: nil)
        #expect(!cert(chain, ocsp: garbage).ocspStapled)
        #expect(base.check("tls.ocsp-staple-invalid", cert: cert(chain, ocsp: garbage)).0 == .fail)
        #expect(base.check("tls.ocsp-staple-invalid", cert: cert(chain, ocsp: ocsp(matches: false))).0 == .fail)
        #expect(base.check("tls.ocsp-staple-invalid", cert: cert(chain, ocsp: ocsp(next: "2026-11-01T00:00:00Z"))).0 == .fail)
        #expect(base.check("tls.ocsp-staple-invalid", cert: cert(chain, ocsp: ocsp())).0 == .pass)
        var mustStaple = chain
        mustStaple[0].mustStaple = true
        #expect(base.check("tls.must-staple-unmet", cert: cert(mustStaple)).0 == .fail)
        #expect(base.check("tls.must-staple-unmet", cert: cert(mustStaple, ocsp: ocsp())).0 == .pass)
    }

    @Test("HSTS per RFC 6797: a repeated directive or max-age=0 is no policy; includeSubDomains and preload terms judged")
    func hsts() {
        #expect(StrictTransportSecurity("max-age=31536000; max-age=1").invalid?.contains("twice") == true)
        #expect(StrictTransportSecurity("max-age=31536000; includeSubDomains; includesubdomains").setsPolicy == false)
        #expect(StrictTransportSecurity("max-age=0").setsPolicy == false)
        #expect(StrictTransportSecurity("max-age=\"31536000\";;includeSubDomains").setsPolicy)
        let (r, f) = base.check("https.no-hsts", secure: base.secure(hsts: "max-age=31536000; max-age=31536000"))
        #expect(r == .fail && f.first?.evidence.last?.name == "reason")
        #expect(base.check("https.no-hsts", secure: base.secure(hsts: "max-age=0")).0 == .fail)
        #expect(base.check("https.hsts-short", secure: base.secure(hsts: "max-age=0")).0 == .pass)
        #expect(base.check("https.hsts-no-subdomains", secure: base.secure(hsts: "max-age=31536000")).0 == .fail)
        #expect(base.check("https.hsts-preload-invalid", secure: base.secure(hsts: "max-age=31536000; preload")).0 == .fail)
        #expect(base.check("https.hsts-preload-invalid", secure: base.secure(hsts: "max-age=63072000; includeSubDomains; preload")).0 == .pass)
    }

    @Test("an HTTPS answer redirecting to http:// is a downgrade; to https:// it is not")
    func downgrade() {
        func answer(_ location: String) -> HTTPSAnswer {
            HTTPSAnswer(url: base.ep.description, status: 301, headers: [HeaderField("Location", location)] + TLSRuleTests.secureHeaders)
        }
        #expect(base.check("https.downgrade-redirect", secure: answer("http://sotuphap.angiang.gov.vn/")).0 == .fail)
        #expect(base.check("https.downgrade-redirect", secure: answer("/trang-chu")).0 == .pass)
    }

    @Test("header values are read: nosniff, X-Frame-Options, frame-ancestors and Referrer-Policy that do nothing fail")
    func headerValues() {
        func with(_ name: String, _ value: String) -> HTTPSAnswer {
            base.secure(headers: TLSRuleTests.secureHeaders.filter { $0.name != name } + [HeaderField(name, value)])
        }
        for (name, value) in [("X-Content-Type-Options", "sniff"), ("X-Frame-Options", "ALLOWALL"), ("Referrer-Policy", "unsafe-url"),
                              ("Content-Security-Policy", "default-src 'self'; frame-ancestors *")] {
            let (r, f) = base.check("https.header-values", secure: with(name, value))
            #expect(r == .fail && f.first?.evidence.first?.value == value.replacingOccurrences(of: "default-src 'self'; frame-ancestors ", with: ""), "\(name)")
        }
        // The last policy a browser knows counts; a CSP frame-ancestors stands in for X-Frame-Options.
        #expect(base.check("https.header-values", secure: with("Referrer-Policy", "no-referrer, strict-origin-when-cross-origin")).0 == .pass)
        #expect(base.check("https.header-values", secure: with("X-Frame-Options", "ALLOW-FROM https://a.example/")
            .adding("Content-Security-Policy", "frame-ancestors 'self'")).0 == .pass)
    }

    @Test("cookies set over HTTPS without Secure, HttpOnly or SameSite fail, one finding per cookie; SameSite=None needs Secure")
    func cookies() {
        let site = base.secure(headers: TLSRuleTests.secureHeaders + [HeaderField("Set-Cookie", "PHPSESSID=abc; path=/"),
                                                                      HeaderField("Set-Cookie", "ok=1; Secure; HttpOnly; SameSite=Lax"),
                                                                      HeaderField("Set-Cookie", "x=1; HttpOnly; SameSite=None")])
        let (r, f) = base.check("https.cookie-flags", secure: site)
        #expect(r == .fail && f.count == 2)
        #expect(f.first { $0.evidence.first == Fact("cookie", "PHPSESSID") }?.evidence.last == Fact("missing", "Secure, HttpOnly, SameSite"))
        #expect(f.first { $0.evidence.first == Fact("cookie", "x") }?.evidence.last == Fact("missing", "Secure"))
        #expect(base.check("https.cookie-flags").0 == .pass)
    }

    @Test("X-Powered-By and similar headers are findings by their presence")
    func poweredBy() {
        let (r, f) = base.check("https.powered-by", secure: base.secure(headers: TLSRuleTests.secureHeaders + [HeaderField("X-Powered-By", "PHP/7.4.3")]))
        #expect(r == .fail && f.first?.evidence == [Fact("X-Powered-By", "PHP/7.4.3")])
    }

    @Test("security.txt: missing, without Contact, expired or with two Expires fail; a valid one passes")
    func securityTxt() {
        func check(_ rule: String, _ s: SecurityTxt) -> RuleResult.Status? {
            base.check(rule, base.evidence(securityTxt: Evidence(endpoint: base.ep, facts: s))).0
        }
        #expect(check("https.no-security-txt", base.securityTxt(status: 404, text: "")) == .fail)
        #expect(check("https.no-security-txt", base.securityTxt()) == .pass)
        #expect(check("https.security-txt-invalid", base.securityTxt(text: "Contact: mailto:a@b.vn\nExpires: 2025-01-01T00:00:00Z\n")) == .fail)
        #expect(check("https.security-txt-invalid", base.securityTxt(text: "Expires: 2027-06-30T17:00:00Z\n")) == .fail)
        #expect(check("https.security-txt-invalid", base.securityTxt(text: "Contact: a\nExpires: 2027-01-01T00:00:00Z\nExpires: 2027-02-01T00:00:00Z\n")) == .fail)
        #expect(check("https.security-txt-invalid", base.securityTxt()) == .pass)
        let failed = Evidence(SecurityTxt.self, endpoint: base.ep, outcome: .failed(.timeout("timeout")))
        #expect(base.check("https.no-security-txt", base.evidence(securityTxt: failed)).0 == .unknown)
    }
}

extension HTTPSAnswer {
    func adding(_ name: String, _ value: String) -> HTTPSAnswer {
        HTTPSAnswer(url: url, status: status, headers: headers.filter { $0.name != name } + [HeaderField(name, value)])
    }
}
