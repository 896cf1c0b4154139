import Foundation
import GovAuditCore
import GovAuditHTML
import GovAuditNet

/// The crawler's bounds: options of the scan, never policy (the policy judges what was seen).
public struct LinkHygieneOptions: Sendable {
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
    /// References recorded per page and per site; beyond them they are counted, not kept.
    public var maxLinksPerPage = 1_000
    public var maxLinksPerSite = 20_000
    /// Characters of a page's visible text (and of its hidden text) recorded.
    public var maxTextCharacters = 100_000

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
        var pages: [PageContent] = []
        var linkBudget = options.maxLinksPerSite
        let reader = reader(endpoint)

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
                    let page = sitePath(of: response.finalURL)
                    let read = reader.read(HTMLDocument(parsing: response.body), pageURL: response.finalURL, page: page,
                                           status: response.status, linkBudget: &linkBudget)
                    pages.append(read.content)
                    for next in read.next where depth + 1 <= options.maxDepth && !seen.contains(next) {
                        seen.insert(next)
                        queue.append((next, depth + 1, page))
                    }
                    if depth + 1 > options.maxDepth && !read.next.allSatisfy(seen.contains) { limit = limit ?? "depth" }
                }
            }
        }

        // Outbound links are never crawled; when asked, the first distinct ones are status-checked.
        var checked = Set<String>()
        for page in pages {
            for l in page.links where l.external && (l.element == "a" || l.element == "area") {
                guard checked.count < options.checkOutbound, let url = l.url, checked.insert(url).inserted,
                      let host = URL(string: url)?.host else { continue }
                switch context.http.fetch(url, family: familyFor(host)) {
                case .success(let r) where r.status >= 400:
                    broken.append(.init(page: page.page, url: url, status: r.status, code: nil, external: true))
                case .failure(let f) where !f.isScannerSide:
                    broken.append(.init(page: page.page, url: url, status: nil, code: f.code, external: true))
                default: break
                }
            }
        }

        // A missing page: some injected spam answers 404 and then redirects.
        // A fixed path, so the same finding keeps the same key from scan to scan.
        let missing = root(endpoint) + "govaudit-kiem-tra-404"
        var missingPage: PageContent?
        var missingFailure: FailureReason?
        switch context.http.fetch(missing, family: family) {
        case .success(let r) where isHTML(r):
            var budget = options.maxLinksPerPage
            missingPage = reader.read(HTMLDocument(parsing: r.body), pageURL: r.finalURL, page: sitePath(of: missing),
                                      status: r.status, linkBudget: &budget).content
        case .success: break
        case .failure(let f): missingFailure = FailureReason(code: f.code, detail: f.description)
        }

        let sampled = pages.prefix(options.cloakingSample + 1).map(\.url) + [missing]
        return [
            Evidence(endpoint: endpoint, facts: LinkCrawl(start: endpoint.description, pagesFetched: fetched, depthReached: depthReached,
                                                          limitReached: limit, failures: failures, broken: broken)),
            Evidence(endpoint: endpoint, facts: LinkPages(pages: pages, missingPage: missingPage, missingPageFailure: missingFailure)),
            Evidence(endpoint: endpoint, facts: cloaking(sampled, family: family, reader: reader)),
        ]
    }

    func reader(_ endpoint: Endpoint) -> PageReader {
        PageReader(siteHost: endpoint.host, includeSubdomains: options.includeSubdomains,
                   maxTextCharacters: options.maxTextCharacters, maxLinksPerPage: options.maxLinksPerPage)
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

    func familyFor(_ host: String) -> AddressFamily {
        guard let session = try? context.resolver.session(),
              case .success(let a) = session.lookup(host, .a), !a.values(.a).isEmpty else { return .ipv6 }
        return .ipv4
    }

    func isHTML(_ r: HTTPResponse) -> Bool {
        (r.header("Content-Type") ?? "text/html").lowercased().contains("html")
    }

    private func root(_ e: Endpoint) -> String {
        let h = e.host.contains(":") ? "[\(e.host)]" : e.host
        return "\(e.scheme ?? "https")://\(h)\(e.port.map { ":\($0)" } ?? "")/"
    }
}
