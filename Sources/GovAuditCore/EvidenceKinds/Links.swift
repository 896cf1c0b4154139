// Evidence of the link-hygiene crawler (Sources/GovAuditProbes/Links), read by the links rules.
// What the crawler saw, judged by nothing: keywords, blocklists and allowlists are the rules'.
// Texts in here come from scanned sites: untrusted, escaped by every renderer.

/// The crawl itself: how far it went, what could not be fetched, which links are broken.
public struct LinkCrawl: EvidenceFacts {
    public static let kind = "links.crawl"
    /// 2: outbound links to check are the first distinct ones, no longer chosen by the policy's lists.
    public static let version = 2

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
    /// What the crawl's time budget cut, step by step ("pages: 37 found, not fetched", "cloaking:
    /// 3 of 21 views not fetched"); nil when the crawl did everything it set out to. With it,
    /// a crawl that found nothing is unknown, not clean.
    public var budgetCut: [String]?

    public init(start: String, pagesFetched: Int, depthReached: Int, limitReached: String?, failures: [PageFailure], broken: [BrokenLink],
                budgetCut: [String]? = nil) {
        self.start = start
        self.pagesFetched = pagesFetched
        self.depthReached = depthReached
        self.limitReached = limitReached
        self.failures = failures
        self.broken = broken
        self.budgetCut = budgetCut
    }
}

/// One reference of a page as the crawler saw it: a link, frame, script, stylesheet, image, form
/// target, meta refresh or script redirect.
public struct PageLink: Sendable, Codable, Equatable {
    /// a, area, iframe, frame, script, link, img, source, form, embed, object, meta, script-redirect.
    public var element: String
    /// The attribute it was read from (href, src, srcset, action, data, content); empty for a
    /// script redirect.
    public var attribute: String
    /// The value as written in the page.
    public var written: String
    /// Resolved against the page and its `<base href>`; nil when it does not resolve.
    public var url: String?
    /// The anchor text (a, area), whitespace collapsed; empty otherwise.
    public var text: String
    public var title: String?
    /// The element's alt text, or for a link the alt text of the first image inside it.
    public var alt: String?
    /// How it is hidden from people, when it is: display:none, visibility:hidden, font-size:0,
    /// opacity:0, off-screen, zero-size, hidden-attribute.
    public var hiding: String?
    /// meta-refresh or javascript-redirect when the page sends its visitor there by itself.
    public var redirect: String?
    /// An http(s) URL whose host is not the site's (nor, when the crawl includes subdomains, one of
    /// its subdomains). False for other schemes (mailto:, tel:, javascript:).
    public var external: Bool

    public init(element: String, attribute: String, written: String, url: String?, text: String, title: String?,
                alt: String?, hiding: String?, redirect: String?, external: Bool) {
        self.element = element; self.attribute = attribute; self.written = written; self.url = url; self.text = text
        self.title = title; self.alt = alt; self.hiding = hiding; self.redirect = redirect; self.external = external
    }
}

/// One HTML page as fetched: its texts (for keyword matching) and every reference, within the
/// crawl's bounds; what the bounds cut is counted, never silently dropped.
public struct PageContent: Sendable, Codable, Equatable {
    /// Path and query on the site, as findings name the page.
    public var page: String
    /// Where the fetch ended, after redirects.
    public var url: String
    public var status: Int
    public var title: String
    /// Text people see, and text hidden from them, whitespace collapsed; scripts and styles left out.
    public var visibleText: String
    public var hiddenText: String
    /// Characters cut from the end of the two texts by the crawl's text bound; 0 when whole.
    public var textCharactersDropped: Int
    /// In document order, then the meta refresh, then the script redirects.
    public var links: [PageLink]
    /// References beyond the per-page or per-site bound.
    public var linksDropped: Int

    public init(page: String, url: String, status: Int, title: String, visibleText: String, hiddenText: String,
                textCharactersDropped: Int = 0, links: [PageLink], linksDropped: Int = 0) {
        self.page = page; self.url = url; self.status = status; self.title = title; self.visibleText = visibleText
        self.hiddenText = hiddenText; self.textCharactersDropped = textCharactersDropped; self.links = links
        self.linksDropped = linksDropped
    }
}

/// Every HTML page the crawl fetched, and the site's answer to a page that does not exist.
public struct LinkPages: EvidenceFacts {
    public static let kind = "links.pages"
    public static let version = 1
    public var pages: [PageContent]
    /// The answer to a path that does not exist (some injected spam answers 404, then redirects);
    /// nil when it was not HTML or the fetch failed (then `missingPageFailure` says why).
    public var missingPage: PageContent?
    public var missingPageFailure: FailureReason?

    public init(pages: [PageContent], missingPage: PageContent? = nil, missingPageFailure: FailureReason? = nil) {
        self.pages = pages
        self.missingPage = missingPage
        self.missingPageFailure = missingPageFailure
    }
}

/// The same pages fetched as a browser, as a search-engine crawler and with a search-engine
/// Referer: what each visitor got. The rule compares them.
public struct CloakingCheck: EvidenceFacts {
    public static let kind = "links.cloaking"
    /// 2: the views as fetched instead of differences judged with the policy's keywords.
    public static let version = 2

    public struct View: Sendable, Codable, Equatable {
        /// browser, crawler-user-agent or search-referer.
        public var visitor: String
        /// Where the fetch ended and its status; nil when it failed (then `failure` says why).
        public var finalURL: String?
        public var status: Int?
        public var failure: FailureReason?
        /// The page's texts and references, when it was HTML.
        public var content: PageContent?
        public init(visitor: String, finalURL: String?, status: Int?, failure: FailureReason?, content: PageContent?) {
            self.visitor = visitor; self.finalURL = finalURL; self.status = status; self.failure = failure; self.content = content
        }
    }

    public struct Sample: Sendable, Codable, Equatable {
        /// The page's path and query.
        public var page: String
        public var views: [View]
        public init(page: String, views: [View]) { self.page = page; self.views = views }
    }

    public var samples: [Sample]
    public init(samples: [Sample]) { self.samples = samples }
}

extension EvidenceCatalog {
    /// The evidence kinds of the link-hygiene crawler.
    public static let links = EvidenceCatalog([LinkCrawl.self, LinkPages.self, CloakingCheck.self])
}
