import Foundation
import GovAuditCore
import GovAuditNet

extension Crawl {
    /// Seeds beyond the home page: robots.txt's `Sitemap:` lines and /sitemap.xml, sitemap
    /// indexes followed breadth first, at most `maxSitemaps` fetches and `maxSitemapLocations`
    /// entries. The site's own URLs not seen yet join the queue (depth 1, from the sitemap);
    /// every fetch stays on the site and under the crawl's deadline.
    func seedFromSitemaps(_ s: inout State, start: Endpoint, family: AddressFamily) {
        guard options.maxSitemaps > 0 else { return }
        let origin = Self.origin(start)
        var pending: [(url: String, via: String)] = []
        if case .success(let r) = http.fetch(origin + "/robots.txt", family: family, follow: s.reader.isSite(url:)), r.status == 200,
           offsiteTarget(r, s.reader) == nil {
            pending = SitemapParsing.robotsSitemaps(String(decoding: r.body, as: UTF8.self), max: options.maxSitemaps)
                .filter(s.reader.isSite(url:)).map { ($0, "robots.txt") }
        }
        if !pending.contains(where: { $0.url == origin + "/sitemap.xml" }) { pending.append((origin + "/sitemap.xml", "default")) }
        var fetched = Set<String>()
        var taken = 0
        while !pending.isEmpty, fetched.count < options.maxSitemaps {
            let (url, via) = pending.removeFirst()
            guard fetched.insert(url).inserted else { continue }
            guard !deadline.hasPassed else { s.budgetCut.append("sitemaps: \(pending.count + 1) not fetched"); break }
            switch http.fetch(url, family: family, follow: s.reader.isSite(url:)) {
            case .failure(let f):
                s.sitemaps.append(.init(url: url, via: via, status: nil, failure: f.code, format: nil, locations: 0, locationsDropped: 0))
            case .success(let r):
                // A missing /sitemap.xml is the common case, not a fact worth keeping.
                guard r.status < 400 || via != "default" else { continue }
                let map = r.status == 200 ? SitemapParsing.parse(r.body, maxLocations: options.maxSitemapLocations - taken)
                                          : .init(format: nil, locations: [], dropped: 0)
                taken += map.locations.count
                s.sitemaps.append(.init(url: url, via: via, status: r.status, failure: nil, format: map.format,
                                        locations: map.locations.count, locationsDropped: map.dropped))
                let local = map.locations.compactMap { Self.clean($0) }.filter(s.reader.isSite(url:))
                if map.format == "sitemapindex" {
                    pending += local.map { ($0, "index") }
                } else {
                    for page in local where !s.seen.contains(page) {
                        s.seen.insert(page)
                        s.fromSitemap.insert(page)
                        s.queue.append((page, 1, sitePath(of: url)))
                    }
                }
            }
        }
    }

    static func origin(_ e: Endpoint) -> String {
        let h = e.host.contains(":") ? "[\(e.host)]" : e.host
        return "\(e.scheme ?? "https")://\(h)\(e.port.map { ":\($0)" } ?? "")"
    }

    /// A sitemap entry as the queue keeps URLs: absolute, fragment removed.
    static func clean(_ url: String) -> String? {
        guard var c = URLComponents(string: url), c.scheme != nil, c.host != nil else { return nil }
        c.fragment = nil
        return c.string
    }
}
