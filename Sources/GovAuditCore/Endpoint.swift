import Foundation

/// Something a system exposes that a probe can look at (điểm cuối): a URL such as
/// `https://dichvucong.angiang.gov.vn/` or a bare host such as `mail.angiang.gov.vn`.
///
/// The host is normalized once, here: lower case, Unicode names in their IDNA (punycode) form,
/// so two spellings of one host compare equal and every probe sees the same name.
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `http`, `https`, or nil for a bare host.
    public let scheme: String?
    /// Normalized host name or IP address literal (IPv6 without brackets).
    public let host: String
    /// Explicit port; nil means the scheme's default.
    public let port: Int?
    /// Path and query, starting with `/`; empty for a bare host.
    public let path: String

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty, unsupportedScheme(String), badHost(String), badPort(String)

        public var description: String {
            switch self {
            case .empty: "empty endpoint"
            case .unsupportedScheme(let s): "scheme '\(s)' is not http or https"
            case .badHost(let h): "'\(h)' is not a valid host name"
            case .badPort(let p): "'\(p)' is not a port number 1–65535"
            }
        }
    }

    public init(scheme: String?, host: String, port: Int? = nil, path: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses a URL (`http`/`https`) or a host with an optional port.
    public init(parsing text: String) throws(ParseError) {
        var rest = Substring(text.trimmingSpaces)
        guard !rest.isEmpty else { throw .empty }
        var scheme: String?
        if let r = rest.range(of: "://") {
            let s = rest[..<r.lowerBound].lowercased()
            guard s == "http" || s == "https" else { throw .unsupportedScheme(String(s)) }
            scheme = s
            rest = rest[r.upperBound...]
        }
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<pathStart]
        var path = String(rest[pathStart...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if scheme != nil, path.isEmpty { path = "/" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        var hostPart = authority
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .badHost(String(authority)) }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = try Endpoint.port(after.dropFirst()) }
            else if !after.isEmpty { throw .badHost(String(authority)) }
            guard hostPart.contains(":") else { throw .badHost(String(authority)) }
            self.init(scheme: scheme, host: hostPart.lowercased(), port: port, path: path)
            return
        }
        if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            port = try Endpoint.port(authority[authority.index(after: colon)...])
        }
        guard let host = HostName.normalize(String(hostPart)) else { throw .badHost(String(hostPart)) }
        self.init(scheme: scheme, host: host, port: port, path: path)
    }

    private static func port(_ s: Substring) throws(ParseError) -> Int {
        guard let p = Int(s), (1...65535).contains(p) else { throw .badPort(String(s)) }
        return p
    }

    /// The port a connection would use: explicit, or the scheme's default (443 for a bare host).
    public var effectivePort: Int {
        port ?? (scheme == "http" ? 80 : 443)
    }

    /// The canonical text: `scheme://host[:port]/path`, or `host[:port]` for a bare host.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        let p = port.map { ":\($0)" } ?? ""
        guard let scheme else { return h + p }
        return "\(scheme)://\(h)\(p)\(path)"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Host-name normalization: the one place that decides how a name is spelled.
public enum HostName {
    /// Lower case, trailing dot removed, each Unicode label in its `xn--` form (IDNA with
    /// NFC-normalized, lower-cased input). Nil when the result is not a valid DNS name.
    public static func normalize(_ name: String) -> String? {
        var n = name.precomposedStringWithCanonicalMapping.lowercased()
        if n.hasSuffix(".") { n.removeLast() }
        guard !n.isEmpty, n.utf8.count <= 253 else { return nil }
        var labels: [String] = []
        for label in n.split(separator: ".", omittingEmptySubsequences: false) {
            let ascii: String
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                ascii = String(label)
            } else {
                guard let encoded = Punycode.encode(String(label)) else { return nil }
                ascii = "xn--" + encoded
            }
            guard (1...63).contains(ascii.utf8.count),
                  ascii.utf8.allSatisfy({ isLDH($0) }),
                  ascii.first != "-", ascii.last != "-" else { return nil }
            labels.append(ascii)
        }
        return labels.joined(separator: ".")
    }

    /// Letters, digits, hyphen; underscore too, since real zones hold `_dmarc`-style names.
    private static func isLDH(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
    }

    /// Whether `host` is `domain` or below it, label-wise (`a.angiang.gov.vn` is under `gov.vn`;
    /// `evilgov.vn` is not).
    public static func isSubdomain(_ host: String, of domain: String) -> Bool {
        host == domain || host.hasSuffix("." + domain)
    }
}

/// Punycode (RFC 3492), the encoding IDNA uses for non-ASCII labels.
public enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    public static func encode(_ input: String) -> String? {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        while handled < scalars.count {
            guard let m = scalars.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow else { return nil }
            delta += product
            n = m
            for c in scalars {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    private static func digit(_ d: Int) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
    }

    private static func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
        var d = first ? delta / damp : delta / 2
        d += d / count
        var k = 0
        while d > ((base - tMin) * tMax) / 2 {
            d /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * d / (d + skew)
    }
}
