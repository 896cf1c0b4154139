import GovAuditCore

/// Stored evidence of every kind, as a scan of two portals would leave it: one that shows a
/// problem in every area, one whose steps failed (timeouts, refusals, a failed handshake).
/// `Tests/Fixtures/evidence-every-kind.json` is this, encoded; the re-read test and the schema
/// test both read that file.
enum EvidenceFixtures {
    static let troubled = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")
    static let failing = try! Endpoint(parsing: "https://dichvucong.angiang.gov.vn/")
    static let asOf = CalendarDate(year: 2026, month: 11, day: 26)!

    static func time(_ s: String) -> Timestamp { Timestamp(parsing: s)! }

    static var system: System {
        var s = makeSystem(id: "so-tu-phap")
        s.endpoints = [troubled, failing]
        return s
    }

    static var everyKind: [Evidence] { troubledSite + failingSite }

    static var troubledSite: [Evidence] {
        let ep = troubled
        let page = "https://sotuphap.angiang.gov.vn/"
        func link(_ element: String, _ url: String, text: String = "", hiding: String? = nil, redirect: String? = nil,
                  external: Bool = true) -> PageLink {
            PageLink(element: element, attribute: element == "a" ? "href" : element == "meta" ? "content" : "src", written: url,
                     url: url, text: text, title: nil, alt: nil, hiding: hiding, redirect: redirect, external: external)
        }
        let home = PageContent(page: "/", url: page, status: 200, title: "Sở Tư pháp tỉnh An Giang",
                               visibleText: "Tin tức hoạt động của Sở Tư pháp", hiddenText: "nổ hũ đổi thưởng", textCharactersDropped: 0,
                               links: [link("a", "https://sotuphap.angiang.gov.vn/tin-tuc", text: "Tin tức", external: false),
                                       link("a", "https://kuwin88.example/", text: "nhà cái uy tín", hiding: "display:none"),
                                       link("a", "https://foreign-news.example/world", text: "World news"),
                                       link("script", "http://cdn-thirdparty.example/legacy.js"),
                                       link("a", "mailto:vanthu@angiang.gov.vn", text: "Liên hệ", external: false)],
                               linksDropped: 3, encoding: PageEncoding(charset: "CP1258", source: "meta"), template: ["footer", "header#top"])
        let injected = PageContent(page: "/khuyen-mai.html", url: page + "khuyen-mai.html", status: 200, title: "Khuyến mãi",
                                   visibleText: "Đăng ký nhận thưởng", hiddenText: "",
                                   links: [PageLink(element: "link", attribute: "href", written: "/", url: page, text: "", title: nil, alt: nil,
                                                    hiding: nil, redirect: nil, external: false, rel: "canonical")],
                                   encoding: PageEncoding(charset: "VNI-WIN", source: "meta", replaced: 2,
                                                          unreadable: "the character set 'VNI-WIN' is not one this build decodes"),
                                   sitemapOnly: true)
        let missing = PageContent(page: "/govaudit-kiem-tra-404", url: page + "govaudit-kiem-tra-404", status: 404, title: "404",
                                  visibleText: "Không tìm thấy trang", hiddenText: "",
                                  links: [link("script-redirect", "https://kuwin88.example/404", redirect: "javascript-redirect")])
        let browser = PageContent(page: "/", url: page, status: 200, title: "Sở Tư pháp", visibleText: "Tin tức", hiddenText: "", links: [])
        return [
            Evidence(endpoint: ep, facts: DNSResolution(name: ep.host, a: ["127.0.10.33"], aaaa: ["fd10::33"], cnameChain: [],
                                                        validation: .insecure)),
            Evidence(endpoint: ep, facts: ZoneFacts(zone: "angiang.gov.vn",
                nameServers: [ServerAddresses(name: "ns1.angiang.gov.vn", ipv4: ["127.0.10.2"], ipv6: ["fd10::2"]),
                              ServerAddresses(name: "ns2.angiang.gov.vn", ipv4: ["127.0.10.3"], ipv6: [])],
                mailExchangers: [], mxFailure: .timeout("no DNS answer within 3000 ms"), signed: false, validation: .insecure,
                dsPublished: false)),
            Evidence(endpoint: ep, facts: Reachability(family: .ipv4, attempts: [.init(address: "127.0.10.33", port: 80, outcome: .open),
                                                                                  .init(address: "127.0.10.33", port: 443, outcome: .open)])),
            Evidence(endpoint: ep, facts: Reachability(family: .ipv6, attempts: [.init(address: "fd10::33", port: 80, outcome: .open),
                                                                                  .init(address: "fd10::33", port: 443, outcome: .stall)])),
            Evidence(endpoint: ep, facts: FamilyParity(url: ep.description,
                ipv4: .init(address: "127.0.10.33", status: 200, finalURL: page, bytes: 4096, tokens: 420, failure: nil),
                ipv6: .init(address: "fd10::33", status: 200, finalURL: page, bytes: 1200, tokens: 120, failure: nil), commonTokens: 100)),
            Evidence(endpoint: ep, facts: TLSOffer(versions: [
                .init(version: .tls10, suites: [.init(code: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA")], serverOrder: nil),
                .init(version: .tls12, suites: [.init(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                                                .init(code: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA")], serverOrder: true),
            ], groups: [.init(code: 0x001D, name: "x25519"), .init(code: 0xFE00, name: nil)],
               unanswered: [.init(version: .sslv2, reason: .timeout("no TLS answer within 3000 ms"))], handshakes: 23)),
            Evidence(endpoint: ep, facts: TLSCertificate(
                chain: [.init(subject: ep.host, issuer: "GovAudit Lab Intermediate CA", notBefore: time("2026-03-01T00:00:00Z"),
                              notAfter: time("2026-12-16T04:59:59Z"), keyType: "RSA", keyBits: 1024, signature: "sha1WithRSAEncryption")],
                subject: ep.host, subjectAltNames: [ep.host], issuer: "GovAudit Lab Intermediate CA",
                notBefore: time("2026-03-01T00:00:00Z"), notAfter: time("2026-12-16T04:59:59Z"), keyType: "RSA", keyBits: 1024,
                signature: "sha1WithRSAEncryption", selfSigned: false, chainLength: 1, verifyResult: 20,
                verifyError: "unable to get local issuer certificate", hostnameMatches: true,
                withoutSNI: .init(subject: "angiang.gov.vn", hostnameMatches: false, failure: nil))),
            Evidence(endpoint: ep, facts: PlainHTTPAnswer(url: "http://sotuphap.angiang.gov.vn/", status: 302,
                headers: [HeaderField("Server", "nginx/1.22.1"), HeaderField("Location", page)])),
            Evidence(endpoint: ep, facts: HTTPSAnswer(url: page, status: 200,
                headers: [HeaderField("Server", "nginx/1.22.1"), HeaderField("Strict-Transport-Security", "max-age=300"),
                          HeaderField("X-Frame-Options", "SAMEORIGIN"), HeaderField("Set-Cookie", "a=1"), HeaderField("Set-Cookie", "b=2")])),
            Evidence(endpoint: ep, facts: SecurityTxt(url: page + ".well-known/security.txt", finalURL: page + ".well-known/security.txt",
                status: 200, contentType: "text/plain; charset=utf-8",
                text: "Contact: mailto:csirt@angiang.gov.vn\nExpires: 2026-01-01T00:00:00Z\n", truncated: false)),
            Evidence(endpoint: ep, facts: CAARecordSet(
                name: ep.host, climbed: [ep.host, "angiang.gov.vn"], foundAt: "angiang.gov.vn",
                records: [.init(flags: 0, tag: "issue", value: "digicert.com; account=12"), .init(flags: 0, tag: "issuewild", value: ";"),
                          .init(flags: 128, tag: "tbs", value: "\\027[31m"), .init(flags: 0, tag: "iodef", value: "mailto:csirt@angiang.gov.vn")],
                validation: .insecure)),
            Evidence(endpoint: ep, facts: TwinName(
                listed: ep.host, twin: "www." + ep.host, addresses: ["127.0.10.33", "fd10::33"],
                certificate: .init(subject: ep.host, subjectAltNames: [ep.host], hostnameMatches: false, verifyResult: 0, verifyError: "ok"))),
            Evidence(endpoint: ep, facts: TLSVulnerabilities(
                heartbleed: .observed(.init(extensionEchoed: true, requestSent: true, overreadBytes: 16_384)),
                ccsInjection: .observed(.init(accepted: false, alert: 10)), compression: .observed(.init(method: 1)),
                fallbackSCSV: .notApplicable("the server offers one TLS version: there is nothing to fall back to"), handshakes: 3)),
            Evidence(endpoint: ep, facts: TLSProtocolFeatures(
                extensions: .observed(.init(version: .tls12, secureRenegotiation: false, extendedMasterSecret: false, sessionTicket: true,
                                            alpn: nil)),
                clientRenegotiation: .observed(.init(accepted: true, detail: "")), resumptionByID: .observed(false),
                resumptionByTicket: .failed(.timeout("the server went silent during the handshake (0 bytes received)")),
                earlyData: .notApplicable("the server offers no TLS 1.3"), handshakes: 4)),
            Evidence(endpoint: ep, facts: TLSKeyExchange(
                preferred: .observed(.init(suite: .init(code: 0x009E, name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), group: nil, dhBits: 1024,
                                           dhPrime: nil)),
                dhe: .observed(.init(suite: .init(code: 0x009E, name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), group: nil, dhBits: 1024,
                                     dhPrime: nil)),
                tls13Groups: .notApplicable("the server offers no TLS 1.3"), handshakes: 0)),
            Evidence(endpoint: ep, facts: addresses),
            Evidence(endpoint: ep, facts: TLSRobot(test: .observed(.init(
                version: .tls12, suite: .init(code: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA"), keyBits: 1024,
                rounds: [1500, 5000].map { wait in
                    .init(waitMilliseconds: wait, answers: [
                        .init(variant: .correct, response: .init(end: .alert, alertLevel: 2, alertDescription: 20)),
                        .init(variant: .wrongFirstBytes, response: .init(end: .alert, alertLevel: 2, alertDescription: 51)),
                        .init(variant: .zeroMisplaced, response: .init(end: .reset)),
                        .init(variant: .noZeroSeparator, response: .init(end: .silent)),
                        .init(variant: .wrongVersion, response: .init(end: .records, recordTypes: [20, 22])),
                    ])
                })), handshakes: 10)),
            Evidence(endpoint: ep, facts: LinkCrawl(start: ep.description, pagesFetched: 12, depthReached: 3, limitReached: "depth",
                failures: [.init(url: page + "lon.html", code: "too-large", detail: "body larger than 5242880 bytes")],
                broken: [.init(page: "/", url: page + "cu.html", status: 404, code: nil),
                         .init(page: "/", url: "https://foreign-news.example/world", status: nil, code: "timeout", external: true),
                         .init(page: "/", url: page + "anh/logo.png", status: 404, code: nil, element: "img")],
                offsiteRedirects: [.init(page: "/tin-cu.html", from: "/", status: 301, target: "https://fb88vn.example/khuyen-mai")],
                sitemaps: [.init(url: page + "sitemap.xml", via: "default", status: 200, failure: nil, format: "urlset", locations: 3,
                                 locationsDropped: 0)],
                resourcesChecked: 4, outboundChecked: 2)),
            Evidence(endpoint: ep, facts: LinkPages(pages: [home, injected], missingPage: missing)),
            // Against the previous scan: a new script host, a new outbound domain, and a home page
            // whose text and template both changed (defacement).
            Evidence(endpoint: ep, facts: LinkDrift(current: SiteSnapshot(LinkPages(pages: [home, injected])), baseline: .init(
                source: LinkDrift.Baseline.previousScan, scan: "2026-11-19T01-00-00Z-0a1b", at: "2026-11-19T01:00:00Z",
                snapshot: SiteSnapshot(scriptHosts: [], frameHosts: [], outboundDomains: ["foreign-news.example"], home: HomeFingerprint(
                    page: "/", title: "Sở Tư pháp tỉnh An Giang", template: ["div#content.container", "footer", "header#top", "nav.menu"],
                    scripts: [], frames: [], text: TextSketch(text: "Cổng thông tin điện tử Sở Tư pháp: văn bản pháp luật, thủ tục hành chính")))))),
            Evidence(endpoint: ep, facts: CloakingCheck(samples: [.init(page: "/", views: [
                .init(visitor: "browser", finalURL: page, status: 200, failure: nil, content: browser),
                .init(visitor: "crawler-user-agent", finalURL: "https://kuwin88.example/seo", status: 200, failure: nil, content: nil),
                .init(visitor: "search-referer", finalURL: nil, status: nil, failure: .timeout("no answer within 6000 ms"), content: nil),
            ])])),
        ]
    }

    static var failingSite: [Evidence] {
        let ep = failing
        return [
            Evidence(endpoint: ep, facts: DNSResolution(name: ep.host, a: ["127.0.10.10"], aaaa: [], cnameChain: ["angiang.gov.vn"],
                                                        validation: .bogus, whyBogus: "signature expired",
                                                        aaaaFailure: FailureReason(code: "servfail", detail: "SERVFAIL"))),
            Evidence(ZoneFacts.self, endpoint: ep, outcome: .failed(.timeout("NS angiang.gov.vn: no DNS answer within 3000 ms"))),
            Evidence(Reachability.self, endpoint: ep, outcome: .failed(FailureReason(code: "servfail", detail: "SERVFAIL"))),
            Evidence(FamilyParity.self, endpoint: ep, outcome: .couldNotTest("IPv6 not testable from the scanner")),
            Evidence(endpoint: ep, facts: TLSOffer(versions: [.init(version: .tls13, suites: [.init(code: 0x1301, name: "TLS_AES_128_GCM_SHA256")],
                                                                    serverOrder: nil)], groups: [], handshakes: 9)),
            Evidence(TLSCertificate.self, endpoint: ep, outcome: .failed(FailureReason(code: "handshake", detail: "handshake(\"reset\")"))),
            Evidence(PlainHTTPAnswer.self, endpoint: ep, outcome: .failed(.refused("connection refused: port 80"))),
            Evidence(HTTPSAnswer.self, endpoint: ep, outcome: .failed(.timeout("timeout: no answer within 6000 ms"))),
            Evidence(SecurityTxt.self, endpoint: ep, outcome: .failed(.timeout("timeout: no answer within 6000 ms"))),
            Evidence(CAARecordSet.self, endpoint: ep, outcome: .failed(FailureReason(code: "servfail", detail: "CAA gov.vn: SERVFAIL"))),
            Evidence(endpoint: ep, facts: TwinName(listed: ep.host, twin: "www." + ep.host, addresses: [])),
            Evidence(TLSVulnerabilities.self, endpoint: ep, outcome: .failed(.budgetExhausted("the TLS probe's 30 s ran out before the depth checks"))),
            Evidence(TLSProtocolFeatures.self, endpoint: ep, outcome: .couldNotTest("TLS unavailable on port 443")),
            Evidence(endpoint: ep, facts: TLSRobot(test: .failed(FailureReason(code: "client-certificate-required",
                                                                             detail: "the server requires a client certificate")), handshakes: 1)),
            Evidence(endpoint: ep, facts: TLSKeyExchange(
                preferred: .observed(.init(suite: .init(code: 0x1301, name: "TLS_AES_128_GCM_SHA256"), group: .init(code: 0x001D, name: "x25519"),
                                           dhBits: nil, dhPrime: nil)),
                dhe: .notApplicable("no DHE suite accepted"),
                tls13Groups: .observed([.init(code: 0x001D, name: "x25519"), .init(code: 0x0100, name: "ffdhe2048")]), handshakes: 3)),
            Evidence(TLSAddresses.self, endpoint: ep, outcome: .couldNotTest("TLS unavailable on port 443")),
            Evidence(LinkCrawl.self, endpoint: ep, outcome: .failed(.tooLarge("body larger than 5242880 bytes"))),
        ]
    }

    /// The troubled portal's addresses: its IPv6 front end serves TLS 1.0 and 1.1 with RC4 and
    /// another certificate; a second IPv4 address refuses; one address is beyond the bound.
    static var addresses: TLSAddresses {
        let leaf4 = String(repeating: "a1", count: 32), leaf6 = String(repeating: "b2", count: 32)
        let gcm = TLSOffer.Suite(code: 0xC02F, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        let des3 = TLSOffer.Suite(code: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA")
        let rc4 = TLSOffer.Suite(code: 0x0005, name: "TLS_RSA_WITH_RC4_128_SHA")
        let v4: [TLSOffer.Accepted] = [.init(version: .tls10, suites: [des3], serverOrder: nil),
                                       .init(version: .tls12, suites: [gcm, des3], serverOrder: true)]
        let v6: [TLSOffer.Accepted] = [.init(version: .tls10, suites: [rc4, des3], serverOrder: true),
                                       .init(version: .tls11, suites: [rc4], serverOrder: nil),
                                       .init(version: .tls12, suites: [gcm, des3], serverOrder: true)]
        let chosen6: [TLSAddresses.Chosen] = [.init(version: .tls10, suite: rc4), .init(version: .tls11, suite: rc4),
                                              .init(version: .tls12, suite: gcm)]
        return TLSAddresses(records: [
            .init(address: "127.0.10.33", family: .ipv4, primary: true, probing: .full, outcome: .collected, versions: [.tls10, .tls12],
                  chosen: [.init(version: .tls10, suite: des3), .init(version: .tls12, suite: gcm)], suites: v4, leafSHA256: leaf4,
                  https: .observed(.init(status: 200, strictTransportSecurity: "max-age=31536000; includeSubDomains"))),
            .init(address: "127.0.10.34", family: .ipv4, probing: .fingerprint,
                  outcome: .failed(.refused("nothing listens on 127.0.10.34:443")), handshakes: 2),
            .init(address: "fd10::33", family: .ipv6, probing: .full, outcome: .collected, versions: [.tls10, .tls11, .tls12],
                  chosen: chosen6, suites: v6, leafSHA256: leaf6, handshakes: 21,
                  https: .observed(.init(status: 302, location: "http://sotuphap.angiang.gov.vn/"))),
            .init(address: "fd10::34", family: .ipv6, probing: .fingerprint, outcome: .collected, versions: [.tls10, .tls11, .tls12],
                  chosen: chosen6, leafSHA256: leaf6,
                  certificateFailure: nil, handshakes: 7,
                  https: .failed(.timeout("timeout: no answer within 6000 ms"))),
        ], notProbed: [.init(family: .ipv4, count: 1, addresses: ["127.0.10.35"])])
    }
}
