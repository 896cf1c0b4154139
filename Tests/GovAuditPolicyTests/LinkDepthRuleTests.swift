import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// The links rules on issue 14's facts: off-site redirects, unreadable pages, sitemap-only
/// pages, `<link rel>` and form actions, broken sub-resources.
@Suite("Link rules in depth")
struct LinkDepthRuleTests {
    let policy: Policy
    init() throws { policy = try Repo.policy() }
    let ep = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")

    func link(_ element: String, _ url: String, text: String = "", rel: String? = nil, attribute: String = "href") -> PageLink {
        PageLink(element: element, attribute: attribute, written: url, url: url, text: text, title: nil, alt: nil, hiding: nil,
                 redirect: nil, external: !url.contains("sotuphap.angiang.gov.vn"), rel: rel)
    }

    func page(_ path: String, _ links: [PageLink], visible: String = "Tin tức", encoding: PageEncoding = .init(charset: "UTF-8", source: "default"),
              sitemapOnly: Bool = false) -> PageContent {
        PageContent(page: path, url: "https://sotuphap.angiang.gov.vn" + path, status: 200, title: "Sở Tư pháp", visibleText: visible,
                    hiddenText: "", links: links, encoding: encoding, sitemapOnly: sitemapOnly)
    }

    func judge(_ rule: String, pages: [PageContent], crawl: LinkCrawl? = nil) -> (RuleResult.Status?, [Finding]) {
        var s = makeSystem()
        s.endpoints = [ep]
        let evidence = [
            Evidence(endpoint: ep, facts: crawl ?? LinkCrawl(start: ep.description, pagesFetched: pages.count, depthReached: 1, limitReached: nil,
                                                             failures: [], broken: [])),
            Evidence(endpoint: ep, facts: LinkPages(pages: pages)),
            Evidence(endpoint: ep, facts: CloakingCheck(samples: [])),
        ]
        let e = Evaluator(policy: policy).evaluate(s, asOf: day("2026-12-01"), evidence: evidence)!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }

    @Test("an off-site redirect to a brand or blocklisted domain is spam, named http-redirect with its status; one to a plain site is not")
    func offsiteRedirect() {
        let crawl = LinkCrawl(start: ep.description, pagesFetched: 1, depthReached: 0, limitReached: nil, failures: [], broken: [],
                              offsiteRedirects: [.init(page: "/tin-cu.html", from: "/", status: 301, target: "https://fb88vn.example/km"),
                                                 .init(page: "/dvc", from: "/", status: 302, target: "https://dichvucong.gov.vn/")])
        let (r, f) = judge("links.spam", pages: [page("/", [])], crawl: crawl)
        #expect(r == .fail && f.count == 1)
        #expect(f.first?.evidence.contains(Fact("element", "http-redirect")) == true && f.first?.evidence.contains(Fact("status", "301")) == true)
        #expect(f.first?.evidence.contains(Fact("signals", "domain")) == true)
    }

    @Test("a page that could not be decoded leaves links.spam unknown, never clean; with spam elsewhere it still fails")
    func unreadable() {
        let vni = page("/cu.html", [], visible: "Vaên baûn", encoding: .init(charset: "CP1252", source: "meta", unreadable: "VNI-Times font"))
        let (r, _) = judge("links.spam", pages: [page("/", []), vni])
        #expect(r == .unknown)
        let spam = page("/", [link("a", "https://kuwin88.example/", text: "nhà cái uy tín")])
        #expect(judge("links.spam", pages: [spam, vni]).0 == .fail)
        #expect(judge("links.spam", pages: [page("/", [])]).0 == .pass)
    }

    @Test("spam on a sitemap-only page says so")
    func sitemapOnly() {
        let injected = page("/km.html", [], visible: "Nổ hũ đổi thưởng", sitemapOnly: true)
        let f = judge("links.spam", pages: [page("/", []), injected]).1
        #expect(!f.isEmpty && f.allSatisfy { $0.evidence.contains(Fact("sitemapOnly", "yes")) && $0.evidence.contains(Fact("signals", "text")) })
    }

    @Test("mixed content: an http style sheet and an http form action are; an http canonical or alternate is not")
    func mixedContent() {
        let host = "http://sotuphap.angiang.gov.vn"
        let links = [link("link", host + "/a.css", rel: "stylesheet"), link("link", host + "/", rel: "canonical"),
                     link("link", host + "/en/", rel: "alternate"), link("form", host + "/tim-kiem", attribute: "action")]
        let urls = Set(judge("links.mixed-content", pages: [page("/", links)]).1.compactMap { $0.evidence.first { $0.name == "url" }?.value })
        #expect(urls == [host + "/a.css", host + "/tim-kiem"])
    }

    @Test("a broken sub-resource names its element; a broken outbound link that is spam by its URL is links.spam's")
    func broken() {
        let crawl = LinkCrawl(start: ep.description, pagesFetched: 1, depthReached: 0, limitReached: nil, failures: [],
                              broken: [.init(page: "/", url: "https://sotuphap.angiang.gov.vn/anh/x.png", status: 404, code: nil, element: "img"),
                                       .init(page: "/", url: "https://kuwin88.example/nha-cai", status: 404, code: nil, external: true),
                                       .init(page: "/", url: "https://foreign-news.example/gone", status: 410, code: nil, external: true)])
        let f = judge("links.broken", pages: [page("/", [])], crawl: crawl).1
        #expect(f.count == 2)
        #expect(f.contains { $0.evidence.contains(Fact("element", "img")) && $0.evidence.contains(Fact("link", "internal")) })
        #expect(f.contains { $0.evidence.contains(Fact("url", "https://foreign-news.example/gone")) && $0.evidence.contains(Fact("link", "outbound")) })
    }
}
