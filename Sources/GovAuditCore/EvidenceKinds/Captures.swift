import Foundation

/// One response as the crawler received it, kept as the evidence an incident report attaches
/// (issue 14, item 7): status, headers and the body's first bytes, with the SHA-256 of what is
/// kept. Untrusted bytes: stored and exported as they came, never parsed or rendered again.
public struct RawCapture: Sendable, Codable, Equatable {
    /// The site path asked for, as findings name pages.
    public var page: String
    /// crawl (the crawler's own fetch), or the cloaking visitor: browser, crawler-user-agent, search-referer.
    public var visitor: String
    /// Where the fetch ended, after redirects.
    public var url: String
    /// When the response came (ISO 8601 UTC).
    public var fetchedAt: String
    public var status: Int
    public var headers: [HeaderField]
    /// The body's first bytes, up to the crawl's capture bound.
    public var body: Data
    /// The body's size as received, and whether `body` holds less of it.
    public var size: Int
    public var truncated: Bool
    /// SHA-256 (hex) of `body` as kept.
    public var sha256: String

    public init(page: String, visitor: String, url: String, fetchedAt: String, status: Int, headers: [HeaderField], body: Data,
                size: Int, truncated: Bool, sha256: String) {
        self.page = page
        self.visitor = visitor
        self.url = url
        self.fetchedAt = fetchedAt
        self.status = status
        self.headers = headers
        self.body = body
        self.size = size
        self.truncated = truncated
        self.sha256 = sha256
    }

    public static let crawlVisitor = "crawl"
}

/// The responses one crawl kept. Handed from the crawler to the scan beside the evidence, never
/// stored as evidence (no rule reads it, and it is not in the catalog): the scan keeps those a
/// spam, hidden-link, cloaking or defacement finding cites (`EvidenceBundles`), in their own table.
public struct LinkCaptures: EvidenceFacts {
    public static let kind = "links.captures"
    public static let version = 1
    public var captures: [RawCapture]
    public init(captures: [RawCapture]) { self.captures = captures }
}
