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

    init() throws {
        lab = try Lab.running()
        let context = lab.probeContext()
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        var options = LinkHygieneOptions()
        if case .map(let m)? = policy.rule("links.spam")?.parameters["keywords"] {
            options.keywords = m.mapValues { v in if case .list(let l) = v { l.compactMap(\.string) } else { [] } }
        }
        if case .list(let l)? = policy.rule("links.spam")?.parameters["blocklist"] { options.blocklist = l.compactMap(\.string) }
        if case .list(let l)? = policy.rule("links.spam")?.parameters["allowlist"] { options.allowlist = l.compactMap(\.string) }
        probe = LinkHygieneProbe(context: context, options: options)
    }

    func run(_ host: String) -> (LinkCrawl?, LinkFindings?, CloakingCheck?, [Evidence]) {
        let found = probe.run(try! Endpoint(parsing: "https://\(host)/"))
        return (found.first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self),
                found.first { $0.kind == LinkFindings.kind }?.facts(as: LinkFindings.self),
                found.first { $0.kind == CloakingCheck.kind }?.facts(as: CloakingCheck.self), found)
    }

    @Test("every expected injected link is found, with its page, technique and keyword")
    func injectedLinks() async throws {
        let hosts = lab.merged.filter { !(($0.expect["links"] as? [[String: Any]]) ?? []).isEmpty }
        #expect(hosts.count >= 10)
        for h in hosts {
            let (_, findings, _, _) = run(h.name)
            let f = try #require(findings, "\(h.name): no link evidence")
            for expected in h.expect["links"] as! [[String: Any]] {
                let url = expected["url"] as! String, technique = expected["technique"] as! String
                let matches = f.links.filter { $0.url == url }
                #expect(!matches.isEmpty, "\(h.name): \(url) not found")
                let ok = matches.contains { l in
                    switch technique {
                    case "visible": l.hiding == nil && l.redirect == nil
                    case "iframe": l.element == "iframe"
                    case "meta-refresh", "javascript-redirect", "404-redirect": l.redirect == technique
                    default: l.hiding == technique
                    }
                }
                #expect(ok, "\(h.name): \(url) technique \(technique), observed \(matches.map { "\($0.element) \($0.hiding ?? "-") \($0.redirect ?? "-")" })")
                if technique != "404-redirect" {
                    #expect(matches.contains { $0.page == expected["page"] as? String }, "\(h.name): \(url) page")
                }
                if let keyword = expected["keyword"] as? String {
                    let folded = VietnameseText.fold(keyword)
                    let seen = matches.flatMap(\.keywords) + f.pageKeywords.map(\.keyword)
                    // The policy's keyword may be a shorter phrase ("đá gà" in "đá gà trực tiếp").
                    #expect(seen.contains { (" " + folded + " ").contains(" " + VietnameseText.fold($0) + " ") }, "\(h.name): keyword \(keyword)")
                }
            }
        }
    }

    @Test("a sound site yields no spam, hidden, redirect or cloaking fact")
    func soundSite() {
        for host in ["dichvucong.angiang.gov.vn", "angiang.gov.vn", "sonoivu.angiang.gov.vn"] {
            let (crawl, f, cloak, _) = run(host)
            #expect(crawl?.pagesFetched == 2 && crawl?.broken.isEmpty == true, "\(host)")
            #expect(f?.links.filter { !$0.categories.isEmpty || $0.blocklisted || $0.hiding != nil || $0.redirect != nil }.isEmpty == true, "\(host)")
            #expect(f?.pageKeywords.isEmpty == true && cloak?.differences.isEmpty == true, "\(host)")
        }
    }

    @Test("the multi-page site: pages, depth, broken links, mixed content, third-party script, links outside .vn")
    func multipage() throws {
        let h = try #require(lab.merged.first { $0.expect["pages"] != nil })
        let (crawl, findings, _, _) = run(h.name)
        let c = try #require(crawl), f = try #require(findings)
        #expect(c.pagesFetched == h.expect["pages"] as? Int)
        #expect(c.depthReached == h.expect["depth"] as? Int)
        #expect(Set(c.broken.map { URLComponents(string: $0.url)!.path }) == Set(h.expect["brokenLinks"] as! [String]))
        #expect(Set(f.links.filter(\.mixedContent).map(\.url)) == Set(h.expect["mixedContent"] as! [String]))
        #expect(Set(f.links.filter { $0.thirdParty && !$0.mixedContent }.map(\.url)) == Set(h.expect["thirdPartyScripts"] as! [String]))
        #expect(Set(f.links.filter(\.outsideVN).map(\.url)).isSuperset(of: h.expect["outsideVN"] as! [String]))
        #expect(c.broken.allSatisfy { !$0.external }, "outbound links are not checked unless asked")

        // Asked to, the crawler status-checks outbound links (the foreign site has no /world page).
        var checking = probe
        checking.options.checkOutbound = 5
        let again = checking.run(try Endpoint(parsing: "https://\(h.name)/")).first { $0.kind == LinkCrawl.kind }?.facts(as: LinkCrawl.self)
        #expect(again?.broken.contains { $0.external && $0.url == "https://foreign-news.example/world" && $0.status == 404 } == true)
    }

    @Test("cloaking: crawler User-Agent and search Referer are sent elsewhere")
    func cloaking() throws {
        let h = try #require(lab.merged.first { $0.expect["cloaking"] != nil })
        let expected = h.expect["cloaking"] as! [String: String]
        let (_, _, cloak, _) = run(h.name)
        let d = try #require(cloak).differences.filter { $0.url == "/" && $0.aspect == "redirect" }
        #expect(d.first { $0.visitor == "crawler-user-agent" }?.other == expected["userAgent"])
        #expect(d.first { $0.visitor == "search-referer" }?.other == expected["referer"])
    }

    @Test("hostile sites end in typed results: loop, size cap, too slow, handshake timeout")
    func hostile() {
        let codes = ["redirect-loop": "redirect-loop", "too-large": "too-large", "too-slow": "too-slow", "handshake-timeout": "timeout"]
        for h in lab.merged {
            guard let kind = h.expect["hostile"] as? String, let code = codes[kind] else { continue }
            let (_, _, _, found) = run(h.name)
            #expect(found.count == 1, "\(h.name)")
            guard case .failed(let reason)? = found.first?.outcome else { Issue.record("\(h.name): not failed"); continue }
            #expect(reason.code == code, "\(h.name)")
        }
    }

    @Test("hostile text is kept as data: HTML, escapes, bidi overrides and formulas survive unchanged for the renderers to escape")
    func payloads() throws {
        let (_, findings, _, _) = run("payloads.lab.angiang.gov.vn")
        let f = try #require(findings)
        let casino = try #require(f.links.first { $0.url == "https://kuwin88.example/x" })
        #expect(casino.title == "<script>alert(1)</script>")
        #expect(casino.text.contains("<img src=x onerror=alert(1)>"))
    }
}
