import GovAuditCore

/// The limits every fetch runs under. A server that breaks one yields a typed failure.
public struct HTTPLimits: Sendable {
    public var connectTimeoutMilliseconds = 5_000
    public var totalTimeoutMilliseconds = 20_000
    /// Below this many bytes per second for `lowSpeedSeconds`, the transfer is cut (a trickle).
    public var lowSpeedBytesPerSecond = 100
    public var lowSpeedSeconds = 5
    public var maxBodyBytes = 5 * 1024 * 1024
    public var maxRedirects = 8

    public init() {}
}

/// GET, or HEAD for a status check that needs no body.
public enum HTTPMethod: Sendable { case get, head }

public struct HTTPHeader: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
}

/// One request/response of a fetch (a redirect chain has several).
public struct HTTPHop: Sendable, Hashable, Codable {
    public var url: String
    public var address: String
    public var status: Int
    public var location: String?
}

public struct HTTPResponse: Sendable {
    /// Every hop, the last one being the final response.
    public var hops: [HTTPHop]
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Whether the last hop rode a kept connection (no new connection was opened for it).
    public var reusedConnection: Bool = false
    public var status: Int { hops.last?.status ?? 0 }
    public var finalURL: String { hops.last?.url ?? "" }

    public func header(_ name: String) -> String? {
        headers.last { HTTPHeader.sameName($0.name, name) }?.value
    }
}

/// Why a fetch produced no response: facts about the target, except `noRoute` and
/// `addressNotAllowed`, which are about the scanner and its rules.
public enum HTTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(String)
    case tooSlow(String)
    case tooLarge(limit: Int)
    case redirectLoop([String])
    case tooManyRedirects(Int)
    case refused(String)
    case noRoute(String)
    case dns(String)
    case tls(String)
    /// The address filter refused the address: the address and the range that refused it.
    case addressNotAllowed(String, range: String)
    case badURL(String)
    /// The probe's or the endpoint's deadline came first: the fetch was cut (or never started).
    case budgetExhausted(String)
    case other(String)

    public var description: String {
        switch self {
        case .timeout(let s): "timeout: \(s)"
        case .tooSlow(let s): "too slow: \(s)"
        case .tooLarge(let n): "body larger than \(n) bytes"
        case .redirectLoop(let urls): "redirect loop: \(urls.joined(separator: " → "))"
        case .tooManyRedirects(let n): "more than \(n) redirects"
        case .refused(let s): "connection refused: \(s)"
        case .noRoute(let s): "no route from the scanner: \(s)"
        case .dns(let s): "name resolution failed: \(s)"
        case .tls(let s): "TLS failure: \(s)"
        case .addressNotAllowed(let a, let range): "address \(a) is \(range) and not allowed (--allow-net names the networks the scanner may enter)"
        case .badURL(let u): "not an http(s) URL: \(u)"
        case .budgetExhausted(let s): s
        case .other(let s): s
        }
    }

    /// The stable code used in evidence.
    public var code: String {
        switch self {
        case .timeout: "timeout"
        case .tooSlow: "too-slow"
        case .tooLarge: "too-large"
        case .redirectLoop: "redirect-loop"
        case .tooManyRedirects: "too-many-redirects"
        case .refused: "refused"
        case .noRoute: "no-route"
        case .dns: "dns"
        case .tls: "tls"
        case .addressNotAllowed: "address-not-allowed"
        case .badURL: "bad-url"
        case .budgetExhausted: FailureReason.budgetExhaustedCode
        case .other: "error"
        }
    }

    /// Whether the failure is the scanner's, not the target's.
    public var isScannerSide: Bool {
        switch self {
        case .noRoute, .addressNotAllowed: true
        default: false
        }
    }
}

extension HTTPHeader {
    /// Field names compared as RFC 9110 says, ASCII letters without case, by bytes: Foundation's
    /// `caseInsensitiveCompare` bridged every name of every answer to NSString.
    public static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { x, y in
            x == y || (x ^ y == 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
