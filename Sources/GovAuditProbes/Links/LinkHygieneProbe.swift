import Foundation
import GovAuditCore
import GovAuditHTML
import GovAuditNet

/// What the crawler looks for, from the policy (rule links.spam's parameters), and its bounds.
public struct LinkHygieneOptions: Sendable {
    /// Keywords per category (gambling, betting, adult, scam), matched folded (no diacritics).
    public var keywords: [String: [String]] = [:]
    /// Host fragments of known spam domains (kuwin, 98win…).
    public var blocklist: [String] = []
    /// Domains that are never "outside .vn" or "third party" (national portals, social networks).
    public var allowlist: [String] = []
    public var maxPages = 100
    public var maxDepth = 5
    public var timeBudgetSeconds = 60.0
    /// Crawl the host's subdomains too.
    public var includeSubdomains = false
    /// Pages besides the home page sampled for cloaking.
    public var cloakingSample = 5
    /// Outbound links whose status is checked (never crawled); 0 = none.
    public var checkOutbound = 0
    /// Pages of one site fetched at the same time.
    public var concurrencyPerHost = 2

    public init() {}
}

/// The crawler: a bounded, same-site crawl of one web endpoint through the one HTTP client,
/// gumbo for the HTML, then a cloaking comparison. Collects facts; the links rules judge.
public struct LinkHygieneProbe: Sendable {
    public var context: ProbeContext
    public var options: LinkHygieneOptions

    public init(context: ProbeContext, options: LinkHygieneOptions) {
        self.context = context
        self.options = options
    }

    static let browserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
    static let crawlerAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

    /// Blocking: run it on the blocking pool.
    public func run(_ endpoint: Endpoint) -> [Evidence] {
        guard endpoint.scheme != nil else { return [Evidence(LinkCrawl.self, endpoint: endpoint, outcome: .notApplicable)] }
        let family = familyFor(endpoint.host)
        let started = Date()
        var queue: [(url: String, depth: Int, from: String?)] = [(endpoint.description, 0, nil)]
        var seen: Set<String> = [endpoint.description]
        var fetched = 0, depthReached = 0
        var limit: String?
        var failures: [LinkCrawl.PageFailure] = []
        var broken: [LinkCrawl.BrokenLink] = []
        var notable: [NotableLink] = []
        var pageKeywords: [PageKeyword] = []
        var internalPages: [String] = []

        while !queue.isEmpty {
            if fetched >= options.maxPages { limit = "pages"; break }
            if Date().timeIntervalSince(started) > options.timeBudgetSeconds { limit = "time"; break }
            // Up to `concurrencyPerHost` pages at a time; results are then handled in queue order,
            // so the crawl's facts do not depend on which answer came first.
            let batch = Array(queue.prefix(min(options.concurrencyPerHost, options.maxPages - fetched)))
            queue.removeFirst(batch.count)
            let responses = fetchAll(batch.map(\.url), family: family)
            for ((url, depth, from), result) in zip(batch, responses) {
                switch result {
                case .failure(let f):
                    if from == nil {
                        // The start page itself: the crawl failed, as a fact about the target.
                        return [Evidence(LinkCrawl.self, endpoint: endpoint, outcome: f.isScannerSide
                                         ? .couldNotTest(f.description) : .failed(FailureReason(code: f.code, detail: f.description)))]
                    }
                    failures.append(.init(url: url, code: f.code, detail: f.description))
                    if let from, case .dns = f { broken.append(.init(page: from, url: url, status: nil, code: f.code)) }
                case .success(let response):
                    if response.status >= 400 {
                        if let from { broken.append(.init(page: from, url: url, status: response.status, code: nil)) }
                        continue
                    }
                    fetched += 1
                    depthReached = max(depthReached, depth)
                    guard isHTML(response) else { continue }
                    internalPages.append(response.finalURL)
                    let doc = HTMLDocument(parsing: response.body)
                    let page = path(of: response.finalURL)
                    let analysis = analyse(doc, pageURL: response.finalURL, page: page, siteHost: endpoint.host, redirectKind: nil)
                    notable += analysis.notable
                    pageKeywords += analysis.keywords
                    for next in analysis.internal where depth + 1 <= options.maxDepth && !seen.contains(next) {
                        seen.insert(next)
                        queue.append((next, depth + 1, page))
                    }
                    if depth + 1 > options.maxDepth && !analysis.internal.allSatisfy(seen.contains) { limit = limit ?? "depth" }
                }
            }
        }

        // Outbound links are never crawled; when asked, a bounded number are status-checked.
        var checked = Set<String>()
        for l in notable where l.external && (l.element == "a" || l.element == "area") && !l.blocklisted
            && l.categories.isEmpty && checked.count < options.checkOutbound && !checked.contains(l.url) {
            checked.insert(l.url)
            guard let host = URL(string: l.url)?.host else { continue }
            switch context.http.fetch(l.url, family: familyFor(host)) {
            case .success(let r) where r.status >= 400:
                broken.append(.init(page: l.page, url: l.url, status: r.status, code: nil, external: true))
            case .failure(let f) where !f.isScannerSide:
                broken.append(.init(page: l.page, url: l.url, status: nil, code: f.code, external: true))
            default: break
            }
        }

        // A missing page: some injected spam answers 404 and then redirects.
        // A fixed path, so the same finding keeps the same key from scan to scan.
        let missing = root(endpoint) + "govaudit-kiem-tra-404"
        if case .success(let r) = context.http.fetch(missing, family: family), isHTML(r) {
            let doc = HTMLDocument(parsing: r.body)
            notable += analyse(doc, pageURL: missing, page: path(of: missing), siteHost: endpoint.host,
                               redirectKind: r.status == 404 ? "404-redirect" : nil).notable.filter { $0.redirect != nil }
        }

        var evidence = [
            Evidence(endpoint: endpoint, facts: LinkCrawl(start: endpoint.description, pagesFetched: fetched, depthReached: depthReached,
                                                          limitReached: limit, failures: failures, broken: broken)),
            Evidence(endpoint: endpoint, facts: LinkFindings(links: notable, pageKeywords: pageKeywords)),
        ]
        evidence.append(cloaking(endpoint, family: family, pages: Array(internalPages.prefix(options.cloakingSample + 1)) + [missing]))
        return evidence
    }

    /// Fetches `urls` concurrently (blocking; the probe already runs on the blocking pool),
    /// results in the order of `urls`.
    private func fetchAll(_ urls: [String], family: AddressFamily) -> [Result<HTTPResponse, HTTPFailure>] {
        guard urls.count > 1 else { return urls.map { context.http.fetch($0, family: family) } }
        let results = ResultBox(count: urls.count)
        DispatchQueue.concurrentPerform(iterations: urls.count) { i in
            results.set(i, context.http.fetch(urls[i], family: family))
        }
        return results.values
    }

    /// Slots filled from several threads, read once all are done.
    private final class ResultBox: @unchecked Sendable {
        private var slots: [Result<HTTPResponse, HTTPFailure>?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: Result<HTTPResponse, HTTPFailure>) { lock.withLock { slots[i] = value } }
        var values: [Result<HTTPResponse, HTTPFailure>] { lock.withLock { slots.map { $0! } } }
    }

    private func familyFor(_ host: String) -> AddressFamily {
        guard let session = try? context.resolver.session(),
              case .success(let a) = session.lookup(host, .a), !a.values(.a).isEmpty else { return .ipv6 }
        return .ipv4
    }

    private func isHTML(_ r: HTTPResponse) -> Bool {
        (r.header("Content-Type") ?? "text/html").lowercased().contains("html")
    }

    private func root(_ e: Endpoint) -> String {
        let h = e.host.contains(":") ? "[\(e.host)]" : e.host
        return "\(e.scheme ?? "https")://\(h)\(e.port.map { ":\($0)" } ?? "")/"
    }

    private func path(of url: String) -> String {
        guard let u = URLComponents(string: url) else { return url }
        return (u.percentEncodedPath.isEmpty ? "/" : u.percentEncodedPath) + (u.percentEncodedQuery.map { "?\($0)" } ?? "")
    }

    struct Analysis {
        var notable: [NotableLink] = []
        var keywords: [PageKeyword] = []
        var `internal`: [String] = []
    }

    /// One page's references and text, sorted into internal pages to crawl and notable facts.
    func analyse(_ doc: HTMLDocument, pageURL: String, page: String, siteHost: String, redirectKind: String?) -> Analysis {
        var out = Analysis()
        let base = URL(string: doc.baseHref ?? pageURL, relativeTo: URL(string: pageURL)) ?? URL(string: pageURL)
        let pageIsHTTPS = pageURL.hasPrefix("https://")
        var refs = doc.references.map { (ref: $0, redirect: Optional<String>.none) }
        if let target = doc.metaRefresh {
            refs.append((PageReference(element: "meta", attribute: "content", url: target, text: "", title: nil, alt: nil, hiding: nil),
                         redirectKind ?? "meta-refresh"))
        }
        for target in doc.scriptRedirects {
            refs.append((PageReference(element: "script-redirect", attribute: "", url: target, text: "", title: nil, alt: nil, hiding: nil),
                         redirectKind ?? "javascript-redirect"))
        }
        for (ref, redirect) in refs {
            guard let absolute = URL(string: ref.url, relativeTo: base)?.absoluteURL,
                  let scheme = absolute.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = absolute.host?.lowercased() else { continue }
            let url = absolute.absoluteString
            let external = !(host == siteHost || (options.includeSubdomains && HostName.isSubdomain(host, of: siteHost)))
            if !external, redirect == nil, ref.element == "a" || ref.element == "area" || ref.element == "iframe" || ref.element == "frame" {
                var c = URLComponents(url: absolute, resolvingAgainstBaseURL: true)
                c?.fragment = nil
                if let clean = c?.string { out.internal.append(clean) }
            }
            let words = [ref.text, ref.title ?? "", ref.alt ?? "", url.replacingOccurrences(of: "-", with: " ")].joined(separator: " ")
            var keywords: [String] = [], categories: [String] = []
            for (category, list) in options.keywords.sorted(by: { $0.key < $1.key }) {
                let found = VietnameseText.matches(words, keywords: list)
                if !found.isEmpty { keywords += found; categories.append(category) }
            }
            let blocklisted = options.blocklist.contains { host.contains($0.lowercased()) }
            let allowed = options.allowlist.contains { HostName.isSubdomain(host, of: $0.lowercased()) }
            let outsideVN = external && !allowed && !(host == "vn" || host.hasSuffix(".vn"))
            let mixed = pageIsHTTPS && scheme == "http" && ["script", "img", "iframe", "frame", "link", "source", "embed", "object"].contains(ref.element)
            let thirdParty = external && !allowed && ["script", "iframe", "frame"].contains(ref.element)
                && !HostName.isSubdomain(host, of: organisationDomain(siteHost))
            let isNotable = (external && (ref.element == "a" || ref.element == "area")) || ref.hiding != nil || redirect != nil
                || !keywords.isEmpty || blocklisted || mixed || thirdParty || (external && ["iframe", "frame"].contains(ref.element))
            guard isNotable else { continue }
            out.notable.append(NotableLink(page: page, url: url, element: ref.element, text: ref.text, title: ref.title, alt: ref.alt,
                                           hiding: ref.hiding, redirect: external ? redirect : nil, keywords: keywords,
                                           categories: categories, blocklisted: blocklisted, external: external,
                                           outsideVN: outsideVN, mixedContent: mixed, thirdParty: thirdParty))
        }
        let texts = doc.texts
        for (category, list) in options.keywords.sorted(by: { $0.key < $1.key }) {
            for k in VietnameseText.matches(texts.visible + " " + doc.title, keywords: list) {
                out.keywords.append(PageKeyword(page: page, keyword: k, category: category, hidden: false))
            }
            for k in VietnameseText.matches(texts.hidden, keywords: list) {
                out.keywords.append(PageKeyword(page: page, keyword: k, category: category, hidden: true))
            }
        }
        return out
    }

    /// The organisation's domain: the last three labels under a second-level .vn zone
    /// (x.gov.vn, x.com.vn), else the last two.
    func organisationDomain(_ host: String) -> String {
        let labels = host.split(separator: ".")
        let take = labels.count >= 3 && labels.last == "vn" && ["gov", "com", "edu", "org", "net"].contains(labels[labels.count - 2]) ? 3 : 2
        return labels.suffix(take).joined(separator: ".")
    }

    /// Each sampled page as a browser, as Googlebot, and as a browser coming from a Google search.
    private func cloaking(_ endpoint: Endpoint, family: AddressFamily, pages: [String]) -> Evidence {
        struct View: Equatable { var final: String; var status: Int; var outbound: Set<String>; var keywords: Set<String> }
        func view(_ url: String, agent: String, referer: String?) -> View? {
            var client = context.http
            client.userAgent = agent
            guard case .success(let r) = client.fetch(url, family: family, extraHeaders: referer.map { ["Referer: \($0)"] } ?? []) else { return nil }
            let analysis = isHTML(r) ? analyse(HTMLDocument(parsing: r.body), pageURL: r.finalURL, page: path(of: url),
                                               siteHost: endpoint.host, redirectKind: nil) : Analysis()
            let hosts = Set(analysis.notable.filter(\.external).compactMap { URL(string: $0.url)?.host })
            let words = Set(analysis.notable.flatMap(\.keywords) + analysis.keywords.map(\.keyword))
            return View(final: r.finalURL, status: r.status, outbound: hosts, keywords: words)
        }
        var differences: [CloakingCheck.Difference] = []
        for url in pages {
            guard let browser = view(url, agent: Self.browserAgent, referer: nil) else { continue }
            for (visitor, agent, referer) in [("crawler-user-agent", Self.crawlerAgent, nil as String?),
                                              ("search-referer", Self.browserAgent, "https://www.google.com/")] {
                guard let other = view(url, agent: agent, referer: referer) else { continue }
                let p = path(of: url)
                if other.final != browser.final {
                    differences.append(.init(url: p, visitor: visitor, aspect: "redirect", browser: browser.final, other: other.final))
                }
                if other.outbound.subtracting(browser.outbound).count > 0 {
                    differences.append(.init(url: p, visitor: visitor, aspect: "outbound-links",
                                             browser: browser.outbound.sorted().joined(separator: " "),
                                             other: other.outbound.sorted().joined(separator: " ")))
                }
                if other.keywords.subtracting(browser.keywords).count > 0 {
                    differences.append(.init(url: p, visitor: visitor, aspect: "keywords",
                                             browser: browser.keywords.sorted().joined(separator: ", "),
                                             other: other.keywords.sorted().joined(separator: ", ")))
                }
            }
        }
        return Evidence(endpoint: endpoint, facts: CloakingCheck(sampled: pages.map(path(of:)), differences: differences))
    }
}
