// Evidence of the link-hygiene crawler (Sources/GovAuditProbes/Links), read by the links rules.
// Texts in here come from scanned sites: untrusted, escaped by every renderer.

/// The crawl itself: how far it went, what could not be fetched, which internal links are broken.
public struct LinkCrawl: EvidenceFacts {
    public static let kind = "links.crawl"
    public static let version = 1

    public struct PageFailure: Sendable, Codable, Equatable {
        public var url: String
        /// timeout, too-slow, too-large, redirect-loop, refused, dns, tls…
        public var code: String
        public var detail: String
        public init(url: String, code: String, detail: String) { self.url = url; self.code = code; self.detail = detail }
    }

    public struct BrokenLink: Sendable, Codable, Equatable {
        public var page: String
        public var url: String
        /// The HTTP status, or nil when no response came (then `code` says why).
        public var status: Int?
        public var code: String?
        /// An outbound link (checked only when asked, `--check-outbound`), not a page of the site.
        public var external: Bool
        public init(page: String, url: String, status: Int?, code: String?, external: Bool = false) {
            self.page = page; self.url = url; self.status = status; self.code = code; self.external = external
        }
    }

    public var start: String
    public var pagesFetched: Int
    /// Clicks from the start page to the deepest page fetched.
    public var depthReached: Int
    /// The bound that stopped the crawl (pages, depth, time), if one did.
    public var limitReached: String?
    public var failures: [PageFailure]
    public var broken: [BrokenLink]

    public init(start: String, pagesFetched: Int, depthReached: Int, limitReached: String?, failures: [PageFailure], broken: [BrokenLink]) {
        self.start = start
        self.pagesFetched = pagesFetched
        self.depthReached = depthReached
        self.limitReached = limitReached
        self.failures = failures
        self.broken = broken
    }
}

/// A reference worth a look: pointing off the site, hidden, redirecting, matching a keyword, or
/// loading insecure or third-party content. Internal, visible, ordinary links are only counted.
public struct NotableLink: Sendable, Codable, Equatable {
    public var page: String
    public var url: String
    /// a, area, iframe, frame, script, link, img, source, form, meta, script-redirect.
    public var element: String
    public var text: String
    public var title: String?
    public var alt: String?
    /// display:none, visibility:hidden, font-size:0, opacity:0, off-screen, zero-size, hidden-attribute.
    public var hiding: String?
    /// meta-refresh, javascript-redirect or 404-redirect when the reference is a redirect.
    public var redirect: String?
    /// Keywords of the policy found in its text, title, alt or URL, and their categories.
    public var keywords: [String]
    public var categories: [String]
    /// Its host is on the policy's blocklist.
    public var blocklisted: Bool
    public var external: Bool
    /// An external host outside .vn and outside the allowlist.
    public var outsideVN: Bool
    /// Loaded over http:// into an https:// page.
    public var mixedContent: Bool
    /// A script or frame from another organisation's host.
    public var thirdParty: Bool

    public init(page: String, url: String, element: String, text: String, title: String?, alt: String?, hiding: String?,
                redirect: String?, keywords: [String], categories: [String], blocklisted: Bool, external: Bool,
                outsideVN: Bool, mixedContent: Bool, thirdParty: Bool) {
        self.page = page; self.url = url; self.element = element; self.text = text; self.title = title; self.alt = alt
        self.hiding = hiding; self.redirect = redirect; self.keywords = keywords; self.categories = categories
        self.blocklisted = blocklisted; self.external = external; self.outsideVN = outsideVN
        self.mixedContent = mixedContent; self.thirdParty = thirdParty
    }
}

/// Keywords of the policy found in a page's own text (visible or hidden from people).
public struct PageKeyword: Sendable, Codable, Equatable {
    public var page: String
    public var keyword: String
    public var category: String
    public var hidden: Bool
    public init(page: String, keyword: String, category: String, hidden: Bool) {
        self.page = page; self.keyword = keyword; self.category = category; self.hidden = hidden
    }
}

public struct LinkFindings: EvidenceFacts {
    public static let kind = "links.notable"
    public static let version = 1
    public var links: [NotableLink]
    public var pageKeywords: [PageKeyword]
    public init(links: [NotableLink], pageKeywords: [PageKeyword]) {
        self.links = links
        self.pageKeywords = pageKeywords
    }
}

/// The same pages fetched as a browser, as a search-engine crawler and with a search-engine
/// Referer, and what differed.
public struct CloakingCheck: EvidenceFacts {
    public static let kind = "links.cloaking"
    public static let version = 1

    public struct Difference: Sendable, Codable, Equatable {
        public var url: String
        /// crawler-user-agent or search-referer.
        public var visitor: String
        /// redirect, outbound-links or keywords.
        public var aspect: String
        public var browser: String
        public var other: String
        public init(url: String, visitor: String, aspect: String, browser: String, other: String) {
            self.url = url; self.visitor = visitor; self.aspect = aspect; self.browser = browser; self.other = other
        }
    }

    public var sampled: [String]
    public var differences: [Difference]
    public init(sampled: [String], differences: [Difference]) {
        self.sampled = sampled
        self.differences = differences
    }
}

extension EvidenceCatalog {
    /// The evidence kinds of the link-hygiene crawler.
    public static let links = EvidenceCatalog([LinkCrawl.self, LinkFindings.self, CloakingCheck.self])
}
