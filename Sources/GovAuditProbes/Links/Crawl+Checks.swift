import Foundation
import GovAuditCore
import GovAuditNet

/// How many references the checks covered, for `LinkCrawl`.
struct CheckTally {
    var resourcesChecked = 0, resourcesUnchecked = 0, outboundChecked = 0, outboundUnchecked = 0
}

extension Crawl {
    /// Elements whose target the page loads (frames are crawled as pages instead).
    static let subresourceElements: Set<String> = ["img", "script", "source", "embed", "object"]

    static func isSubresource(_ l: PageLink) -> Bool {
        if l.element == "link" { return l.relLoadsTarget }
        return subresourceElements.contains(l.element)
    }

    /// Status-checks the site's own sub-resources (at most `maxResourceChecks` distinct URLs)
    /// and its outbound links (at most `checkOutbound`, through the scan's shared cache), HEAD
    /// then GET. Broken ones go to `State.broken` with the first page that uses them.
    func checkReferences(_ s: inout State, family: AddressFamily) {
        var resources: [(url: String, page: String, element: String)] = [], outbound: [(url: String, page: String)] = []
        var seenResources = Set<String>(), seenOutbound = Set<String>()
        for page in s.pages {
            for l in page.links where l.redirect == nil {
                guard let url = l.url, let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else { continue }
                if !l.external, Self.isSubresource(l), seenResources.insert(url).inserted {
                    if resources.count < options.maxResourceChecks { resources.append((url, page.page, l.element)) } else { s.checks.resourcesUnchecked += 1 }
                } else if l.external, l.element == "a" || l.element == "area", seenOutbound.insert(url).inserted {
                    if outbound.count < options.checkOutbound { outbound.append((url, page.page)) } else { s.checks.outboundUnchecked += 1 }
                }
            }
        }
        let results = batches(resources.map(\.url)) { self.check($0, family: family) }
        for (r, result) in zip(resources, results) {
            guard let result else { s.checks.resourcesUnchecked += 1; continue }
            s.checks.resourcesChecked += 1
            if Self.isBroken(result) { s.broken.append(.init(page: r.page, url: r.url, status: result.status, code: result.code, element: r.element)) }
        }
        let cache = probe.cache
        let outResults = batches(outbound.map(\.url)) { url -> LinkCheckCache.Result? in
            guard let host = URL(string: url)?.host else { return nil }
            let run = { self.check(url, family: self.probe.familyFor(host)) ?? LinkCheckCache.Result(status: nil, code: FailureReason.budgetExhaustedCode) }
            // nil: another site's check of this URL outlived our deadline.
            let r: LinkCheckCache.Result? = if let cache { cache.result(for: url, until: self.deadline, keep: { $0.code != FailureReason.budgetExhaustedCode }, run) }
                else { run() }
            return r.flatMap { $0.code == FailureReason.budgetExhaustedCode ? nil : $0 }
        }
        for (o, result) in zip(outbound, outResults) {
            guard let result else { s.checks.outboundUnchecked += 1; continue }
            s.checks.outboundChecked += 1
            if Self.isBroken(result) { s.broken.append(.init(page: o.page, url: o.url, status: result.status, code: result.code, external: true)) }
        }
        if s.checks.resourcesUnchecked + s.checks.outboundUnchecked > 0, deadline.hasPassed {
            s.budgetCut.append("checks: \(s.checks.resourcesUnchecked) sub-resources and \(s.checks.outboundUnchecked) outbound links not checked")
        }
    }

    /// Up to `concurrencyPerHost` checks at a time, results in input order.
    private func batches<R: Sendable>(_ urls: [String], _ body: @escaping @Sendable (String) -> R) -> [R] {
        var out: [R] = []
        var rest = urls[...]
        while !rest.isEmpty {
            let batch = Array(rest.prefix(max(1, options.concurrencyPerHost)))
            rest = rest.dropFirst(batch.count)
            out += Concurrently.map(batch, body)
        }
        return out
    }

    /// A status or failure code whose reference a visitor cannot load. Failures on the
    /// scanner's side (no route, a refused address) say nothing about the target.
    static func isBroken(_ r: LinkCheckCache.Result) -> Bool {
        if let status = r.status { return status >= 400 }
        return r.code != nil
    }

    /// HEAD, then GET when HEAD fails or is refused (servers that mishandle HEAD); nil when the
    /// deadline cut it. A body over the size cap still proves the target is there.
    func check(_ url: String, family: AddressFamily) -> LinkCheckCache.Result? {
        if deadline.hasPassed { return nil }
        if case .success(let r) = http.fetch(url, family: family, method: .head), r.status < 400 {
            return .init(status: r.status, code: nil)
        }
        switch http.fetch(url, family: family) {
        case .success(let r): return .init(status: r.status, code: nil)
        case .failure(.budgetExhausted): return nil
        case .failure(.tooLarge): return .init(status: 200, code: nil)
        case .failure(let f) where f.isScannerSide: return .init(status: nil, code: nil)
        case .failure(let f): return .init(status: nil, code: f.code)
        }
    }
}
