import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Each links rule's pass and fail case on evidence fixtures: what a crawler saw, judged by the
/// policy's lists. The same stored evidence under another list gives another verdict.
@Suite("Link rules")
struct LinkRuleTests {
    let policy: Policy
    init() throws { policy = try Repo.policy() }
    let ep = try! Endpoint(parsing: "https://hdnd.angiang.gov.vn/")

    func link(url: String = "https://kuwin88.example/x", element: String = "a", text: String = "Xem", hiding: String? = nil,
              redirect: String? = nil, external: Bool = true) -> PageLink {
        PageLink(element: element, attribute: element == "a" ? "href" : "src", written: url, url: url, text: text, title: nil,
                 alt: nil, hiding: hiding, redirect: redirect, external: external)
    }

    func page(_ links: [PageLink], visible: String = "Hội đồng nhân dân tỉnh", hidden: String = "",
              url: String = "https://hdnd.angiang.gov.vn/", status: Int = 200) -> PageContent {
        PageContent(page: sitePathForTest(url), url: url, status: status, title: "HĐND tỉnh An Giang", visibleText: visible,
                    hiddenText: hidden, links: links)
    }

    func sitePathForTest(_ url: String) -> String {
        let afterHost = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        return afterHost.count > 3 ? "/" + afterHost[3] : "/"
    }

    func check(_ rule: String, links: [PageLink] = [], visible: String = "Hội đồng nhân dân tỉnh", hidden: String = "",
               pageURL: String = "https://hdnd.angiang.gov.vn/", missing: PageContent? = nil, crawl: LinkCrawl? = nil,
               cloaking: CloakingCheck? = nil, policy p: Policy? = nil) -> (RuleResult.Status?, [Finding]) {
        var s = makeSystem()
        s.endpoints = [ep]
        let evidence = [
            Evidence(endpoint: ep, facts: crawl ?? LinkCrawl(start: ep.description, pagesFetched: 3, depthReached: 1, limitReached: nil, failures: [], broken: [])),
            Evidence(endpoint: ep, facts: LinkPages(pages: [page(links, visible: visible, hidden: hidden, url: pageURL)], missingPage: missing)),
            Evidence(endpoint: ep, facts: cloaking ?? CloakingCheck(samples: [])),
        ]
        let e = Evaluator(policy: p ?? policy).evaluate(s, asOf: day("2026-11-26"), evidence: evidence)!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }

    @Test("links.spam: keyword or blocklisted links, and spam words in the page text")
    func spam() {
        let (r, f) = check("links.spam", links: [link(url: "https://example.org/a", text: "nhà cái uy tín")])
        #expect(r == .fail && f[0].severity == .critical && f[0].evidence.contains(Fact("text", "nhà cái uy tín")))
        #expect(f[0].evidence.contains(Fact("keywords", "nhà cái, nhà cái uy tín")))
        #expect(check("links.spam", links: [link()]).1.first?.evidence.contains(Fact("blocklisted", "yes")) == true)
        #expect(check("links.spam", links: [link(url: "https://example.org/soi-cau-mien-bac")]).0 == .fail)   // slug words
        #expect(check("links.spam", hidden: "Nổ hũ đổi thưởng").1.first?.evidence.contains(Fact("inText", "hidden")) == true)
        #expect(check("links.spam", links: [link(url: "https://chinhphu.vn/")]).0 == .pass)
    }

    @Test("a changed keyword list or blocklist changes the spam verdict on the same stored evidence")
    func listsAreThePolicys() throws {
        let lottery = [link(url: "https://example.org/kq", text: "Xổ số hôm nay")]
        #expect(check("links.spam", links: lottery).0 == .pass)
        var keywords = LinkClassification.keywordLists(policy.rule("links.spam")!.parameters)
        keywords["gambling", default: []].append("xổ số")
        let wider = policy.setting("links.spam", "keywords", .map(keywords.mapValues { .list($0.map(ParameterValue.text)) }))
        let (r, f) = check("links.spam", links: lottery, policy: wider)
        #expect(r == .fail && f.first?.evidence.contains(Fact("keywords", "xổ số")) == true)

        // kuwin88.example is both blocklisted and a brand in a domain label: both lists emptied, it passes.
        let noBlocklist = policy.setting("links.spam", "blocklist", .list([])).setting("links.spam", "brands", .list([]))
        #expect(check("links.spam", links: [link()]).0 == .fail)
        let passed = check("links.spam", links: [link()], policy: noBlocklist)
        #expect(passed.0 == .pass, "\(passed.1.map(\.evidence))")
        // links.cloaking compares with the same list: hidden lottery text only for Googlebot.
        let cloak = views(other: page([], hidden: "Xổ số hôm nay"))
        #expect(check("links.cloaking", cloaking: cloak).0 == .pass)
        #expect(check("links.cloaking", cloaking: cloak, policy: wider).1.first?.evidence.contains(Fact("aspect", "keywords")) == true)
    }

    @Test("links.hidden-link: an external link hidden from people; a visible one passes")
    func hidden() {
        #expect(check("links.hidden-link", links: [link(hiding: "display:none")]).0 == .fail)
        #expect(check("links.hidden-link", links: [link()]).0 == .pass)
        #expect(check("links.hidden-link", links: [link(hiding: "display:none", external: false)]).0 == .pass)
    }

    @Test("links.scripted-redirect: meta refresh and script redirects off the site, and the missing page's 404 redirect")
    func redirects() {
        #expect(check("links.scripted-redirect", links: [link(element: "meta", redirect: "meta-refresh")]).0 == .fail)
        #expect(check("links.scripted-redirect", links: [link(element: "meta", redirect: "meta-refresh", external: false)]).0 == .pass)
        #expect(check("links.scripted-redirect", links: [link()]).0 == .pass)
        let missing = page([link(element: "script-redirect", redirect: "javascript-redirect")],
                           url: "https://hdnd.angiang.gov.vn/govaudit-kiem-tra-404", status: 404)
        let (r, f) = check("links.scripted-redirect", missing: missing)
        #expect(r == .fail && f.first?.evidence.contains(Fact("redirect", "404-redirect")) == true)
        #expect(f.first?.evidence.contains(Fact("page", "/govaudit-kiem-tra-404")) == true)
        // The missing page's ordinary links are the template's, not judged again.
        #expect(check("links.hidden-link", missing: page([link(hiding: "display:none")], url: missing.url, status: 404)).0 == .pass)
    }

    @Test("links.mixed-content: http resources in an https page, decided by the page's and the resource's scheme")
    func mixed() {
        let script = link(url: "http://cdn.example/a.js", element: "script")
        #expect(check("links.mixed-content", links: [script]).0 == .fail)
        #expect(check("links.mixed-content", links: [script], pageURL: "http://hdnd.angiang.gov.vn/").0 == .pass)
        #expect(check("links.mixed-content", links: [link(url: "http://cdn.example/page")]).0 == .pass)   // a link, not loaded
    }

    @Test("links.third-party: scripts and frames from another organisation, unless its domain is allowlisted")
    func thirdParty() {
        #expect(check("links.third-party", links: [link(url: "https://cdn-thirdparty.example/x.js", element: "script")]).0 == .fail)
        #expect(check("links.third-party", links: [link(url: "https://ajax.googleapis.com/x.js", element: "script")]).0 == .pass)
        #expect(check("links.third-party", links: [link(url: "https://cdn.angiang.gov.vn/x.js", element: "script")]).0 == .pass)
        #expect(check("links.third-party", links: [link(url: "https://cdn-thirdparty.example/x.png", element: "img")]).0 == .pass)
    }

    @Test("links.outside-vn: links off .vn and off the allowlist; spam links are links.spam's")
    func outsideVN() {
        #expect(check("links.outside-vn", links: [link(url: "https://foreign.example/")]).0 == .fail)
        #expect(check("links.outside-vn", links: [link(url: "https://baochinhphu.vn/")]).0 == .pass)
        #expect(check("links.outside-vn", links: [link(url: "https://www.facebook.com/hdnd")]).0 == .pass)
        #expect(check("links.outside-vn", links: [link(url: "https://foreign.example/", text: "cá cược bóng đá")]).0 == .pass)
    }

    func views(browser: PageContent? = nil, other: PageContent? = nil, otherFinal: String? = nil) -> CloakingCheck {
        let b = browser ?? page([])
        let o = other ?? b
        return CloakingCheck(samples: [.init(page: "/", views: [
            .init(visitor: "browser", finalURL: b.url, status: 200, failure: nil, content: b),
            .init(visitor: "crawler-user-agent", finalURL: otherFinal ?? o.url, status: 200, failure: nil, content: o),
            .init(visitor: "search-referer", finalURL: nil, status: nil, failure: .timeout("no answer"), content: nil),
        ])])
    }

    @Test("links.cloaking: another redirect, other outbound hosts, other spam words for crawlers; the same page passes")
    func cloaking() {
        let (r, f) = check("links.cloaking", cloaking: views(otherFinal: "https://kuwin88.example/seo"))
        #expect(r == .fail && f.count == 1 && f[0].evidence.contains(Fact("asOther", "https://kuwin88.example/seo")))
        #expect(f[0].evidence.contains(Fact("visitor", "crawler-user-agent")))
        let hosts = check("links.cloaking", cloaking: views(other: page([link(url: "https://kuwin88.example/", text: "Trang chủ")])))
        #expect(hosts.1.map { $0.evidence.first { $0.name == "aspect" }?.value } == ["outbound-links"])
        #expect(check("links.cloaking", cloaking: views(other: page([], hidden: "tài xỉu online"))).1.first?.evidence
                    .contains(Fact("aspect", "keywords")) == true)
        #expect(check("links.cloaking", cloaking: views()).0 == .pass)
    }

    @Test("links.broken and links.crawl-failed from the crawl's facts")
    func crawl() {
        let broken = LinkCrawl(start: ep.description, pagesFetched: 3, depthReached: 1, limitReached: nil, failures: [],
                               broken: [.init(page: "/", url: "https://hdnd.angiang.gov.vn/x", status: 404, code: nil)])
        #expect(check("links.broken", crawl: broken).1.first?.evidence.contains(Fact("result", "HTTP 404")) == true)
        #expect(check("links.broken").0 == .pass)
        let failing = LinkCrawl(start: ep.description, pagesFetched: 3, depthReached: 1, limitReached: nil,
                                failures: [.init(url: "https://hdnd.angiang.gov.vn/big", code: "too-large", detail: "body larger")], broken: [])
        #expect(check("links.crawl-failed", crawl: failing).0 == .fail)
        #expect(check("links.crawl-failed").0 == .pass)
    }
}
