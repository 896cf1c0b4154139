// Evidence of the link-hygiene crawler (Sources/GovAuditProbes/Links), read by the links rules.
// What the crawler saw, judged by nothing: keywords, blocklists and allowlists are the rules'.
// Texts in here come from scanned sites: untrusted, escaped by every renderer.

/// The crawl itself: how far it went, what could not be fetched, which links are broken.
public struct LinkCrawl: EvidenceFacts {
    public static let kind = "links.crawl"
    /// 2: outbound links to check are the first distinct ones, no longer chosen by the policy's lists.
    /// 3: off-site redirects, sitemaps, sub-resource and outbound checks, the element of a broken reference.
    public static let version = 3

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
        /// An outbound link (checked within the crawl's outbound bound), not a page of the site.
        public var external: Bool
        /// The element that references it when it is a sub-resource (img, script, link, source,
        /// embed, object); nil for a link or frame to a page.
        public var element: String?
        public init(page: String, url: String, status: Int?, code: String?, external: Bool = false, element: String? = nil) {
            self.page = page; self.url = url; self.status = status; self.code = code; self.external = external
            self.element = element
        }
    }

    /// A URL of the site whose HTTP redirect leaves the site. The target is not fetched: its
    /// page is not the site's.
    public struct OffsiteRedirect: Sendable, Codable, Equatable {
        /// The site path asked for (the start page, a linked page, a sitemap entry, the missing page).
        public var page: String
        /// The page that links to it; nil for the start page, a sitemap entry and the missing page.
        public var from: String?
        /// The status of the hop that points off the site.
        public var status: Int
        /// Where it points, resolved.
        public var target: String
        public init(page: String, from: String?, status: Int, target: String) {
            self.page = page; self.from = from; self.status = status; self.target = target
        }
    }

    /// One sitemap read (from robots.txt, at /sitemap.xml, or listed by a sitemap index).
    public struct SitemapRead: Sendable, Codable, Equatable {
        public var url: String
        /// robots.txt, default (/sitemap.xml) or index.
        public var via: String
        /// The HTTP status; nil when no answer came (then `failure` says why).
        public var status: Int?
        public var failure: String?
        /// urlset or sitemapindex, when the body is a sitemap.
        public var format: String?
        /// Locations it lists, and how many of them its bound let through.
        public var locations: Int
        public var locationsDropped: Int
        public init(url: String, via: String, status: Int?, failure: String?, format: String?, locations: Int, locationsDropped: Int) {
            self.url = url; self.via = via; self.status = status; self.failure = failure; self.format = format
            self.locations = locations; self.locationsDropped = locationsDropped
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
    public var offsiteRedirects: [OffsiteRedirect]
    public var sitemaps: [SitemapRead]
    /// Distinct sub-resources (images, scripts, style sheets…) and outbound links whose status was
    /// checked, and those the bounds left unchecked.
    public var resourcesChecked: Int
    public var resourcesUnchecked: Int
    public var outboundChecked: Int
    public var outboundUnchecked: Int

    public init(start: String, pagesFetched: Int, depthReached: Int, limitReached: String?, failures: [PageFailure], broken: [BrokenLink],
                budgetCut: [String]? = nil, offsiteRedirects: [OffsiteRedirect] = [], sitemaps: [SitemapRead] = [],
                resourcesChecked: Int = 0, resourcesUnchecked: Int = 0, outboundChecked: Int = 0, outboundUnchecked: Int = 0) {
        self.offsiteRedirects = offsiteRedirects
        self.sitemaps = sitemaps
        self.resourcesChecked = resourcesChecked
        self.resourcesUnchecked = resourcesUnchecked
        self.outboundChecked = outboundChecked
        self.outboundUnchecked = outboundUnchecked
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
    /// meta-refresh, refresh-header or javascript-redirect when the page sends its visitor there by itself.
    public var redirect: String?
    /// The `rel` of a `<link>` (stylesheet, icon, canonical…), lower case; nil for other elements.
    public var rel: String?
    /// An http(s) URL whose host is not the site's (nor, when the crawl includes subdomains, one of
    /// its subdomains). False for other schemes (mailto:, tel:, javascript:).
    public var external: Bool

    public init(element: String, attribute: String, written: String, url: String?, text: String, title: String?,
                alt: String?, hiding: String?, redirect: String?, external: Bool, rel: String? = nil) {
        self.rel = rel
        self.element = element; self.attribute = attribute; self.written = written; self.url = url; self.text = text
        self.title = title; self.alt = alt; self.hiding = hiding; self.redirect = redirect; self.external = external
    }
}

extension PageLink {
    /// `<link rel>` values that make a browser load the target (style sheets, icons, preloads,
    /// manifests); canonical, alternate and the rest only name another URL.
    public static let loadingRels: Set<String> = ["stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed",
                                                  "mask-icon", "preload", "modulepreload", "manifest", "prefetch"]

    /// A `<link>` whose rel loads its target.
    public var relLoadsTarget: Bool {
        element == "link" && (rel ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { Self.loadingRels.contains(String($0)) }
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
    /// How the bytes were read as text.
    public var encoding: PageEncoding
    /// Listed in a sitemap and linked from no page the crawl read (injected pages often are).
    public var sitemapOnly: Bool
    /// The start page's template blocks (`tag#id.class`, sorted: `HTMLDocument.templateBlocks`),
    /// what drift compares; nil on other pages and in evidence of older builds.
    public var template: [String]?

    public init(page: String, url: String, status: Int, title: String, visibleText: String, hiddenText: String,
                textCharactersDropped: Int = 0, links: [PageLink], linksDropped: Int = 0,
                encoding: PageEncoding = PageEncoding(charset: "UTF-8", source: "default"), sitemapOnly: Bool = false,
                template: [String]? = nil) {
        self.template = template
        self.encoding = encoding
        self.sitemapOnly = sitemapOnly
        self.page = page; self.url = url; self.status = status; self.title = title; self.visibleText = visibleText
        self.hiddenText = hiddenText; self.textCharactersDropped = textCharactersDropped; self.links = links
        self.linksDropped = linksDropped
    }
}

/// How a page's bytes were read as text: the character set and where it came from (the HTML
/// standard's order: byte-order mark, HTTP header, `<meta>`, else the default).
public struct PageEncoding: Sendable, Codable, Equatable {
    /// As iconv names it: UTF-8, CP1258 (windows-1258), TCVN5712-1, VISCII, CP1252…
    public var charset: String
    /// bom, http-header, meta or default (undeclared: UTF-8 when valid, else windows-1258).
    public var source: String
    /// Bytes that did not decode (each read as U+FFFD); 0 when all did.
    public var replaced: Int
    /// Why the text cannot be read, when it cannot (a character set this build does not know,
    /// a legacy font encoding): then finding no keyword in it proves nothing.
    public var unreadable: String?
    public init(charset: String, source: String, replaced: Int = 0, unreadable: String? = nil) {
        self.charset = charset; self.source = source; self.replaced = replaced; self.unreadable = unreadable
    }
}

/// Every HTML page the crawl fetched, and the site's answer to a page that does not exist.
public struct LinkPages: EvidenceFacts {
    public static let kind = "links.pages"
    /// 2: each page's encoding and sitemap mark; a link's rel. (The start page's optional
    /// `template`, added later, left the version: older records read as having none.)
    public static let version = 2
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
    /// 3: the pages of the views carry their encoding (links.pages v2).
    public static let version = 3

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
