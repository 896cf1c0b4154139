import Foundation
import GovAuditCore
import GovAuditHTML
import GovAuditNet

/// Turns a parsed page into `PageContent`: every reference resolved, the texts, within bounds.
/// Facts only: which links are spam, foreign or third-party is for the links rules to say.
struct PageReader {
    var siteHost: String
    var includeSubdomains: Bool
    var maxTextCharacters: Int
    var maxLinksPerPage: Int

    struct Read {
        var content: PageContent
        /// Same-site pages to crawl next (links and frames, fragment removed), among the first
        /// `maxLinksPerPage` references, whether recorded or not.
        var next: [String]
        /// The deadline stopped the analysis: the references after that point are only counted.
        var cutShort: Bool
    }

    /// `linkBudget` is what the site's bound still allows; it is reduced by the links recorded.
    /// Only the first `maxLinksPerPage` references are analysed; the rest are counted, so a page
    /// of 100,000 links costs what a page of 1,000 does. No analysis runs past `deadline`.
    func read(_ doc: HTMLDocument, pageURL: String, page: String, status: Int, linkBudget: inout Int,
              deadline: Deadline? = nil) -> Read {
        let base = URL(string: doc.baseHref ?? pageURL, relativeTo: URL(string: pageURL)) ?? URL(string: pageURL)
        var cutShort = false
        let found = doc.references(limit: maxLinksPerPage) {
            cutShort = deadline?.hasPassed ?? false
            return cutShort
        }
        var redirects: [(ref: PageReference, redirect: String?)] = []
        if let target = doc.metaRefresh {
            redirects.append((PageReference(element: "meta", attribute: "content", url: target, text: "", title: nil, alt: nil, hiding: nil),
                              "meta-refresh"))
        }
        for target in doc.scriptRedirects {
            redirects.append((PageReference(element: "script-redirect", attribute: "", url: target, text: "", title: nil, alt: nil, hiding: nil),
                              "javascript-redirect"))
        }
        var links: [PageLink] = []
        var next: [String] = []
        var dropped = found.more
        let allowed = min(maxLinksPerPage, max(0, linkBudget))
        // Redirects the page makes by itself are kept first (they come last in document order, and
        // are what injected spam uses): the references get the room they leave.
        let keptRedirects = min(redirects.count, allowed)
        let referenceRoom = allowed - keptRedirects
        dropped += redirects.count - keptRedirects
        let refs = found.kept.map { (ref: $0, redirect: Optional<String>.none) } + redirects.prefix(keptRedirects)
        for (ref, redirect) in refs {
            let absolute = URL(string: ref.url, relativeTo: base)?.absoluteURL
            let scheme = absolute?.scheme?.lowercased()
            let host = absolute?.host?.lowercased()
            let web = (scheme == "http" || scheme == "https") && host != nil
            let external = web && !(host == siteHost || (includeSubdomains && HostName.isSubdomain(host!, of: siteHost)))
            if web, !external, redirect == nil, ["a", "area", "iframe", "frame"].contains(ref.element), let absolute {
                var c = URLComponents(url: absolute, resolvingAgainstBaseURL: true)
                c?.fragment = nil
                if let clean = c?.string { next.append(clean) }
            }
            guard redirect != nil || links.count < referenceRoom else { dropped += 1; continue }
            links.append(PageLink(element: ref.element, attribute: ref.attribute, written: ref.url, url: absolute?.absoluteString,
                                  text: ref.text, title: ref.title, alt: ref.alt, hiding: ref.hiding, redirect: redirect,
                                  external: external))
        }
        linkBudget -= links.count
        let texts = doc.texts
        let visible = bounded(texts.visible), hidden = bounded(texts.hidden)
        return Read(content: PageContent(page: page, url: pageURL, status: status, title: doc.title, visibleText: visible.text,
                                         hiddenText: hidden.text, textCharactersDropped: visible.dropped + hidden.dropped,
                                         links: links, linksDropped: dropped),
                    next: next, cutShort: cutShort)
    }

    private func bounded(_ text: String) -> (text: String, dropped: Int) {
        let count = text.count
        guard count > maxTextCharacters else { return (text, 0) }
        return (String(text.prefix(maxTextCharacters)), count - maxTextCharacters)
    }
}

/// Where a URL sits on its site: path and query, as findings name pages.
func sitePath(of url: String) -> String {
    guard let u = URLComponents(string: url) else { return url }
    return (u.percentEncodedPath.isEmpty ? "/" : u.percentEncodedPath) + (u.percentEncodedQuery.map { "?\($0)" } ?? "")
}
