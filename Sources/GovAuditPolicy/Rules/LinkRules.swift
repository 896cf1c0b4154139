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

    /// Gambling, betting, adult or scam links (keywords in the text, attributes or slug, a brand
    /// in a domain label, a blocklisted host), off-site redirects to such targets, and spam words
    /// in the page text. Each finding names the signals that fired. A page whose text could not
    /// be decoded leaves the rule unknown, never clean.
    static let spam = RuleImplementation("links.spam", parameters: [.init("keywords", .table(.list(.text))), .init("brands", .list(.text)),
                                                                   .init("blocklist", .list(.text))]) { c in
        let terms = SpamSignals.Terms(c.parameters)
        let lists = terms.matchers
        return EvidenceRule.perEndpoint(c, LinkPages.self, endpoints: c.webEndpoints, incomplete: { ep, f in
            let unreadable = (f.pages + [f.missingPage].compactMap { $0 }).filter { $0.encoding.unreadable != nil }
            let why = unreadable.prefix(5).map { "could not decode \($0.page): \($0.encoding.unreadable!)" }
            let all = [budgetCut(c, ep)].compactMap { $0 } + why
            return all.isEmpty ? nil : all.joined(separator: "; ")
        }) { ep, f in
            let sitemapOnly = Set(f.pages.filter(\.sitemapOnly).map(\.page))
            let links: [Observation] = LinkClassification.links(f).compactMap { s in
                let signals = SpamSignals(text: s.link.text, attributes: [s.link.title ?? "", s.link.alt ?? ""], url: s.url, host: s.host, terms)
                guard !signals.isEmpty else { return nil }
                return Observation(endpoint: ep, subject: "\(s.page)|\(s.url)", facts: describe(s) + signals.facts
                    + (sitemapOnly.contains(s.page) ? [Fact("sitemapOnly", "yes")] : []))
            }
            let redirects: [Observation] = c.evidence(LinkCrawl.self, for: ep).compactMap { $0.facts(as: LinkCrawl.self) }
                .flatMap(\.offsiteRedirects).compactMap { r in
                    guard let host = URL(string: r.target)?.host?.lowercased() else { return nil }
                    let signals = SpamSignals(text: "", attributes: [], url: r.target, host: host, terms)
                    guard !signals.isEmpty else { return nil }
                    return Observation(endpoint: ep, subject: "\(r.page)|\(r.target)",
                                       facts: [Fact("page", r.page), Fact("url", r.target), Fact("element", "http-redirect"),
                                               Fact("status", String(r.status))] + signals.facts)
                }
            let words = f.pages.flatMap { page in
                LinkClassification.pageKeywords(page, lists).map { k in
                    Observation(endpoint: ep, subject: "\(page.page)|\(k.keyword)",
                                facts: [Fact("page", page.page), Fact("keyword", k.keyword), Fact("category", k.category),
                                        Fact("signals", "text"), Fact("inText", k.hidden ? "hidden" : "visible")]
                                    + (page.sitemapOnly ? [Fact("sitemapOnly", "yes")] : []))
                }
            }
            return links + redirects + words
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

    /// Broken links, frames and sub-resources of the site, and broken outbound links, each with
    /// the page that uses it. An outbound link that is spam by its URL is links.spam's, not this one's.
    static let broken = RuleImplementation("links.broken") { c in
        let terms = SpamSignals.Terms(c.parameters(ofRule: "links.spam"))
        return EvidenceRule.perEndpoint(c, LinkCrawl.self, endpoints: c.webEndpoints, incomplete: { ep, _ in budgetCut(c, ep) }) { ep, crawl in
            crawl.broken.compactMap { b in
                if b.external, let host = URL(string: b.url)?.host?.lowercased(),
                   !SpamSignals(text: "", attributes: [], url: b.url, host: host, terms).isEmpty { return nil }
                return Observation(endpoint: ep, subject: "\(b.page)|\(b.url)",
                                   facts: [Fact("page", b.page), Fact("url", b.url),
                                           Fact("result", b.status.map { "HTTP \($0)" } ?? b.code ?? "-"),
                                           Fact("link", b.external ? "outbound" : "internal")] + (b.element.map { [Fact("element", $0)] } ?? []))
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
