import Foundation
import GovAuditCore

extension LinkRules {
    /// Another redirect, other outbound hosts, or spam words (the keywords of links.spam) that a
    /// crawler or a visitor from a search engine gets and a browser does not.
    static let cloaking = RuleImplementation("links.cloaking") { c in
        let lists = LinkClassification.matchers(LinkClassification.keywordLists(c.parameters(ofRule: "links.spam")))
        return EvidenceRule.perEndpoint(c, CloakingCheck.self, endpoints: c.webEndpoints, incomplete: { _, check in
            let cut = check.samples.flatMap(\.views).filter { $0.failure?.isBudgetExhausted ?? false }.count
            return cut > 0 ? "\(cut) views not fetched within the crawl's budget" : nil
        }) { ep, check in
            check.samples.flatMap { sample -> [Observation] in
                guard let browser = sample.views.first(where: { $0.visitor == "browser" }) else { return [] }
                // A visitor served the very page the browser got (the usual case) shows no
                // difference: its text is not folded and searched again.
                let others = sample.views.filter {
                    $0.visitor != "browser" && !($0.finalURL == browser.finalURL && $0.content == browser.content)
                }
                guard !others.isEmpty, let seen = View(browser, lists) else { return [] }
                return others.flatMap { other -> [Observation] in
                    guard let view = View(other, lists) else { return [] }
                    return seen.differences(from: view).map { aspect, asBrowser, asOther in
                        Observation(endpoint: ep, subject: "\(sample.page)|\(other.visitor)|\(aspect)",
                                    facts: [Fact("page", sample.page), Fact("visitor", other.visitor), Fact("aspect", aspect)]
                                        + Fact.list("asBrowser", asBrowser.items, separator: asBrowser.separator)
                                        + Fact.list("asOther", asOther.items, separator: asOther.separator))
                    }
                }
            }
        }
    }

    /// What the rule compares of one visitor's view.
    private struct View {
        var final: String
        var outbound: Set<String>
        var keywords: Set<String>

        /// Nil when the fetch failed: nothing to compare.
        init?(_ v: CloakingCheck.View, _ lists: LinkClassification.Matchers) {
            guard let final = v.finalURL else { return nil }
            self.final = final
            let page = v.content
            let links = page.map { p in p.links.compactMap { LinkClassification.seen($0, on: p, redirect: $0.redirect) } } ?? []
            outbound = Set(links.filter(\.link.external).map(\.host))
            keywords = Set(links.flatMap { LinkClassification.keywords(in: LinkClassification.words($0), lists).keywords }
                + (page.map { LinkClassification.pageKeywords($0, lists).map(\.keyword) } ?? []))
        }

        typealias Side = (items: [String], separator: String)

        /// (aspect, as the browser saw it, as the other visitor saw it) for each difference.
        func differences(from other: View) -> [(String, Side, Side)] {
            var out: [(String, Side, Side)] = []
            if other.final != final { out.append(("redirect", ([final], ""), ([other.final], ""))) }
            if !other.outbound.subtracting(outbound).isEmpty {
                out.append(("outbound-links", (outbound.sorted(), " "), (other.outbound.sorted(), " ")))
            }
            if !other.keywords.subtracting(keywords).isEmpty {
                out.append(("keywords", (keywords.sorted(), ", "), (other.keywords.sorted(), ", ")))
            }
            return out
        }
    }
}
