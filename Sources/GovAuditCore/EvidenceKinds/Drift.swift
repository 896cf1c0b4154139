import Foundation

// Drift between scans (issue 14, item 6): what a site looked like, and what it was compared with.
// Derived from the crawl's evidence, judged by nothing: which change is a finding is the rules'.

/// What drift is judged on for one web endpoint: the third-party hosts that serve its scripts
/// and frames, the domains it links out to, and its home page's fingerprint. From the pages one
/// crawl read (`LinkPages`), sorted, so two scans compare as sets.
public struct SiteSnapshot: Sendable, Codable, Equatable {
    public var scriptHosts: [String]
    public var frameHosts: [String]
    /// The domains of outbound links and of the redirects the pages make by themselves: their
    /// registrable domains (eTLD+1, Public Suffix List) since scans use the list, their host
    /// names without `www.` before (`DomainGrouping`).
    public var outboundDomains: [String]
    /// The start page's fingerprint; nil when the crawl read no HTML page.
    public var home: HomeFingerprint?

    public init(scriptHosts: [String], frameHosts: [String], outboundDomains: [String], home: HomeFingerprint?) {
        self.scriptHosts = scriptHosts
        self.frameHosts = frameHosts
        self.outboundDomains = outboundDomains
        self.home = home
    }

    /// The snapshot of what one crawl saw (its first page is the start page), outbound hosts
    /// grouped into domains by `grouping`.
    public init(_ crawl: LinkPages, grouping: DomainGrouping = .hostNames) {
        var scripts = Set<String>(), frames = Set<String>(), outbound = Set<String>()
        for page in crawl.pages {
            for link in page.links where link.external {
                guard let host = link.url.flatMap(URL.init(string:))?.host?.lowercased() else { continue }
                switch link.element {
                case "script": scripts.insert(host)
                case "iframe", "frame": frames.insert(host)
                case "a", "area": outbound.insert(grouping.domain(host))
                default: if link.redirect != nil { outbound.insert(grouping.domain(host)) }
                }
            }
        }
        self.init(scriptHosts: scripts.sorted(), frameHosts: frames.sorted(), outboundDomains: outbound.sorted(),
                  home: crawl.pages.first.map(HomeFingerprint.init))
    }

    /// The same snapshot with its outbound domains grouped by `grouping` (a baseline stored
    /// before the Public Suffix List was used, compared with a scan that uses it).
    public func regrouped(_ grouping: DomainGrouping) -> SiteSnapshot {
        var s = self
        s.outboundDomains = Set(outboundDomains.map(grouping.domain)).sorted()
        return s
    }
}

/// A home page as drift compares it: its structure (title, template blocks, scripts and frames)
/// and a sketch of its visible text.
public struct HomeFingerprint: Sendable, Codable, Equatable {
    public var page: String
    public var title: String
    /// Template blocks (`PageContent.template`); nil when the crawl did not record them (older builds).
    public var template: [String]?
    /// Every script and frame the page loads, query and fragment left out (cache-busting
    /// `?v=123` is not a change).
    public var scripts: [String]
    public var frames: [String]
    public var text: TextSketch

    public init(page: String, title: String, template: [String]?, scripts: [String], frames: [String], text: TextSketch) {
        self.page = page
        self.title = title
        self.template = template
        self.scripts = scripts
        self.frames = frames
        self.text = text
    }

    public init(_ p: PageContent) {
        func urls(_ elements: Set<String>) -> [String] {
            Set(p.links.filter { elements.contains($0.element) }.compactMap { $0.url.map(Self.withoutQuery) }).sorted()
        }
        self.init(page: p.page, title: p.title, template: p.template, scripts: urls(["script"]), frames: urls(["iframe", "frame"]),
                  text: TextSketch(text: p.visibleText))
    }

    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    /// The structure as one set: title, template blocks, scripts and frames, each marked by kind.
    public var structure: Set<String> {
        Set(["title:" + title] + (template ?? []).map { "block:" + $0 } + scripts.map { "script:" + $0 } + frames.map { "frame:" + $0 })
    }

    /// How much of the structure the two pages share (Jaccard of `structure`), 0–1; nil when
    /// either lacks its template blocks (the structure cannot be compared).
    public func structureSimilarity(to other: HomeFingerprint) -> Double? {
        guard template != nil, other.template != nil else { return nil }
        let a = structure, b = other.structure
        return Double(a.intersection(b).count) / Double(max(1, a.union(b).count))
    }
}

/// A system's endpoint now, and the state it is compared with: the baseline a person accepted
/// (`govaudit baseline accept`), else the previous complete scan of the series. Written by the
/// scan from the crawl's evidence and the history; nil `baseline` on the first scan.
public struct LinkDrift: EvidenceFacts {
    public static let kind = "links.drift"
    public static let version = 1

    public struct Baseline: Sendable, Codable, Equatable {
        /// accepted or previous-scan.
        public var source: String
        /// The scan the state was taken from.
        public var scan: String
        /// When it was accepted, or when that scan started (ISO 8601 UTC).
        public var at: String
        public var acceptedBy: String?
        public var snapshot: SiteSnapshot

        public init(source: String, scan: String, at: String, acceptedBy: String? = nil, snapshot: SiteSnapshot) {
            self.source = source
            self.scan = scan
            self.at = at
            self.acceptedBy = acceptedBy
            self.snapshot = snapshot
        }

        public static let accepted = "accepted"
        public static let previousScan = "previous-scan"
    }

    public var current: SiteSnapshot
    public var baseline: Baseline?

    public init(current: SiteSnapshot, baseline: Baseline?) {
        self.current = current
        self.baseline = baseline
    }
}

extension EvidenceCatalog {
    /// Drift between scans, written by the scan beside the crawl's evidence.
    public static let drift = EvidenceCatalog([LinkDrift.self])
}
