import Foundation
import GovAuditCore
import GovAuditHTML
import GovAuditNet

/// The steps of one crawl, each under the crawl's deadline: the same-site pages, the outbound
/// checks, the missing page, the cloaking views. Whatever the deadline cut is named in
/// `State.budgetCut`, never left out silently.
struct Crawl {
    /// The probe with its context bound to the deadline.
    var probe: LinkHygieneProbe
    var deadline: Deadline
    var options: LinkHygieneOptions { probe.options }
    var http: HTTPClient { probe.context.http }

    struct State {
        /// `from`: the page that links it, or the sitemap that lists it; nil for the start page.
        var queue: [(url: String, depth: Int, from: String?)]
        var seen: Set<String>
        var fetched = 0, depthReached = 0
        var limit: String?
        var failures: [LinkCrawl.PageFailure] = []
        var broken: [LinkCrawl.BrokenLink] = []
        var pages: [PageContent] = []
        var linkBudget: Int
        var budgetCut: [String] = []
        var offsite: [LinkCrawl.OffsiteRedirect] = []
        var sitemaps: [LinkCrawl.SitemapRead] = []
        /// URLs queued from a sitemap (not yet from a link), and the pages fetched from them by index.
        var fromSitemap: Set<String> = []
        var sitemapPages: [Int: String] = [:]
        /// Every same-site URL some crawled page links to: a sitemap page not in it is sitemap-only.
        var linked: Set<String> = []
        var checks = CheckTally()
        /// The responses kept for the evidence bundles: pages, off-site redirects, the missing
        /// page, the cloaking views.
        var captures: [RawCapture] = []
        let reader: PageReader

        init(start: Endpoint, linkBudget: Int, reader: PageReader) {
            queue = [(start.description, 0, nil)]
            seen = [start.description]
            self.linkBudget = linkBudget
            self.reader = reader
        }
    }

    /// The same-site pages, breadth first. Returns the start page's outcome when it could not be
    /// read (the crawl then has nothing to show), nil once it was.
    func pages(_ s: inout State, start: Endpoint, family: AddressFamily) -> Outcome? {
        if deadline.hasPassed { return .failed(.budgetExhausted("\(deadline) ran out before the start page was fetched")) }
        var unfetched = 0
        var sitemapsRead = false
        while !s.queue.isEmpty {
            if s.fetched >= options.maxPages { s.limit = "pages"; break }
            if deadline.hasPassed { break }
            // Up to `concurrencyPerHost` pages at a time; results are then handled in queue order,
            // so the crawl's facts do not depend on which answer came first.
            let batch = Array(s.queue.prefix(min(options.concurrencyPerHost, options.maxPages - s.fetched)))
            s.queue.removeFirst(batch.count)
            let client = http, reader = s.reader
            let responses = Concurrently.map(batch.map(\.url)) { client.fetch($0, family: family, follow: reader.isSite(url:)) }
            for ((url, depth, from), result) in zip(batch, responses) {
                switch result {
                case .failure(let f):
                    guard from != nil else { return startOutcome(f, start) }
                    if case .budgetExhausted = f { unfetched += 1; continue }
                    s.failures.append(.init(url: url, code: f.code, detail: f.description))
                    if let from, case .dns = f { s.broken.append(.init(page: from, url: url, status: nil, code: f.code)) }
                case .success(let response):
                    if let target = offsiteTarget(response, s.reader) {
                        s.offsite.append(.init(page: sitePath(of: url), from: from, status: response.status, target: target))
                        s.captures.append(capture(response, page: sitePath(of: url), visitor: RawCapture.crawlVisitor))
                        continue
                    }
                    if response.status >= 400 {
                        if let from { s.broken.append(.init(page: from, url: url, status: response.status, code: nil)) }
                        continue
                    }
                    s.fetched += 1
                    s.depthReached = max(s.depthReached, depth)
                    guard probe.isHTML(response) else { continue }
                    let page = sitePath(of: response.finalURL)
                    let read = s.reader.read(response, page: page, linkBudget: &s.linkBudget, deadline: deadline,
                                             template: from == nil)
                    if read.cutShort { s.budgetCut.append("links of \(page): analysis stopped after \(read.content.links.count)") }
                    if s.fromSitemap.contains(url) { s.sitemapPages[s.pages.count] = url }
                    s.pages.append(read.content)
                    s.captures.append(capture(response, page: page, visitor: RawCapture.crawlVisitor))
                    s.linked.formUnion(read.next)
                    for next in read.next where depth + 1 <= options.maxDepth && !s.seen.contains(next) {
                        s.seen.insert(next)
                        s.queue.append((next, depth + 1, page))
                    }
                    if depth + 1 > options.maxDepth && !read.next.allSatisfy(s.seen.contains) { s.limit = s.limit ?? "depth" }
                }
            }
            // After the start page, the sitemaps' pages join the queue behind its links.
            if !sitemapsRead {
                sitemapsRead = true
                seedFromSitemaps(&s, start: start, family: family)
            }
        }
        for (index, url) in s.sitemapPages where !s.linked.contains(url) && !s.linked.contains(s.pages[index].url) {
            s.pages[index].sitemapOnly = true
        }
        if deadline.hasPassed && (unfetched > 0 || !s.queue.isEmpty) {
            s.limit = "time"
            s.budgetCut.append("pages: \(unfetched + s.queue.count) found, not fetched")
        }
        return nil
    }

    /// Where a response's redirect leaves the site, when the client stopped there for that reason.
    func offsiteTarget(_ r: HTTPResponse, _ reader: PageReader) -> String? {
        guard (300...399).contains(r.status), let target = r.hops.last?.location,
              let absolute = URL(string: target, relativeTo: URL(string: r.finalURL))?.absoluteString,
              !reader.isSite(url: absolute) else { return nil }
        return absolute
    }

    /// Why the start page gives no crawl. Causes another check owns (the name does not resolve,
    /// an https port without working TLS) are could-not-test here: their own rule says it once.
    func startOutcome(_ f: HTTPFailure, _ start: Endpoint) -> Outcome {
        if f.isScannerSide { return .couldNotTest(f.description) }
        switch f {
        case .budgetExhausted(let what): return .failed(.budgetExhausted(what))
        case .dns: return .couldNotTest("the name does not resolve: \(f.description)")
        case .refused, .timeout, .tls:
            if start.scheme == "https" { return .couldNotTest("HTTPS unavailable (\(f.description)); the tls rules report it") }
            return .failed(FailureReason(code: f.code, detail: f.description))
        default: return .failed(FailureReason(code: f.code, detail: f.description))
        }
    }

    /// A missing page: some injected spam answers 404 and then redirects. A fixed path, so the
    /// same finding keeps the same key from scan to scan.
    func missingPage(_ start: Endpoint, family: AddressFamily, _ s: inout State) -> (url: String, page: PageContent?, failure: FailureReason?) {
        let h = start.host.contains(":") ? "[\(start.host)]" : start.host
        let url = "\(start.scheme ?? "https")://\(h)\(start.port.map { ":\($0)" } ?? "")/govaudit-kiem-tra-404"
        switch http.fetch(url, family: family, follow: s.reader.isSite(url:)) {
        case .success(let r) where offsiteTarget(r, s.reader) != nil:
            s.offsite.append(.init(page: sitePath(of: url), from: nil, status: r.status, target: offsiteTarget(r, s.reader)!))
            s.captures.append(capture(r, page: sitePath(of: url), visitor: RawCapture.crawlVisitor))
            return (url, nil, nil)
        case .success(let r) where probe.isHTML(r):
            var budget = options.maxLinksPerPage
            let read = s.reader.read(r, page: sitePath(of: url), linkBudget: &budget, deadline: deadline)
            if read.cutShort { s.budgetCut.append("links of the missing page: analysis stopped after \(read.content.links.count)") }
            s.captures.append(capture(r, page: sitePath(of: url), visitor: RawCapture.crawlVisitor))
            return (url, read.content, nil)
        case .success: return (url, nil, nil)
        case .failure(let f):
            if case .budgetExhausted = f { s.budgetCut.append("the missing page: not fetched") }
            return (url, nil, FailureReason(code: f.code, detail: f.description))
        }
    }
}
