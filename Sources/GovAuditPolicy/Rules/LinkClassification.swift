import Foundation
import GovAuditCore

/// What the links rules derive from the crawler's facts with the policy's lists: keywords
/// (folded, no diacritics), blocklisted hosts, allowlisted domains, the organisation's domain.
/// Stored evidence holds none of it, so a changed list re-judges old scans.
enum LinkClassification {
    /// One http(s) reference of a page, as the rules see it.
    struct Seen {
        var page: String
        /// The page's URL (its scheme decides mixed content).
        var pageURL: String
        var link: PageLink
        var url: String
        var host: String
        var scheme: String
        /// meta-refresh, javascript-redirect, or 404-redirect on the answer to a missing page.
        var redirect: String?
    }

    /// Every http(s) reference of the crawled pages, then the redirects of the missing page
    /// (its other links are the site's template, already seen on the crawled pages).
    static func links(_ f: LinkPages) -> [Seen] {
        var out = f.pages.flatMap { page in page.links.compactMap { seen($0, on: page, redirect: $0.redirect) } }
        if let missing = f.missingPage {
            out += missing.links.compactMap { l in
                l.redirect == nil ? nil : seen(l, on: missing, redirect: missing.status == 404 ? "404-redirect" : l.redirect)
            }
        }
        return out
    }

    static func seen(_ l: PageLink, on page: PageContent, redirect: String?) -> Seen? {
        guard let url = l.url, let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host?.lowercased() else { return nil }
        return Seen(page: page.page, pageURL: page.url, link: l, url: url, host: host, scheme: scheme, redirect: redirect)
    }

    /// The policy's keyword lists by category (gambling, betting, adult, scam).
    static func keywordLists(_ p: Parameters?) -> [String: [String]] {
        guard case .map(let m)? = p?["keywords"] else { return [:] }
        return m.mapValues { v in if case .list(let l) = v { l.compactMap(\.string) } else { [] } }
    }

    static func list(_ p: Parameters, _ name: String) -> [String] {
        if case .list(let l)? = p[name] { return l.compactMap(\.string) }
        return []
    }

    /// The keyword lists folded once, in category order: what `keywords(in:)` and
    /// `pageKeywords` match against (a rule folds its lists once, not once per link).
    typealias Matchers = [(category: String, keywords: VietnameseText.Keywords)]

    static func matchers(_ lists: [String: [String]]) -> Matchers {
        foldedLists.value(for: lists) {
            lists.sorted(by: { $0.key < $1.key }).map { ($0.key, VietnameseText.Keywords($0.value)) }
        }
    }

    /// Every system's evaluation judges by the policy's same few lists, in several rules: they
    /// are folded once per process, not once per rule per system.
    private static let foldedLists = FoldMemo<[String: [String]], Matchers>()

    /// Keywords found in `text` as whole folded words, with their categories, in category order.
    static func keywords(in text: String, _ lists: Matchers) -> (keywords: [String], categories: [String]) {
        var keywords: [String] = [], categories: [String] = []
        let folded = VietnameseText.Folded(text)
        for (category, list) in lists {
            let found = list.found(in: folded)
            if !found.isEmpty { keywords += found; categories.append(category) }
        }
        return (keywords, categories)
    }

    /// The words a link is judged by: its text, title, alt and URL (slugs are words too).
    static func words(_ s: Seen) -> String {
        [s.link.text, s.link.title ?? "", s.link.alt ?? "", s.url].joined(separator: " ")
    }

    /// Keywords of the page's own text: visible (with the title) and hidden.
    static func pageKeywords(_ page: PageContent, _ lists: Matchers)
        -> [(keyword: String, category: String, hidden: Bool)] {
        var out: [(String, String, Bool)] = []
        let visible = VietnameseText.Folded(page.visibleText + " " + page.title), hidden = VietnameseText.Folded(page.hiddenText)
        for (category, list) in lists {
            for k in list.found(in: visible) { out.append((k, category, false)) }
            for k in list.found(in: hidden) { out.append((k, category, true)) }
        }
        return out
    }

    static func blocklisted(_ host: String, _ blocklist: [String]) -> Bool {
        blocklist.contains { host.contains($0.lowercased()) }
    }

    static func allowed(_ host: String, _ allowlist: [String]) -> Bool {
        allowlist.contains { HostName.isSubdomain(host, of: $0.lowercased()) }
    }

    /// Loaded into the page (so subject to mixed-content blocking), not merely linked; a
    /// `<link>` only when its rel loads the target (a canonical or alternate URL is only named).
    static let embedded: Set<String> = ["script", "img", "iframe", "frame", "link", "source", "embed", "object"]

    /// Elements that run another party's code or page inside ours.
    static let active: Set<String> = ["script", "iframe", "frame"]

    /// An http:// resource an HTTPS page loads, or an http:// form it submits to (browsers warn
    /// before sending it in clear).
    static func isMixedContent(_ s: Seen) -> Bool {
        guard s.pageURL.lowercased().hasPrefix("https://"), s.scheme == "http" else { return false }
        if s.link.element == "form" { return true }
        if s.link.element == "link" { return s.link.relLoadsTarget }
        return embedded.contains(s.link.element)
    }

    /// The organisation's domain: the last three labels under a second-level .vn zone
    /// (x.gov.vn, x.com.vn), else the last two.
    static func organisationDomain(_ host: String) -> String {
        let labels = host.split(separator: ".")
        let take = labels.count >= 3 && labels.last == "vn" && ["gov", "com", "edu", "org", "net"].contains(labels[labels.count - 2]) ? 3 : 2
        return labels.suffix(take).joined(separator: ".")
    }
}
