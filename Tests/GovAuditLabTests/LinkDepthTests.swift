import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import Testing

/// Link hygiene in depth against the lab (issue 14): a windows-1258 page, an off-site redirect,
/// a sitemap-only page, brand domains behind innocuous text, broken sub-resources and outbound
/// links — each found with the signal named, facts as Tests/Lab/scenarios.yaml says.
@Suite("Link hygiene in depth against the lab (integration)", .serialized)
struct LinkDepthTests {
    let lab: Lab
    let probe: LinkHygieneProbe
    let policy: Policy

    init() throws {
        lab = try Lab.running()
        policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        probe = LinkHygieneProbe(context: lab.probeContext(), options: LinkHygieneOptions(), cache: LinkCheckCache())
    }

    func host(_ expectKey: String) throws -> Lab.Host {
        try #require(lab.merged.first { $0.expect[expectKey] != nil }, "no lab host expects \(expectKey)")
    }

    func run(_ name: String) -> (crawl: LinkCrawl?, pages: LinkPages?, findings: [Finding]) {
        let ep = try! Endpoint(parsing: "https://\(name)/")
        let found = probe.run(ep)
        let system = System(id: name, name: name, agency: "lab", level: SecurityLevel(3)!, dossier: Dossier(status: .approved), endpoints: [ep])
        let findings = Evaluator(policy: policy, areas: [.links]).evaluate(system, asOf: CalendarDate(year: 2026, month: 12, day: 1)!,
                                                                           evidence: found)!.findings
        return (found.first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self),
                found.first { $0.kind == LinkPages.kind }?.facts(as: LinkPages.self), findings)
    }

    func signals(_ f: Finding) -> [String] {
        f.evidence.first { $0.name == "signals" }?.value.components(separatedBy: ", ") ?? []
    }

    @Test("a windows-1258 page is decoded as its <meta> says, its keywords found; a VNI-font page is 'could not decode'")
    func legacyCharset() throws {
        let h = try host("charset")
        let want = h.expect["charset"] as! [String: String]
        let (_, pages, findings) = run(h.name)
        let p = try #require(pages)
        let home = try #require(p.pages.first { $0.page == want["page"] })
        #expect(home.encoding.charset == want["charset"] && home.encoding.source == want["source"] && home.encoding.replaced == 0)
        #expect(home.visibleText.contains("cá cược bóng đá"))
        let spam = findings.filter { $0.rule == "links.spam" }
        #expect(spam.contains { $0.evidence.contains(Fact("url", "https://kuwin88.example/cp")) && signals($0).contains("text") })
        #expect(spam.contains { $0.evidence.contains(Fact("keyword", "cá cược")) && $0.evidence.contains(Fact("page", "/")) })
        for path in h.expect["unreadable"] as! [String] {
            let page = try #require(p.pages.first { $0.page == path }, "\(path) not crawled")
            #expect(page.encoding.unreadable?.contains("VNI") == true, "\(path): \(page.encoding)")
        }
    }

    @Test("an article that redirects off the site: recorded with page, status and target, judged spam by its domain, the landing page not analysed")
    func offsiteRedirect() throws {
        let h = try host("offsiteRedirects")
        let (crawl, pages, findings) = run(h.name)
        let c = try #require(crawl)
        for r in h.expect["offsiteRedirects"] as! [[String: Any]] {
            let target = r["target"] as! String
            #expect(c.offsiteRedirects.contains(.init(page: r["page"] as! String, from: r["from"] as? String, status: r["status"] as! Int,
                                                       target: target)), "\(c.offsiteRedirects)")
            let spam = findings.first { $0.rule == "links.spam" && $0.evidence.contains(Fact("url", target)) }
            #expect(spam.map(signals)?.contains(r["signal"] as! String) == true, "\(findings.map(\.evidence))")
            #expect(spam?.evidence.contains(Fact("element", "http-redirect")) == true)
            let host = URL(string: target)!.host!
            #expect(pages?.pages.allSatisfy { URL(string: $0.url)?.host == h.name } == true, "a page of \(host) analysed as the site's")
        }
    }

    @Test("robots.txt's sitemap index is followed; the page only the sitemap lists is crawled, marked sitemap-only, its spam found")
    func sitemapOnly() throws {
        let h = try host("sitemapOnly")
        let (crawl, pages, findings) = run(h.name)
        let c = try #require(crawl), p = try #require(pages)
        #expect(c.sitemaps.count == h.expect["sitemaps"] as? Int, "\(c.sitemaps)")
        #expect(c.sitemaps.map(\.via) == ["robots.txt", "index"] && c.sitemaps.map(\.format) == ["sitemapindex", "urlset"])
        let marked = Set(p.pages.filter(\.sitemapOnly).map(\.page))
        #expect(marked == Set(h.expect["sitemapOnly"] as! [String]))
        #expect(!p.pages.contains { $0.page == "/" && $0.sitemapOnly }, "a linked page is never sitemap-only")
        let spam = findings.filter { $0.rule == "links.spam" && $0.evidence.contains(Fact("sitemapOnly", "yes")) }
        #expect(spam.contains { $0.evidence.contains(Fact("url", "https://kuwin88.example/sm")) })
    }

    @Test("innocuous text on a brand domain: spam by the domain signal, hidden or not; links.hidden-link for the hidden one")
    func brandDomain() throws {
        let brand = try #require(lab.merged.first { ($0.expect["links"] as? [[String: Any]])?.contains { $0["signal"] != nil } == true })
        let (_, _, findings) = run(brand.name)
        for l in brand.expect["links"] as! [[String: Any]] {
            let url = l["url"] as! String
            let spam = findings.first { $0.rule == "links.spam" && $0.evidence.contains(Fact("url", url)) }
            #expect(spam.map(signals) == [l["signal"] as! String], "\(url): \(spam?.evidence ?? [])")
            if l["technique"] as? String != "visible" {
                #expect(findings.contains { $0.rule == "links.hidden-link" && $0.evidence.contains(Fact("url", url)) })
            }
        }
    }

    @Test("broken image, script and style sheet with their page; a broken outbound link by default; canonical is not mixed content, an http form action is")
    func brokenResources() throws {
        let h = try host("brokenResources")
        let (crawl, _, findings) = run(h.name)
        let c = try #require(crawl)
        for r in h.expect["brokenResources"] as! [[String: String]] {
            #expect(c.broken.contains { URL(string: $0.url)?.path == r["url"] && $0.element == r["element"] && $0.page == "/" && $0.status == 404 },
                    "\(r) in \(c.broken)")
        }
        #expect(!c.broken.contains { $0.url.hasSuffix("/logo.png") }, "an image that exists is not broken")
        #expect(c.resourcesChecked >= 4)
        for url in h.expect["brokenOutbound"] as! [String] {
            #expect(c.broken.contains { $0.external && $0.url == url && $0.status == 404 })
            #expect(findings.contains { $0.rule == "links.broken" && $0.evidence.contains(Fact("url", url)) && $0.evidence.contains(Fact("link", "outbound")) })
        }
        let mixed = Set(findings.filter { $0.rule == "links.mixed-content" }.compactMap { $0.evidence.first { $0.name == "url" }?.value })
        #expect(mixed == Set((h.expect["mixedContent"] as! [String]).map { $0.replacingOccurrences(of: "{host}", with: h.name) }))
    }

    @Test("one check per distinct outbound URL per scan: a second site linking to the same places is answered from the cache")
    func sharedCache() throws {
        let cache = LinkCheckCache()
        let shared = LinkHygieneProbe(context: lab.probeContext(), options: LinkHygieneOptions(), cache: cache)
        let sound = ["dichvucong.angiang.gov.vn", "angiang.gov.vn"]
        let first = shared.run(try Endpoint(parsing: "https://\(sound[0])/")).first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self)
        let remembered = cache.count
        #expect(first?.outboundChecked ?? 0 > 0 && remembered == first?.outboundChecked)
        let second = shared.run(try Endpoint(parsing: "https://\(sound[1])/")).first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self)
        #expect(second?.outboundChecked == first?.outboundChecked && cache.count == remembered && cache.hits >= remembered)
        #expect(second?.broken.isEmpty == true, "the outside sites a sound page links to answer: \(second?.broken ?? [])")
    }
}
