import Testing
@testable import GovAuditCore

@Suite("Endpoint and host names")
struct EndpointTests {
    @Test("URLs keep scheme, port and path; hosts are lower-cased")
    func urls() throws {
        let e = try Endpoint(parsing: "HTTPS://DichVuCong.AnGiang.gov.vn:8443/portal?x=1#top")
        #expect(e.scheme == "https")
        #expect(e.host == "dichvucong.angiang.gov.vn")
        #expect(e.port == 8443)
        #expect(e.path == "/portal?x=1")
        #expect(e.description == "https://dichvucong.angiang.gov.vn:8443/portal?x=1")
        #expect(try Endpoint(parsing: "http://angiang.gov.vn").effectivePort == 80)
        #expect(try Endpoint(parsing: "https://angiang.gov.vn").path == "/")
    }

    @Test("bare hosts, IPv6 literals")
    func hosts() throws {
        let mail = try Endpoint(parsing: "mail.angiang.gov.vn.")
        #expect(mail.scheme == nil && mail.host == "mail.angiang.gov.vn" && mail.description == "mail.angiang.gov.vn")
        let v6 = try Endpoint(parsing: "https://[FD10::5]:443/")
        #expect(v6.host == "fd10::5" && v6.port == 443 && v6.description == "https://[fd10::5]:443/")
    }

    @Test("bad endpoints are refused with a reason")
    func bad() {
        #expect(throws: Endpoint.ParseError.unsupportedScheme("ftp")) { try Endpoint(parsing: "ftp://angiang.gov.vn") }
        #expect(throws: Endpoint.ParseError.badPort("99999")) { try Endpoint(parsing: "angiang.gov.vn:99999") }
        #expect(throws: Endpoint.ParseError.badHost("an giang.gov.vn")) { try Endpoint(parsing: "https://an giang.gov.vn/") }
        #expect(throws: Endpoint.ParseError.empty) { try Endpoint(parsing: "  ") }
    }

    @Test("Vietnamese names become IDNA (values checked against Python's idna codec)")
    func idna() {
        #expect(HostName.normalize("Việt.vn") == "xn--vit-5kz.vn")
        #expect(HostName.normalize("sở-tư-pháp.angiang.gov.vn") == "xn--s-t-php-mwa37pr84l.angiang.gov.vn")
        #expect(HostName.normalize("HồChíMinh.gov.vn") == "xn--hchminh-9ya7999d.gov.vn")
        // The same name typed with combining marks (NFD) normalizes to the same host.
        #expect(HostName.normalize("Vie\u{0323}\u{0302}t.vn") == "xn--vit-5kz.vn")
        #expect(Punycode.encode("bücher") == "bcher-kva")
        // RFC 3492 §7.1 sample (A): Arabic (Egyptian).
        #expect(Punycode.encode("\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}")
                == "egbpdaj6bu4bxfgehfvwxn")
    }

    @Test("subdomain test is label-wise")
    func subdomains() {
        #expect(HostName.isSubdomain("sotuphap.angiang.gov.vn", of: "gov.vn"))
        #expect(HostName.isSubdomain("gov.vn", of: "gov.vn"))
        #expect(!HostName.isSubdomain("evilgov.vn", of: "gov.vn"))
    }
}

@Suite("Findings")
struct FindingTests {
    private func finding(subject: String, endpoint: String? = nil) -> Finding {
        Finding(rule: "layer3.assessment-overdue", area: .layer3, severity: .high, system: "lgsp",
                endpoint: endpoint, title: .init(vi: "Quá hạn", en: "Overdue"), remedy: .init(vi: "a", en: "b"),
                legalBasis: .init(regime: "nd85", citation: "NĐ 85", confidence: .confirmed),
                evidence: [Fact("dueDate", "2026-08-15")], subject: subject)
    }

    @Test("the key is stable across runs and tells different problems apart")
    func keys() {
        #expect(finding(subject: "").key == finding(subject: "").key)
        #expect(finding(subject: "a").key != finding(subject: "b").key)
        #expect(finding(subject: "", endpoint: "https://x.vn/").key != finding(subject: "").key)
        // FNV-1a 64 of a known input, so a change of algorithm (which would orphan history) fails.
        #expect(Finding.key(rule: "r", system: "s", endpoint: nil, subject: "") == fnv("r\u{1F}s\u{1F}\u{1F}"))
    }

    private func fnv(_ s: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return String(h, radix: 16).leftPadded(16)
    }

    @Test("severities order from info to critical")
    func severities() {
        #expect(Severity.critical > Severity.high && Severity.high > Severity.medium)
        #expect(Severity.medium > Severity.low && Severity.low > Severity.info)
        #expect(Severity.allCases.max() == .critical)
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
