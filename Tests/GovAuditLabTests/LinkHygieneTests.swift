import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// The crawler against the lab's link scenarios, judged by Tests/Lab/scenarios.yaml.
@Suite("Link-hygiene crawler against the lab (integration)", .serialized)
struct LinkHygieneTests {
    let lab: Lab
    let probe: LinkHygieneProbe
    let policy: Policy

    init() throws {
        lab = try Lab.running()
        policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        probe = LinkHygieneProbe(context: lab.probeContext(), options: LinkHygieneOptions())
    }

    func run(_ host: String) -> (LinkCrawl?, LinkPages?, CloakingCheck?, [Evidence]) {
        let found = probe.run(try! Endpoint(parsing: "https://\(host)/"))
        return (found.first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self),
                found.first { $0.kind == LinkPages.kind }?.facts(as: LinkPages.self),
                found.first { $0.kind == CloakingCheck.kind }?.facts(as: CloakingCheck.self), found)
    }

    /// The links rules' findings on what the crawler saw of `host` (a level-3 system).
    func findings(_ host: String, _ evidence: [Evidence]) -> [Finding] {
        let system = System(id: host, name: host, agency: "lab", level: SecurityLevel(3)!, dossier: Dossier(status: .approved),
                            endpoints: [try! Endpoint(parsing: "https://\(host)/")])
        return Evaluator(policy: policy, areas: [.links]).evaluate(system, asOf: CalendarDate(year: 2026, month: 11, day: 26)!,
                                                                   evidence: evidence)!.findings
    }

    @Test("every expected injected link is recorded with its page and technique, and links.spam names its keyword")
    func injectedLinks() async throws {
        let hosts = lab.merged.filter { !(($0.expect["links"] as? [[String: Any]]) ?? []).isEmpty }
        #expect(hosts.count >= 10)
        for h in hosts {
            let (_, pages, _, found) = run(h.name)
            let f = try #require(pages, "\(h.name): no link evidence")
            let spam = findings(h.name, found).filter { $0.rule == "links.spam" }
            for expected in h.expect["links"] as! [[String: Any]] {
                let url = expected["url"] as! String, technique = expected["technique"] as! String
                let onPages = f.pages.flatMap { p in p.links.map { (p.page, $0) } }
                let missing = (f.missingPage?.links ?? []).map { (f.missingPage!.page, $0) }
                let matches = (technique == "404-redirect" ? missing : onPages).filter { $0.1.url == url }
                #expect(!matches.isEmpty, "\(h.name): \(url) not found")
                let ok = matches.contains { _, l in
                    switch technique {
                    case "visible": l.hiding == nil && l.redirect == nil
                    case "iframe": l.element == "iframe"
                    case "meta-refresh", "javascript-redirect": l.redirect == technique
                    case "404-redirect": l.redirect != nil && f.missingPage?.status == 404
                    default: l.hiding == technique
                    }
                }
                #expect(ok, "\(h.name): \(url) technique \(technique), observed \(matches.map { "\($0.1.element) \($0.1.hiding ?? "-") \($0.1.redirect ?? "-")" })")
                if technique != "404-redirect" {
                    #expect(matches.contains { $0.0 == expected["page"] as? String }, "\(h.name): \(url) page")
                }
                if let keyword = expected["keyword"] as? String {
                    let folded = VietnameseText.fold(keyword)
                    let seen = spam.flatMap { f in f.evidence.filter { $0.name == "keywords" || $0.name == "keyword" }
                        .flatMap { $0.value.components(separatedBy: ", ") } }
                    // The policy's keyword may be a shorter phrase ("đá gà" in "đá gà trực tiếp").
                    #expect(seen.contains { (" " + folded + " ").contains(" " + VietnameseText.fold($0) + " ") }, "\(h.name): keyword \(keyword)")
                }
            }
        }
    }

    @Test("a sound site: every link recorded, and no spam, hidden, redirect or cloaking finding")
    func soundSite() {
        for host in ["dichvucong.angiang.gov.vn", "angiang.gov.vn", "sonoivu.angiang.gov.vn"] {
            let (crawl, pages, cloak, found) = run(host)
            #expect(crawl?.pagesFetched == 2 && crawl?.broken.isEmpty == true, "\(host)")
            #expect(pages?.pages.count == 2 && pages?.pages.allSatisfy { !$0.links.isEmpty && $0.linksDropped == 0 } == true, "\(host)")
            #expect(cloak?.samples.isEmpty == false && cloak?.samples.allSatisfy { $0.views.count == 3 } == true, "\(host)")
            let fired = Set(findings(host, found).map(\.rule))
            #expect(fired.isDisjoint(with: ["links.spam", "links.hidden-link", "links.scripted-redirect", "links.cloaking"]), "\(host): \(fired)")
        }
    }

    @Test("the multi-page site: pages, depth, broken links, mixed content, third-party script, links outside .vn")
    func multipage() throws {
        let h = try #require(lab.merged.first { $0.expect["pages"] != nil })
        let (crawl, _, _, found) = run(h.name)
        let c = try #require(crawl)
        #expect(c.pagesFetched == h.expect["pages"] as? Int)
        #expect(c.depthReached == h.expect["depth"] as? Int)
        #expect(Set(c.broken.filter { !$0.external }.map { URLComponents(string: $0.url)!.path }) == Set(h.expect["brokenLinks"] as! [String]))
        let fired = findings(h.name, found)
        func urls(_ rule: String) -> Set<String> { Set(fired.filter { $0.rule == rule }.compactMap { $0.evidence.first { $0.name == "url" }?.value }) }
        #expect(urls("links.mixed-content") == Set(h.expect["mixedContent"] as! [String]))
        #expect(urls("links.third-party").subtracting(urls("links.mixed-content")) == Set(h.expect["thirdPartyScripts"] as! [String]))
        #expect(urls("links.outside-vn").isSuperset(of: h.expect["outsideVN"] as! [String]))
        // Outbound links are status-checked by default (the foreign site has no /world page); with 0, none is.
        #expect(c.broken.contains { $0.external && $0.url == "https://foreign-news.example/world" && $0.status == 404 })
        var quiet = probe
        quiet.options.checkOutbound = 0
        let again = quiet.run(try Endpoint(parsing: "https://\(h.name)/")).first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self)
        #expect(again?.broken.allSatisfy { !$0.external } == true && again?.outboundChecked == 0)
    }

    @Test("cloaking: crawler User-Agent and search Referer are sent elsewhere, and links.cloaking says so")
    func cloaking() throws {
        let h = try #require(lab.merged.first { $0.expect["cloaking"] != nil })
        let expected = h.expect["cloaking"] as! [String: String]
        let (_, _, cloak, found) = run(h.name)
        let samples = try #require(cloak).samples
        let home = try #require(samples.first { $0.page == "/" })
        #expect(home.views.first { $0.visitor == "crawler-user-agent" }?.finalURL == expected["userAgent"])
        #expect(home.views.first { $0.visitor == "search-referer" }?.finalURL == expected["referer"])
        let d = findings(h.name, found).filter { $0.rule == "links.cloaking" && $0.evidence.contains(Fact("page", "/"))
            && $0.evidence.contains(Fact("aspect", "redirect")) }
        #expect(d.first { $0.evidence.contains(Fact("visitor", "crawler-user-agent")) }?.evidence.contains(Fact("asOther", expected["userAgent"]!)) == true)
        #expect(d.first { $0.evidence.contains(Fact("visitor", "search-referer")) }?.evidence.contains(Fact("asOther", expected["referer"]!)) == true)
    }

    @Test("hostile sites end in typed results: loop, size cap, too slow; an https port that never handshakes is the tls rules' (could not test here)")
    func hostile() {
        let codes = ["redirect-loop": "redirect-loop", "too-large": "too-large", "too-slow": "too-slow", "handshake-timeout": "timeout"]
        for h in lab.merged {
            guard let kind = h.expect["hostile"] as? String, let code = codes[kind] else { continue }
            let (_, _, _, found) = run(h.name)
            // The crawl, its pages and its cloaking views all carry the start page's outcome.
            #expect(found.map(\.kind) == [LinkCrawl.kind, LinkPages.kind, CloakingCheck.kind], "\(h.name)")
            #expect(Set(found.map(\.outcome)).count == 1, "\(h.name)")
            if kind == "handshake-timeout" {
                guard case .couldNotTest(let why)? = found.first?.outcome else { Issue.record("\(h.name): \(found)"); continue }
                #expect(why.contains("HTTPS unavailable") && why.contains(code), "\(h.name)")
                continue
            }
            guard case .failed(let reason)? = found.first?.outcome else { Issue.record("\(h.name): not failed"); continue }
            #expect(reason.code == code, "\(h.name)")
        }
    }

    @Test("hostile text is kept as data: HTML, escapes, bidi overrides and formulas survive unchanged for the renderers to escape")
    func payloads() throws {
        let (_, pages, _, _) = run("payloads.lab.angiang.gov.vn")
        let f = try #require(pages)
        let casino = try #require(f.pages.flatMap(\.links).first { $0.url == "https://kuwin88.example/x" })
        #expect(casino.title == "<script>document.body.setAttribute('data-lab','lab'+'ran')</script>")
        #expect(casino.text.contains("<img src=x onerror=document.body.setAttribute('data-lab','lab'+'ran')>"))
        #expect(f.pages.flatMap(\.links).contains { $0.written.hasPrefix("javascript:") })
    }
}
