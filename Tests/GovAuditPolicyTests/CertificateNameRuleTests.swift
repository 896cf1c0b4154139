import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// The CAA and www/apex twin rules on fixtures: no RRset anywhere, an RRset that does or does not
/// authorise the leaf's issuer (by the policy's list only), a twin that resolves and fails.
@Suite("Certificate-name rules: CAA and the www/apex twin")
struct CertificateNameRuleTests {
    let base: TLSRuleTests
    init() throws { base = try TLSRuleTests() }
    var ep: Endpoint { base.ep }

    func caa(_ records: [CAARecord], at: String? = "angiang.gov.vn") -> CAARecordSet {
        CAARecordSet(name: "sotuphap.angiang.gov.vn", climbed: ["sotuphap.angiang.gov.vn", "angiang.gov.vn"], foundAt: at,
                     records: records, validation: .insecure)
    }

    func issued(by issuer: String, wildcard: Bool = false) -> TLSCertificate {
        var c = base.cert()
        c.issuer = issuer
        if wildcard { c.subjectAltNames = ["*.angiang.gov.vn"] }
        return c
    }

    func check(_ rule: String, caa s: CAARecordSet? = nil, outcome: Outcome? = nil, cert: TLSCertificate? = nil,
               twin: TwinName? = nil) -> (RuleResult.Status?, [Finding]) {
        let evidence = base.evidence(cert: cert,
                                     caa: s.map { Evidence(endpoint: ep, facts: $0) } ?? Evidence(CAARecordSet.self, endpoint: ep, outcome: outcome ?? .notApplicable),
                                     twin: twin.map { Evidence(endpoint: ep, facts: $0) } ?? Evidence(TwinName.self, endpoint: ep, outcome: outcome ?? .notApplicable))
        return base.check(rule, evidence)
    }

    static let le = "CN=R11,O=Let's Encrypt,C=US"

    @Test("no CAA RRset on the name or any parent is a LOW finding naming the name; an RRset found anywhere passes")
    func noCAA() {
        let (status, findings) = check("tls.no-caa", caa: caa([], at: nil))
        #expect(status == .fail && findings.first?.severity == .low)
        #expect(findings.first?.evidence.contains(Fact("name", "sotuphap.angiang.gov.vn")) == true)
        #expect(check("tls.no-caa", caa: caa([CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org")])).0 == .pass)
    }

    @Test("a failed CAA query is unknown, never \"no CAA\"")
    func failedQuery() {
        let failed = Outcome.failed(FailureReason(code: "servfail", detail: "CAA gov.vn: SERVFAIL"))
        #expect(check("tls.no-caa", outcome: failed).0 == .unknown)
        #expect(check("tls.caa-issuer-not-authorised", outcome: failed).0 == .unknown)
    }

    @Test("an issuer the policy maps is authorised by an issue value naming one of its domains, parameters after ';' aside")
    func authorised() {
        let records = [CAARecord(flags: 0, tag: "issue", value: "LetsEncrypt.org; validationmethods=dns-01"),
                       CAARecord(flags: 0, tag: "iodef", value: "mailto:csirt@angiang.gov.vn")]
        #expect(check("tls.caa-issuer-not-authorised", caa: caa(records), cert: issued(by: Self.le)).0 == .pass)
        // No issue property at all restricts nothing (RFC 8659 §4.2).
        #expect(check("tls.caa-issuer-not-authorised", caa: caa([records[1]]), cert: issued(by: Self.le)).0 == .pass)
    }

    @Test("an RRset naming another CA, or only ';', is an INFO finding with what it permits and the issuer's domains")
    func notAuthorised() throws {
        let (status, findings) = check("tls.caa-issuer-not-authorised", caa: caa([CAARecord(flags: 0, tag: "issue", value: "digicert.com"),
                                                                                  CAARecord(flags: 0, tag: "issue", value: ";")]),
                                       cert: issued(by: Self.le))
        #expect(status == .fail && findings.first?.severity == .info)
        let f = try #require(findings.first)
        #expect(f.evidence.contains(Fact("issuer", "Let's Encrypt")) && f.evidence.contains(Fact("permitted", "digicert.com")))
        #expect(f.evidence.contains(Fact("issuerDomains", "letsencrypt.org")) && f.evidence.contains(Fact("foundAt", "angiang.gov.vn")))
    }

    @Test("a wildcard leaf is judged on issuewild when present; a critical record with an unknown tag forbids issuance")
    func wildcardAndCritical() {
        let records = [CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org"), CAARecord(flags: 0, tag: "issuewild", value: ";")]
        #expect(check("tls.caa-issuer-not-authorised", caa: caa(records), cert: issued(by: Self.le)).0 == .pass)
        #expect(check("tls.caa-issuer-not-authorised", caa: caa(records), cert: issued(by: Self.le, wildcard: true)).0 == .fail)
        let critical = [CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org"), CAARecord(flags: 128, tag: "tbs", value: "x")]
        let (status, findings) = check("tls.caa-issuer-not-authorised", caa: caa(critical), cert: issued(by: Self.le))
        #expect(status == .fail && findings.first?.evidence.contains(Fact("unknownCritical", "tbs")) == true)
    }

    @Test("an issuer missing from the policy's list is not judged; the list is the policy's (a new entry judges it)")
    func unmappedIssuer() {
        let records = [CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org")]
        let lab = issued(by: "CN=GovAudit Lab Intermediate CA,O=GovAudit Lab,C=VN")
        #expect(check("tls.caa-issuer-not-authorised", caa: caa(records), cert: lab).0 == .notApplicable)
        let policy = base.policy.setting("tls.caa-issuer-not-authorised", "issuerDomains",
                                         .map(["GovAudit Lab": .list([.text("ca.lab.angiang.gov.vn")])]))
        let evidence = base.evidence(cert: lab, caa: Evidence(endpoint: ep, facts: caa(records)))
        #expect(base.check("tls.caa-issuer-not-authorised", evidence, policy: policy).0 == .fail)
    }

    @Test("issuer organisations are read from RFC 2253 names with escapes")
    func distinguishedNames() {
        #expect(DistinguishedName.value("O", in: "CN=Go Daddy Secure CA - G2,OU=http://certs.godaddy.com/repository/,O=GoDaddy.com\\, Inc.,L=Scottsdale") == "GoDaddy.com, Inc.")
        #expect(DistinguishedName.value("O", in: "CN=CA,O=S\\C3\\A1 T\\E1\\BA\\A1i") == "Sá Tại")
        #expect(DistinguishedName.value("O", in: "CN=CA") == nil)
    }

    @Test("an issuer without O= is looked up by its CN")
    func issuerByCommonName() {
        let records = [CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org")]
        let policy = base.policy.setting("tls.caa-issuer-not-authorised", "issuerDomains",
                                         .map(["GovAudit Lab Intermediate CA": .list([.text("ca.lab.angiang.gov.vn")])]))
        let evidence = base.evidence(cert: issued(by: "CN=GovAudit Lab Intermediate CA"), caa: Evidence(endpoint: ep, facts: caa(records)))
        #expect(base.check("tls.caa-issuer-not-authorised", evidence, policy: policy).1.first?.evidence.first == Fact("issuer", "GovAudit Lab Intermediate CA"))
    }

    func twin(_ addresses: [String] = ["127.0.10.124"], matches: Bool = true, verify: Int = 0, tls: FailureReason? = nil,
              https: TwinName.Answer? = .init(status: 301, location: "https://sotuphap.angiang.gov.vn/"), fetch: FailureReason? = nil) -> TwinName {
        TwinName(listed: "sotuphap.angiang.gov.vn", twin: "www.sotuphap.angiang.gov.vn", addresses: addresses,
                 certificate: addresses.isEmpty || tls != nil ? nil : .init(subject: "sotuphap.angiang.gov.vn", subjectAltNames: ["sotuphap.angiang.gov.vn"],
                                                                          hostnameMatches: matches, verifyResult: verify, verifyError: verify == 0 ? "ok" : "self-signed"),
                 tlsFailure: tls, https: addresses.isEmpty || tls != nil || !matches ? nil : https, httpsFailure: fetch)
    }

    @Test("a twin that does not resolve, or answers over HTTPS with a certificate naming it, passes")
    func twinFine() {
        #expect(check("https.twin-name-broken", twin: twin([])).0 == .pass)
        #expect(check("https.twin-name-broken", twin: twin()).0 == .pass)
    }

    @Test("a twin that resolves but whose certificate does not name it, does not verify, fails TLS or gives no answer is a finding keyed by the twin, no address")
    func twinBroken() throws {
        let cases: [(TwinName, String)] = [(twin(matches: false), "name-not-covered"), (twin(verify: 18), "untrusted"),
                                           (twin(tls: FailureReason(code: "handshake", detail: "connect: refused")), "tls-failed"),
                                           (twin(https: nil, fetch: .timeout("no answer")), "no-https-answer")]
        for (t, problem) in cases {
            let (status, findings) = check("https.twin-name-broken", twin: t)
            let f = try #require(findings.first, "\(problem)")
            #expect(status == .fail && f.severity == .medium && f.evidence.contains(Fact("problem", problem)))
            #expect(f.key == Finding.key(rule: "https.twin-name-broken", system: f.system, endpoint: f.endpoint,
                                         subject: "www.sotuphap.angiang.gov.vn"))
        }
    }

    @Test("a twin step that failed or was not planned is unknown or not applicable")
    func twinNotJudged() {
        #expect(check("https.twin-name-broken", outcome: .failed(.timeout("no DNS answer"))).0 == .unknown)
        #expect(check("https.twin-name-broken").0 == .notApplicable)
    }
}

extension CertificateNameRuleTests {
    @Test("a stored scan from before the certificate-names probe (TLS evidence, none of its kinds) is not applicable, not unknown")
    func predates() {
        let old = base.evidence().filter { $0.kind != CAARecordSet.kind && $0.kind != TwinName.kind }
        for rule in ["tls.no-caa", "tls.caa-issuer-not-authorised", "https.twin-name-broken"] {
            #expect(base.check(rule, old).0 == .notApplicable, "\(rule)")
        }
    }
}
