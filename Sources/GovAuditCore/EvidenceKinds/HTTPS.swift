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

/// A Strict-Transport-Security value read as RFC 6797 tells a browser to (§6.1, §8.1): a header
/// that breaks the grammar or repeats a directive is ignored whole; `max-age=0` asks the browser
/// to forget the host (no policy).
public struct StrictTransportSecurity: Sendable, Equatable {
    public var raw: String
    /// Nil when the header sets no policy at all (`invalid` says why).
    public var maxAge: Int?
    public var includeSubDomains: Bool
    public var preload: Bool
    /// Why a browser ignores the header; nil when it is valid.
    public var invalid: String?

    /// Whether a browser keeps an HSTS policy from it: valid, with a max-age above zero.
    public var setsPolicy: Bool { invalid == nil && (maxAge ?? 0) > 0 }

    public init(_ value: String) {
        raw = value
        maxAge = nil; includeSubDomains = false; preload = false; invalid = nil
        var seen = Set<String>()
        for directive in value.split(separator: ";", omittingEmptySubsequences: false) {
            let parts = directive.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map(\.trimmingSpaces)
            let name = parts[0].lowercased()
            if name.isEmpty && parts.count == 1 { continue }            // an empty directive is allowed
            guard Self.isToken(name) else { invalid = "not a directive: \(directive.trimmingSpaces)"; break }
            guard seen.insert(name).inserted else { invalid = "\(name) appears twice (RFC 6797 §6.1)"; break }
            var argument: String?
            if parts.count == 2 {
                guard let v = Self.value(parts[1]) else { invalid = "\(name) has a malformed value"; break }
                argument = v
            }
            switch name {
            case "max-age":
                guard let a = argument, let age = Self.deltaSeconds(a) else { invalid = "max-age is not a number of seconds"; break }
                maxAge = age
            case "includesubdomains":
                guard argument == nil else { invalid = "includeSubDomains takes no value"; break }
                includeSubDomains = true
            case "preload": preload = true
            default: break                                             // unknown directives are ignored
            }
            if invalid != nil { break }
        }
        if invalid == nil && maxAge == nil { invalid = "no max-age directive" }
        if invalid != nil { maxAge = nil; includeSubDomains = false; preload = false }
    }

    /// A token or a quoted-string (RFC 7230 §3.2.6), unquoted; nil when neither.
    static func value(_ text: String) -> String? {
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            let inner = text.dropFirst().dropLast()
            return inner.contains("\"") && !inner.contains("\\") ? nil : inner.replacingOccurrences(of: "\\", with: "")
        }
        return isToken(text) ? text : nil
    }

    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"()<>@,;:\\\"/[]?={}".unicodeScalars.contains($0) }
    }

    /// delta-seconds (RFC 6797 §6.1.1): digits only, so `-1` and `+5` set no policy (Swift's `Int`
    /// takes a sign); a value too large for `Int` is still a long policy, not none.
    static func deltaSeconds(_ text: String) -> Int? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text) ?? Int.max
    }
}
