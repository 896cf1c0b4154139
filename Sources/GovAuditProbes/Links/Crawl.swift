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
        var queue: [(url: String, depth: Int, from: String?)]
        var seen: Set<String>
        var fetched = 0, depthReached = 0
        var limit: String?
        var failures: [LinkCrawl.PageFailure] = []
        var broken: [LinkCrawl.BrokenLink] = []
        var pages: [PageContent] = []
        var linkBudget: Int
        var budgetCut: [String] = []
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
        while !s.queue.isEmpty {
            if s.fetched >= options.maxPages { s.limit = "pages"; break }
            if deadline.hasPassed { break }
            // Up to `concurrencyPerHost` pages at a time; results are then handled in queue order,
            // so the crawl's facts do not depend on which answer came first.
            let batch = Array(s.queue.prefix(min(options.concurrencyPerHost, options.maxPages - s.fetched)))
            s.queue.removeFirst(batch.count)
            let client = http
            let responses = Concurrently.map(batch.map(\.url)) { client.fetch($0, family: family) }
            for ((url, depth, from), result) in zip(batch, responses) {
                switch result {
                case .failure(let f):
                    guard from != nil else { return startOutcome(f, start) }
                    if case .budgetExhausted = f { unfetched += 1; continue }
                    s.failures.append(.init(url: url, code: f.code, detail: f.description))
                    if let from, case .dns = f { s.broken.append(.init(page: from, url: url, status: nil, code: f.code)) }
                case .success(let response):
                    if response.status >= 400 {
                        if let from { s.broken.append(.init(page: from, url: url, status: response.status, code: nil)) }
                        continue
                    }
                    s.fetched += 1
                    s.depthReached = max(s.depthReached, depth)
                    guard probe.isHTML(response) else { continue }
                    let page = sitePath(of: response.finalURL)
                    let read = s.reader.read(HTMLDocument(parsing: response.body), pageURL: response.finalURL, page: page,
                                             status: response.status, linkBudget: &s.linkBudget, deadline: deadline)
                    if read.cutShort { s.budgetCut.append("links of \(page): analysis stopped after \(read.content.links.count)") }
                    s.pages.append(read.content)
                    for next in read.next where depth + 1 <= options.maxDepth && !s.seen.contains(next) {
                        s.seen.insert(next)
                        s.queue.append((next, depth + 1, page))
                    }
                    if depth + 1 > options.maxDepth && !read.next.allSatisfy(s.seen.contains) { s.limit = s.limit ?? "depth" }
                }
            }
        }
        if deadline.hasPassed && (unfetched > 0 || !s.queue.isEmpty) {
            s.limit = "time"
            s.budgetCut.append("pages: \(unfetched + s.queue.count) found, not fetched")
        }
        return nil
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

    /// Outbound links are never crawled; when asked, the first distinct ones are status-checked.
    func checkOutbound(_ s: inout State) {
        var checked = Set<String>()
        var cut = 0
        for page in s.pages {
            for l in page.links where l.external && (l.element == "a" || l.element == "area") {
                guard checked.count < options.checkOutbound, let url = l.url, checked.insert(url).inserted,
                      let host = URL(string: url)?.host else { continue }
                guard !deadline.hasPassed else { cut += 1; continue }
                switch http.fetch(url, family: probe.familyFor(host)) {
                case .success(let r) where r.status >= 400:
                    s.broken.append(.init(page: page.page, url: url, status: r.status, code: nil, external: true))
                case .failure(.budgetExhausted): cut += 1
                case .failure(let f) where !f.isScannerSide:
                    s.broken.append(.init(page: page.page, url: url, status: nil, code: f.code, external: true))
                default: break
                }
            }
        }
        if cut > 0 { s.budgetCut.append("outbound checks: \(cut) of \(checked.count) not done") }
    }

    /// A missing page: some injected spam answers 404 and then redirects. A fixed path, so the
    /// same finding keeps the same key from scan to scan.
    func missingPage(_ start: Endpoint, family: AddressFamily, _ s: inout State) -> (url: String, page: PageContent?, failure: FailureReason?) {
        let h = start.host.contains(":") ? "[\(start.host)]" : start.host
        let url = "\(start.scheme ?? "https")://\(h)\(start.port.map { ":\($0)" } ?? "")/govaudit-kiem-tra-404"
        switch http.fetch(url, family: family) {
        case .success(let r) where probe.isHTML(r):
            var budget = options.maxLinksPerPage
            let read = s.reader.read(HTMLDocument(parsing: r.body), pageURL: r.finalURL, page: sitePath(of: url),
                                     status: r.status, linkBudget: &budget, deadline: deadline)
            if read.cutShort { s.budgetCut.append("links of the missing page: analysis stopped after \(read.content.links.count)") }
            return (url, read.content, nil)
        case .success: return (url, nil, nil)
        case .failure(let f):
            if case .budgetExhausted = f { s.budgetCut.append("the missing page: not fetched") }
            return (url, nil, FailureReason(code: f.code, detail: f.description))
        }
    }
}
