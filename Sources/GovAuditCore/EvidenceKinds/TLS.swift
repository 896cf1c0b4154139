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
    public static let version = 2

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
        public init(version: TLSVersion, suites: [Suite], serverOrder: Bool?) {
            self.version = version; self.suites = suites; self.serverOrder = serverOrder
        }
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
    public var handshakes: Int

    public init(versions: [Accepted], groups: [Group], handshakes: Int) {
        self.versions = versions; self.groups = groups; self.handshakes = handshakes
    }

    public var protocols: [TLSVersion] { versions.map(\.version) }

    /// Every suite accepted with any version, once, by first appearance.
    public var allSuites: [Suite] {
        var seen = Set<Int>()
        return versions.flatMap(\.suites).filter { seen.insert($0.code).inserted }
    }
}

/// The certificate as sent, and how OpenSSL verified it.
public struct TLSCertificate: EvidenceFacts {
    public static let kind = "tls.certificate"
    /// 2: validity as timestamps (no days left), the verify result code, the no-SNI handshake
    /// with its own outcome; "trusted" and "complete" left to the rules.
    public static let version = 2

    /// One certificate of the chain as the server sent it.
    public struct ChainEntry: Sendable, Codable, Equatable {
        public var subject: String
        public var issuer: String
        public var notBefore: Timestamp
        public var notAfter: Timestamp
        public var keyType: String
        public var keyBits: Int
        public var signature: String
        public init(subject: String, issuer: String, notBefore: Timestamp, notAfter: Timestamp, keyType: String, keyBits: Int, signature: String) {
            self.subject = subject; self.issuer = issuer; self.notBefore = notBefore; self.notAfter = notAfter
            self.keyType = keyType; self.keyBits = keyBits; self.signature = signature
        }
    }

    /// What a client sending no SNI receives.
    public struct WithoutSNI: Sendable, Codable, Equatable {
        /// The leaf's subject and whether it matches the host; nil when the handshake failed.
        public var subject: String?
        public var hostnameMatches: Bool?
        public var failure: FailureReason?
        public init(subject: String?, hostnameMatches: Bool?, failure: FailureReason?) {
            self.subject = subject; self.hostnameMatches = hostnameMatches; self.failure = failure
        }
    }

    /// Every certificate as sent, leaf first.
    public var chain: [ChainEntry]
    public var subject: String
    public var subjectAltNames: [String]
    public var issuer: String
    public var notBefore: Timestamp
    public var notAfter: Timestamp
    /// RSA, EC, ED25519… as OpenSSL names the key.
    public var keyType: String
    public var keyBits: Int
    public var signature: String
    public var selfSigned: Bool
    /// Certificates the server sent.
    public var chainLength: Int
    /// OpenSSL's X509_V_* result against the system store plus --ca-file, hostname aside
    /// (0 = verifies), and its text.
    public var verifyResult: Int
    public var verifyError: String
    public var hostnameMatches: Bool
    public var ocspStapled: Bool
    public var withoutSNI: WithoutSNI

    public init(chain: [ChainEntry], subject: String, subjectAltNames: [String], issuer: String, notBefore: Timestamp,
                notAfter: Timestamp, keyType: String, keyBits: Int, signature: String, selfSigned: Bool, chainLength: Int,
                verifyResult: Int, verifyError: String, hostnameMatches: Bool, ocspStapled: Bool, withoutSNI: WithoutSNI) {
        self.chain = chain; self.subject = subject; self.subjectAltNames = subjectAltNames; self.issuer = issuer
        self.notBefore = notBefore; self.notAfter = notAfter; self.keyType = keyType; self.keyBits = keyBits
        self.signature = signature; self.selfSigned = selfSigned; self.chainLength = chainLength
        self.verifyResult = verifyResult; self.verifyError = verifyError; self.hostnameMatches = hostnameMatches
        self.ocspStapled = ocspStapled; self.withoutSNI = withoutSNI
    }

    /// The chain verifies to a trusted root (X509_V_OK).
    public var verifies: Bool { verifyResult == 0 }

    /// Days from `asOf` to the day (in Viet Nam) the certificate expires; negative once expired.
    public func daysLeft(asOf: CalendarDate) -> Int { asOf.days(until: notAfter.vietnamDay) }
}

extension EvidenceCatalog {
    public static let tls = EvidenceCatalog([TLSOffer.self, TLSCertificate.self, PlainHTTPAnswer.self, HTTPSAnswer.self])
}
