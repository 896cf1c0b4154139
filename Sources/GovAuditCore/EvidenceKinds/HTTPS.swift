import Foundation

// Evidence of the HTTP side of the TLS probe: the first answer over plain HTTP and the answer
// over HTTPS, each with every header as sent. Which headers a site must send, what leaks a
// version, what is a permanent redirect, is the https rules'. A fetch that failed is its own
// outcome (failed, with its code), never "no redirect" or "no HSTS".

/// One response header as sent (name as written, value untouched).
public struct HeaderField: Sendable, Codable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// An HTTP answer: the URL asked, the status and every header in the order sent.
public protocol HTTPAnswerFacts: EvidenceFacts {
    var url: String { get }
    var status: Int { get }
    var headers: [HeaderField] { get }
}

extension HTTPAnswerFacts {
    /// The values of the headers named `name` (case-insensitive), in the order sent.
    public func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public func first(_ name: String) -> String? { values(name).first }

    /// Strict-Transport-Security as parsed per RFC 6797: the first header only (§8.1); nil when
    /// there is none.
    public var strictTransportSecurity: StrictTransportSecurity? { first("Strict-Transport-Security").map(StrictTransportSecurity.init) }
}

/// The first answer to `http://host/`, redirects not followed.
public struct PlainHTTPAnswer: HTTPAnswerFacts {
    public static let kind = "https.plain-http"
    public static let version = 1
    public var url: String
    public var status: Int
    public var headers: [HeaderField]
    public init(url: String, status: Int, headers: [HeaderField]) { self.url = url; self.status = status; self.headers = headers }
}

/// The answer to the endpoint's https:// URL, redirects not followed.
public struct HTTPSAnswer: HTTPAnswerFacts {
    public static let kind = "https.response"
    public static let version = 1
    public var url: String
    public var status: Int
    public var headers: [HeaderField]
    public init(url: String, status: Int, headers: [HeaderField]) { self.url = url; self.status = status; self.headers = headers }
}

/// A Strict-Transport-Security value and its directives (RFC 6797 §6.1).
public struct StrictTransportSecurity: Sendable, Equatable {
    public var raw: String
    /// Nil when the header has no valid max-age: then it sets no policy.
    public var maxAge: Int?
    public var includeSubDomains: Bool
    public var preload: Bool

    /// Directives separated by ';', names case-insensitive, max-age's value possibly quoted.
    public init(_ value: String) {
        raw = value
        maxAge = nil; includeSubDomains = false; preload = false
        for directive in value.split(separator: ";") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            switch parts.first?.lowercased() {
            case "max-age": maxAge = parts.count == 2 ? Self.deltaSeconds(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))) : nil
            case "includesubdomains": includeSubDomains = true
            case "preload": preload = true
            default: break
            }
        }
    }

    /// delta-seconds (RFC 6797 §6.1.1): digits only, so `-1` and `+5` set no policy (Swift's `Int`
    /// takes a sign); a value too large for `Int` is still a long policy, not none.
    static func deltaSeconds(_ text: String) -> Int? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text) ?? Int.max
    }
}
