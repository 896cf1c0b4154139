// Evidence of the TLS and HTTPS probe (Sources/GovAuditProbes/TLS), read by the tls rules. What
// was offered and sent, never judged: which suites are weak, how many days are left, what grade
// it makes, is the rules' (with the policy's parameters and the as-of day).

/// A protocol version by its wire code point, written in JSON by the name OpenSSL and the RFCs
/// use (`TLSv1.2`).
public enum TLSVersion: UInt16, Sendable, CaseIterable, Comparable {
    case sslv2 = 0x0002, sslv3 = 0x0300, tls10 = 0x0301, tls11 = 0x0302, tls12 = 0x0303, tls13 = 0x0304

    public var name: String {
        switch self {
        case .sslv2: "SSLv2"
        case .sslv3: "SSLv3"
        case .tls10: "TLSv1"
        case .tls11: "TLSv1.1"
        case .tls12: "TLSv1.2"
        case .tls13: "TLSv1.3"
        }
    }

    public init?(name: String) {
        guard let v = TLSVersion.allCases.first(where: { $0.name == name }) else { return nil }
        self = v
    }

    public static func < (a: TLSVersion, b: TLSVersion) -> Bool { a.rawValue < b.rawValue }
}

extension TLSVersion: Codable {
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let v = TLSVersion(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a TLS version: \(name)"))
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// Protocol versions, cipher suites and groups the server accepted, from hand-built ClientHellos.
public struct TLSOffer: EvidenceFacts {
    public static let kind = "tls.offer"
    /// 2: suites by code point per version; weak and forward-secrecy classes left to the rules.
    /// 3: versions whose hello went unanswered, and enumerations a failed hello cut short.
    public static let version = 3

    /// A cipher suite by its IANA code point, with its IANA name (nil for a code point outside
    /// GovAudit's table).
    public struct Suite: Sendable, Codable, Equatable {
        public var code: Int
        public var name: String?
        public init(code: Int, name: String?) { self.code = code; self.name = name }
    }

    public struct Accepted: Sendable, Codable, Equatable {
        public var version: TLSVersion
        /// The suites accepted with that version, in the server's order of choice.
        public var suites: [Suite]
        /// Whether the server imposes its own order; nil for TLS 1.3, SSLv2, or fewer than two suites.
        public var serverOrder: Bool?
        /// Why the suite enumeration stopped before the server said "none of those" (a hello
        /// timed out, say): `suites` may then lack some the server accepts. Nil when complete.
        public var cutShort: FailureReason?
        public init(version: TLSVersion, suites: [Suite], serverOrder: Bool?, cutShort: FailureReason? = nil) {
            self.version = version; self.suites = suites; self.serverOrder = serverOrder; self.cutShort = cutShort
        }
    }

    /// A version whose hello got no answer at all (timeout, refusal) while other versions were
    /// answered, as when an IPS drops SSLv2 hellos: not seen offered, not seen refused.
    public struct Unanswered: Sendable, Codable, Equatable {
        public var version: TLSVersion
        public var reason: FailureReason
        public init(version: TLSVersion, reason: FailureReason) { self.version = version; self.reason = reason }
    }

    /// A named group (RFC 8446 §4.2.7) by code point, with its name when known.
    public struct Group: Sendable, Codable, Equatable {
        public var code: Int
        public var name: String?
        public init(code: Int, name: String?) { self.code = code; self.name = name }
    }

    /// The versions accepted, oldest first.
    public var versions: [Accepted]
    /// Groups accepted for ECDHE with TLS 1.2.
    public var groups: [Group]
    /// Why the group enumeration stopped early, when it did.
    public var groupsCutShort: FailureReason?
    public var unanswered: [Unanswered]
    /// Hellos sent (one connection each).
    public var handshakes: Int

    public init(versions: [Accepted], groups: [Group], groupsCutShort: FailureReason? = nil, unanswered: [Unanswered] = [],
                handshakes: Int) {
        self.versions = versions; self.groups = groups; self.groupsCutShort = groupsCutShort; self.unanswered = unanswered
        self.handshakes = handshakes
    }

    public var protocols: [TLSVersion] { versions.map(\.version) }

    /// The versions whose suite list may be short, with why; empty when every list is complete.
    public var cutShort: [String] {
        versions.compactMap { v in v.cutShort.map { "the suites of \(v.version.name): \($0.code) (\($0.detail))" } }
    }

    /// Every suite accepted with any version, once, by first appearance.
    public var allSuites: [Suite] {
        var seen = Set<Int>()
        return versions.flatMap(\.suites).filter { seen.insert($0.code).inserted }
    }
}

extension EvidenceCatalog {
    public static let tls = EvidenceCatalog([TLSOffer.self, TLSCertificate.self, PlainHTTPAnswer.self, HTTPSAnswer.self, SecurityTxt.self])
}
