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

    /// Decodes the response's body (`PageDecoding`: BOM, Content-Type, `<meta>`), parses it
    /// and reads it; a `Refresh` header counts as the page's own redirect, as browsers follow it.
    /// `template`: record the page's template blocks (the start page's, for drift).
    func read(_ r: HTTPResponse, page: String, linkBudget: inout Int, deadline: Deadline? = nil, template: Bool = false) -> Read {
        let decoded = PageDecoding.decode(r.body, contentType: r.header("Content-Type"))
        let doc = HTMLDocument(decoded: decoded)
        var read = read(doc, pageURL: r.finalURL, page: page, status: r.status, linkBudget: &linkBudget,
                        deadline: deadline, refreshHeader: r.header("Refresh").flatMap(HTMLDocument.refreshTarget))
        read.content.encoding = PageEncoding(charset: decoded.charset, source: decoded.source.rawValue, replaced: decoded.replaced,
                                             unreadable: decoded.unreadable)
        if template { read.content.template = doc.templateBlocks() }
        return read
    }

    /// `linkBudget` is what the site's bound still allows; it is reduced by the links recorded.
    /// Only the first `maxLinksPerPage` references are analysed; the rest are counted, so a page
    /// of 100,000 links costs what a page of 1,000 does. No analysis runs past `deadline`.
    func read(_ doc: HTMLDocument, pageURL: String, page: String, status: Int, linkBudget: inout Int,
              deadline: Deadline? = nil, refreshHeader: String? = nil) -> Read {
        let base = URL(string: doc.baseHref ?? pageURL, relativeTo: URL(string: pageURL)) ?? URL(string: pageURL)
        var cutShort = false
        let found = doc.references(limit: maxLinksPerPage) {
            cutShort = deadline?.hasPassed ?? false
            return cutShort
        }
        var redirects: [(ref: PageReference, redirect: String?)] = []
        if let target = refreshHeader {
            redirects.append((PageReference(element: "header", attribute: "Refresh", url: target, text: "", title: nil, alt: nil, hiding: nil),
                              "refresh-header"))
        }
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
            let external = web && !isSite(host!)
            if web, !external, redirect == nil, ["a", "area", "iframe", "frame"].contains(ref.element), let absolute {
                var c = URLComponents(url: absolute, resolvingAgainstBaseURL: true)
                c?.fragment = nil
                if let clean = c?.string { next.append(clean) }
            }
            guard redirect != nil || links.count < referenceRoom else { dropped += 1; continue }
            links.append(PageLink(element: ref.element, attribute: ref.attribute, written: ref.url, url: absolute?.absoluteString,
                                  text: ref.text, title: ref.title, alt: ref.alt, hiding: ref.hiding, redirect: redirect,
                                  external: external, rel: ref.rel))
        }
        linkBudget -= links.count
        let texts = doc.texts
        let visible = bounded(texts.visible), hidden = bounded(texts.hidden)
        return Read(content: PageContent(page: page, url: pageURL, status: status, title: doc.title, visibleText: visible.text,
                                         hiddenText: hidden.text, textCharactersDropped: visible.dropped + hidden.dropped,
                                         links: links, linksDropped: dropped),
                    next: next, cutShort: cutShort)
    }

    /// A host of the site: its own name, the same name with or without `www.`, and its
    /// subdomains when the crawl includes them.
    func isSite(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == siteHost || h == "www." + siteHost || "www." + h == siteHost
            || (includeSubdomains && HostName.isSubdomain(h, of: siteHost))
    }

    /// Whether `url` is an http(s) URL of the site (where a crawl may follow a redirect).
    func isSite(url: String) -> Bool {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host else { return false }
        return isSite(host)
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
