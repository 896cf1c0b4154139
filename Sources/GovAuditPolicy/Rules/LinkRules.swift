import Foundation
import GovAuditCore

/// Rules on link hygiene, from what the crawler saw; the lists they judge by are their parameters.
enum LinkRules {
    static let all: [RuleImplementation] = [spam, hidden, scriptedRedirect, cloaking, mixedContent, thirdParty,
                                            broken, outsideVN, crawlFailed]

    private typealias Seen = LinkClassification.Seen

    /// What the crawl's time budget cut on this endpoint, if it cut anything: a crawl that found
    /// nothing then says "unknown", not "clean".
    static func budgetCut(_ c: RuleContext, _ ep: Endpoint) -> String? {
        let cut = c.evidence(LinkCrawl.self, for: ep).compactMap { $0.facts(as: LinkCrawl.self)?.budgetCut }.flatMap { $0 }
        return cut.isEmpty ? nil : "the crawl's time budget ran out (" + cut.joined(separator: "; ") + ")"
    }

    /// Web endpoints, each http(s) reference judged by `judge`.
    private static func perLink(_ c: RuleContext, _ judge: @escaping (Endpoint, Seen) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, LinkPages.self, endpoints: c.webEndpoints, incomplete: { ep, _ in budgetCut(c, ep) }) { ep, f in
            LinkClassification.links(f).compactMap { s in
                judge(ep, s).map { Observation(endpoint: ep, subject: "\(s.page)|\(s.url)", facts: $0) }
            }
        }
    }

    private static func describe(_ s: Seen) -> [Fact] {
        var facts = [Fact("page", s.page), Fact("url", s.url), Fact("element", s.link.element)]
        if !s.link.text.isEmpty { facts.append(Fact("text", s.link.text)) }
        if let t = s.link.title { facts.append(Fact("title", t)) }
        if let h = s.link.hiding { facts.append(Fact("hiding", h)) }
        if let r = s.redirect, s.link.external { facts.append(Fact("redirect", r)) }
        return facts
    }

    /// Gambling, betting, adult or scam links (by keyword or blocklisted domain) and spam words
    /// in the page text.
    static let spam = RuleImplementation("links.spam", parameters: [.init("keywords", .table(.list(.text))), .init("blocklist", .list(.text))]) { c in
        let lists = LinkClassification.matchers(LinkClassification.keywordLists(c.parameters))
        let blocklist = LinkClassification.list(c.parameters, "blocklist")
        return EvidenceRule.perEndpoint(c, LinkPages.self, endpoints: c.webEndpoints, incomplete: { ep, _ in budgetCut(c, ep) }) { ep, f in
            let links: [Observation] = LinkClassification.links(f).compactMap { s in
                let found = LinkClassification.keywords(in: LinkClassification.words(s), lists)
                let blocked = LinkClassification.blocklisted(s.host, blocklist)
                guard !found.categories.isEmpty || blocked else { return nil }
                return Observation(endpoint: ep, subject: "\(s.page)|\(s.url)", facts: describe(s)
                    + Fact.list("keywords", found.keywords) + [Fact("blocklisted", blocked ? "yes" : "no")])
            }
            let words = f.pages.flatMap { page in
                LinkClassification.pageKeywords(page, lists).map { k in
                    Observation(endpoint: ep, subject: "\(page.page)|\(k.keyword)",
                                facts: [Fact("page", page.page), Fact("keyword", k.keyword), Fact("category", k.category),
                                        Fact("inText", k.hidden ? "hidden" : "visible")])
                }
            }
            return links + words
        }
    }

    static let hidden = RuleImplementation("links.hidden-link") { c in
        perLink(c) { _, s in
            s.link.external && s.link.hiding != nil && ["a", "area", "iframe", "frame"].contains(s.link.element) ? describe(s) : nil
        }
    }

    static let scriptedRedirect = RuleImplementation("links.scripted-redirect") { c in
        perLink(c) { _, s in s.redirect != nil && s.link.external ? describe(s) : nil }
    }

    static let mixedContent = RuleImplementation("links.mixed-content") { c in
        perLink(c) { _, s in LinkClassification.isMixedContent(s) ? describe(s) : nil }
    }

    /// A script or frame from another organisation's host, unless the policy trusts its domain.
    static let thirdParty = RuleImplementation("links.third-party", parameters: [.init("allowlist", .list(.text))]) { c in
        let allowlist = LinkClassification.list(c.parameters, "allowlist")
        return perLink(c) { ep, s in
            s.link.external && LinkClassification.active.contains(s.link.element)
                && !LinkClassification.allowed(s.host, allowlist)
                && !HostName.isSubdomain(s.host, of: LinkClassification.organisationDomain(ep.host)) ? describe(s) : nil
        }
    }

    /// Links (not spam: links.spam says that) to hosts outside .vn and outside the allowlist.
    static let outsideVN = RuleImplementation("links.outside-vn", parameters: [.init("allowlist", .list(.text))]) { c in
        let allowlist = LinkClassification.list(c.parameters, "allowlist")
        let spam = c.parameters(ofRule: "links.spam")
        let lists = LinkClassification.matchers(LinkClassification.keywordLists(spam))
        return perLink(c) { _, s in
            guard s.link.external, s.link.element == "a" || s.link.element == "area",
                  !(s.host == "vn" || s.host.hasSuffix(".vn")), !LinkClassification.allowed(s.host, allowlist) else { return nil }
            return LinkClassification.keywords(in: LinkClassification.words(s), lists).categories.isEmpty ? describe(s) : nil
        }
    }

    static let broken = RuleImplementation("links.broken") { c in
        EvidenceRule.perEndpoint(c, LinkCrawl.self, endpoints: c.webEndpoints, incomplete: { ep, _ in budgetCut(c, ep) }) { ep, crawl in
            crawl.broken.map { b in
                Observation(endpoint: ep, subject: "\(b.page)|\(b.url)",
                            facts: [Fact("page", b.page), Fact("url", b.url),
                                    Fact("result", b.status.map { "HTTP \($0)" } ?? b.code ?? "-"),
                                    Fact("link", b.external ? "outbound" : "internal")])
            }
        }
    }

    /// The start page could not be crawled, or pages failed on the way (loops, caps, trickles).
    static let crawlFailed = RuleImplementation("links.crawl-failed") { c in
        EvidenceRule.perEndpoint(c, LinkCrawl.self, endpoints: c.webEndpoints,
            onFailed: { ep, r in [Observation(endpoint: ep, facts: [Fact("page", ep.path), Fact("result", r.code), Fact("detail", r.detail)])] }
        ) { ep, crawl in
            crawl.failures.map { f in
                Observation(endpoint: ep, subject: f.url, facts: [Fact("url", f.url), Fact("result", f.code), Fact("detail", f.detail)])
            }
        }
    }
}
