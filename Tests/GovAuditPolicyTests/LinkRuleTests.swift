import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Each links rule's pass and fail case on evidence fixtures.
@Suite("Link rules")
struct LinkRuleTests {
    let evaluator: Evaluator
    init() throws { evaluator = Evaluator(policy: try Repo.policy()) }
    let ep = try! Endpoint(parsing: "https://hdnd.angiang.gov.vn/")

    func link(url: String = "https://kuwin88.example/x", element: String = "a", text: String = "Xem", hiding: String? = nil,
              redirect: String? = nil, keywords: [String] = [], categories: [String] = [], blocklisted: Bool = false,
              external: Bool = true, outsideVN: Bool = false, mixed: Bool = false, thirdParty: Bool = false) -> NotableLink {
        NotableLink(page: "/", url: url, element: element, text: text, title: nil, alt: nil, hiding: hiding, redirect: redirect,
                    keywords: keywords, categories: categories, blocklisted: blocklisted, external: external,
                    outsideVN: outsideVN, mixedContent: mixed, thirdParty: thirdParty)
    }

    func check(_ rule: String, links: [NotableLink] = [], keywords: [PageKeyword] = [], crawl: LinkCrawl? = nil,
               cloaking: [CloakingCheck.Difference] = []) -> (RuleResult.Status?, [Finding]) {
        var s = makeSystem()
        s.endpoints = [ep]
        let evidence = [
            Evidence(endpoint: ep, facts: crawl ?? LinkCrawl(start: ep.description, pagesFetched: 3, depthReached: 1, limitReached: nil, failures: [], broken: [])),
            Evidence(endpoint: ep, facts: LinkFindings(links: links, pageKeywords: keywords)),
            Evidence(endpoint: ep, facts: CloakingCheck(sampled: ["/"], differences: cloaking)),
        ]
        let e = evaluator.evaluate(s, asOf: day("2026-11-26"), evidence: evidence)!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }

    @Test("links.spam: keyword or blocklisted links, and spam words in the page text")
    func spam() {
        let (r, f) = check("links.spam", links: [link(text: "nhà cái uy tín", keywords: ["nhà cái"], categories: ["gambling"])])
        #expect(r == .fail && f[0].severity == .critical && f[0].evidence.contains(Fact("text", "nhà cái uy tín")))
        #expect(check("links.spam", links: [link(blocklisted: true)]).0 == .fail)
        #expect(check("links.spam", keywords: [PageKeyword(page: "/", keyword: "nổ hũ", category: "gambling", hidden: true)]).1
                    .first?.evidence.contains(Fact("inText", "hidden")) == true)
        #expect(check("links.spam", links: [link(url: "https://chinhphu.vn/")]).0 == .pass)
    }

    @Test("links.hidden-link: an external link hidden from people; a visible one passes")
    func hidden() {
        #expect(check("links.hidden-link", links: [link(hiding: "display:none")]).0 == .fail)
        #expect(check("links.hidden-link", links: [link()]).0 == .pass)
        #expect(check("links.hidden-link", links: [link(hiding: "display:none", external: false)]).0 == .pass)
    }

    @Test("links.scripted-redirect, links.mixed-content, links.third-party, links.outside-vn")
    func others() {
        #expect(check("links.scripted-redirect", links: [link(element: "meta", redirect: "meta-refresh")]).0 == .fail)
        #expect(check("links.scripted-redirect", links: [link()]).0 == .pass)
        #expect(check("links.mixed-content", links: [link(url: "http://cdn.example/a.js", element: "script", mixed: true)]).0 == .fail)
        #expect(check("links.mixed-content", links: [link()]).0 == .pass)
        #expect(check("links.third-party", links: [link(element: "script", thirdParty: true)]).0 == .fail)
        #expect(check("links.third-party", links: [link()]).0 == .pass)
        #expect(check("links.outside-vn", links: [link(url: "https://foreign.example/", outsideVN: true)]).0 == .fail)
        #expect(check("links.outside-vn", links: [link(url: "https://baochinhphu.vn/")]).0 == .pass)
    }

    @Test("links.cloaking: any difference for crawlers or search visitors")
    func cloaking() {
        let d = CloakingCheck.Difference(url: "/", visitor: "crawler-user-agent", aspect: "redirect",
                                         browser: "https://hdnd.angiang.gov.vn/", other: "https://kuwin88.example/seo")
        let (r, f) = check("links.cloaking", cloaking: [d])
        #expect(r == .fail && f[0].evidence.contains(Fact("asOther", "https://kuwin88.example/seo")))
        #expect(check("links.cloaking").0 == .pass)
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
