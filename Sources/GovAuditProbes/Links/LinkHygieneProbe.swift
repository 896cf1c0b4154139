import Foundation
import GovAuditCore
import GovAuditHTML
import GovAuditNet

/// The crawler's bounds: options of the scan, never policy (the policy judges what was seen).
public struct LinkHygieneOptions: Sendable {
    public var maxPages = 100
    public var maxDepth = 5
    /// Everything the crawl does for one endpoint: pages, link analysis, outbound checks, the
    /// missing page and the cloaking views (`--crawl-seconds`).
    public var timeBudgetSeconds = 60.0
    /// Crawl the host's subdomains too.
    public var includeSubdomains = false
    /// Pages besides the home page sampled for cloaking.
    public var cloakingSample = 5
    /// Outbound links per site whose status is checked (never crawled); 0 = none. Each distinct
    /// URL is checked once per scan (`LinkCheckCache`).
    public var checkOutbound = 50
    /// The site's own sub-resources (images, scripts, style sheets…) whose status is checked.
    public var maxResourceChecks = 200
    /// Sitemaps fetched (robots.txt's, /sitemap.xml, those an index lists), and entries read from them.
    public var maxSitemaps = 10
    public var maxSitemapLocations = 1_000
    /// Pages of one site fetched at the same time.
    public var concurrencyPerHost = 2
    /// References recorded per page and per site; beyond them they are counted, not kept.
    public var maxLinksPerPage = 1_000
    public var maxLinksPerSite = 20_000
    /// Characters of a page's visible text (and of its hidden text) recorded.
    public var maxTextCharacters = 100_000
    /// Bytes of each response's body kept for the evidence bundles (`RawCapture`); the scan
    /// stores only the responses a spam, hidden-link, cloaking or defacement finding cites.
    public var maxCaptureBytes = 131_072

    public init() {}
}

/// The crawler: a bounded, same-site crawl of one web endpoint through the one HTTP client,
/// gumbo for the HTML, then a cloaking comparison. Collects facts; the links rules judge. Every
/// step, the analysis of each page included, runs under the crawl's deadline; what it cut is
/// listed in `LinkCrawl.budgetCut`.
public struct LinkHygieneProbe: Sendable {
    public var context: ProbeContext
    public var options: LinkHygieneOptions
    /// The scan's shared outbound-check cache; nil checks every outbound link of this crawl itself.
    public var cache: LinkCheckCache?

    public init(context: ProbeContext, options: LinkHygieneOptions, cache: LinkCheckCache? = nil) {
        self.context = context
        self.options = options
        self.cache = cache
    }

    public var name: String { "the crawl" }
    public var budget: Duration { .milliseconds(Int(options.timeBudgetSeconds * 1000)) }

    public func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] {
        guard endpoint.scheme != nil else { return [Evidence(LinkCrawl.self, endpoint: endpoint, outcome: .notApplicable)] }
        return startFailed(endpoint, .failed(reason))
    }

    /// Blocking: run it on the blocking pool.
    public func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        guard endpoint.scheme != nil else { return [Evidence(LinkCrawl.self, endpoint: endpoint, outcome: .notApplicable)] }
        let crawl = Crawl(probe: withContext(context.within(deadline)), deadline: deadline)
        let family: AddressFamily
        switch crawl.probe.family(of: endpoint.host) {
        case .family(let f): family = f
        case .none(let outcome): return startFailed(endpoint, outcome)
        }
        var state = Crawl.State(start: endpoint, linkBudget: options.maxLinksPerSite, reader: reader(endpoint))
        if let failure = crawl.pages(&state, start: endpoint, family: family) {
            return startFailed(endpoint, failure)
        }
        crawl.checkReferences(&state, family: family)
        let missing = crawl.missingPage(endpoint, family: family, &state)
        let sampled = state.pages.prefix(options.cloakingSample + 1).map(\.url) + [missing.url]
        let cloaking = crawl.cloaking(sampled, family: family, &state)
        return [
            Evidence(endpoint: endpoint, facts: LinkCrawl(
                start: endpoint.description, pagesFetched: state.fetched, depthReached: state.depthReached,
                limitReached: state.limit, failures: state.failures, broken: state.broken,
                budgetCut: state.budgetCut.isEmpty ? nil : state.budgetCut, offsiteRedirects: state.offsite, sitemaps: state.sitemaps,
                resourcesChecked: state.checks.resourcesChecked, resourcesUnchecked: state.checks.resourcesUnchecked,
                outboundChecked: state.checks.outboundChecked, outboundUnchecked: state.checks.outboundUnchecked)),
            Evidence(endpoint: endpoint, facts: LinkPages(pages: state.pages, missingPage: missing.page, missingPageFailure: missing.failure)),
            Evidence(endpoint: endpoint, facts: cloaking),
            Evidence(endpoint: endpoint, facts: LinkCaptures(captures: state.captures)),
        ]
    }

    private func withContext(_ c: ProbeContext) -> LinkHygieneProbe {
        var p = self
        p.context = c
        return p
    }

    /// The start page could not be read: every kind of the crawl says so, with the same outcome
    /// (links.crawl-failed may turn it into a finding; the other rules are unknown for that reason).
    private func startFailed(_ endpoint: Endpoint, _ outcome: Outcome) -> [Evidence] {
        [Evidence(LinkCrawl.self, endpoint: endpoint, outcome: outcome), Evidence(LinkPages.self, endpoint: endpoint, outcome: outcome),
         Evidence(CloakingCheck.self, endpoint: endpoint, outcome: outcome)]
    }

    /// The family to crawl over: IPv4 when the name has an A record, else IPv6 when it has an
    /// AAAA. A name with neither is the dns rules' finding; here it only means the crawl could
    /// not test (one root cause, one finding).
    enum Route { case family(AddressFamily), none(Outcome) }

    func family(of host: String) -> Route {
        if CIDR.parse(host) != nil { return .family(host.contains(":") ? .ipv6 : .ipv4) }
        let session: Resolver.Session
        do { session = try context.resolver.session() } catch {
            return .none(.couldNotTest("resolver: \(error.description)"))
        }
        var problems: [String] = []
        for (family, type) in [(AddressFamily.ipv4, DNSType.a), (.ipv6, .aaaa)] {
            switch session.lookup(host, type) {
            case .success(let answer):
                if !answer.values(type).isEmpty { return .family(family) }
                problems.append("\("\(type)".uppercased()): none (rcode \(answer.rcode))")
            case .failure(.budgetExhausted(let d)):
                return .none(.failed(.budgetExhausted("\(d) ran out while \(host) was resolved")))
            case .failure(let f):
                problems.append("\("\(type)".uppercased()): \(f.description)")
            }
        }
        return .none(.couldNotTest("the name does not resolve: " + problems.joined(separator: "; ")))
    }

    func reader(_ endpoint: Endpoint) -> PageReader {
        PageReader(siteHost: endpoint.host, includeSubdomains: options.includeSubdomains,
                   maxTextCharacters: options.maxTextCharacters, maxLinksPerPage: options.maxLinksPerPage)
    }

    func isHTML(_ r: HTTPResponse) -> Bool {
        (r.header("Content-Type") ?? "text/html").lowercased().contains("html")
    }

    /// The family of an outbound link's host (IPv6 when it has no A record).
    func familyFor(_ host: String) -> AddressFamily {
        guard case .family(let f) = family(of: host) else { return .ipv6 }
        return f
    }
}

extension LinkHygieneProbe: Probe {}
