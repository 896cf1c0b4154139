import GovAuditCore

/// Rules on link hygiene, from the crawler's evidence.
enum LinkRules {
    static let all: [RuleImplementation] = [spam, hidden, scriptedRedirect, cloaking, mixedContent, thirdParty,
                                            broken, outsideVN, crawlFailed]

    /// Web endpoints, each link judged by `judge`.
    private static func perLink(_ c: RuleContext, _ judge: @escaping (NotableLink) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, LinkFindings.self, endpoints: c.webEndpoints) { ep, f in
            f.links.compactMap { link in
                judge(link).map { Observation(endpoint: ep, subject: "\(link.page)|\(link.url)", facts: $0) }
            }
        }
    }

    private static func describe(_ l: NotableLink) -> [Fact] {
        var facts = [Fact("page", l.page), Fact("url", l.url), Fact("element", l.element)]
        if !l.text.isEmpty { facts.append(Fact("text", l.text)) }
        if let t = l.title { facts.append(Fact("title", t)) }
        if let h = l.hiding { facts.append(Fact("hiding", h)) }
        if let r = l.redirect { facts.append(Fact("redirect", r)) }
        return facts
    }

    /// Gambling, betting, adult or scam links (by keyword or blocklisted domain) and spam words
    /// in the page text. Its parameters are what the crawler looks for (the CLI hands them over).
    static let spam = RuleImplementation("links.spam", parameters: [
        .init("keywords", .table(.list(.text))), .init("blocklist", .list(.text)), .init("allowlist", .list(.text)),
    ]) { c in
        EvidenceRule.perEndpoint(c, LinkFindings.self, endpoints: c.webEndpoints) { ep, f in
            let links = f.links.filter { !$0.categories.isEmpty || $0.blocklisted }.map { l in
                Observation(endpoint: ep, subject: "\(l.page)|\(l.url)", facts: describe(l)
                    + [Fact("keywords", l.keywords.joined(separator: ", ")), Fact("blocklisted", l.blocklisted ? "yes" : "no")])
            }
            let words = f.pageKeywords.map { k in
                Observation(endpoint: ep, subject: "\(k.page)|\(k.keyword)",
                            facts: [Fact("page", k.page), Fact("keyword", k.keyword), Fact("category", k.category),
                                    Fact("inText", k.hidden ? "hidden" : "visible")])
            }
            return links + words
        }
    }

    static let hidden = RuleImplementation("links.hidden-link") { c in
        perLink(c) { l in l.external && l.hiding != nil && ["a", "area", "iframe", "frame"].contains(l.element) ? describe(l) : nil }
    }

    static let scriptedRedirect = RuleImplementation("links.scripted-redirect") { c in
        perLink(c) { l in l.redirect != nil && l.external ? describe(l) : nil }
    }

    static let cloaking = RuleImplementation("links.cloaking") { c in
        EvidenceRule.perEndpoint(c, CloakingCheck.self, endpoints: c.webEndpoints) { ep, check in
            check.differences.map { d in
                Observation(endpoint: ep, subject: "\(d.url)|\(d.visitor)|\(d.aspect)",
                            facts: [Fact("page", d.url), Fact("visitor", d.visitor), Fact("aspect", d.aspect),
                                    Fact("asBrowser", d.browser), Fact("asOther", d.other)])
            }
        }
    }

    static let mixedContent = RuleImplementation("links.mixed-content") { c in
        perLink(c) { l in l.mixedContent ? describe(l) : nil }
    }

    static let thirdParty = RuleImplementation("links.third-party") { c in
        perLink(c) { l in l.thirdParty ? describe(l) : nil }
    }

    static let broken = RuleImplementation("links.broken") { c in
        EvidenceRule.perEndpoint(c, LinkCrawl.self, endpoints: c.webEndpoints) { ep, crawl in
            crawl.broken.map { b in
                Observation(endpoint: ep, subject: "\(b.page)|\(b.url)",
                            facts: [Fact("page", b.page), Fact("url", b.url),
                                    Fact("result", b.status.map { "HTTP \($0)" } ?? b.code ?? "-"),
                                    Fact("link", b.external ? "outbound" : "internal")])
            }
        }
    }

    static let outsideVN = RuleImplementation("links.outside-vn") { c in
        perLink(c) { l in l.outsideVN && (l.element == "a" || l.element == "area") && l.categories.isEmpty ? describe(l) : nil }
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
