// Evidence of the TLS probe's depth checks (Sources/GovAuditProbes/TLS/TLSDepthChecks.swift):
// known vulnerabilities by their standard harmless tests, protocol features, and the key
// exchange. Each check has its own result, so one that timed out leaves the others judged.

/// One check's result: what was observed, why it does not apply (no TLS 1.2 or older to test
/// it on, say), or why it failed (the server went silent before answering).
public enum CheckResult<Value: Sendable & Codable & Equatable>: Sendable, Equatable {
    case observed(Value)
    case notApplicable(String)
    case failed(FailureReason)

    public var value: Value? { if case .observed(let v) = self { v } else { nil } }
}

extension CheckResult: Codable {
    private enum Keys: String, CodingKey { case observed, notApplicable, failed }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .observed(let v): try c.encode(v, forKey: .observed)
        case .notApplicable(let why): try c.encode(why, forKey: .notApplicable)
        case .failed(let r): try c.encode(r, forKey: .failed)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let v = try c.decodeIfPresent(Value.self, forKey: .observed) { self = .observed(v) }
        else if let why = try c.decodeIfPresent(String.self, forKey: .notApplicable) { self = .notApplicable(why) }
        else if let r = try c.decodeIfPresent(FailureReason.self, forKey: .failed) { self = .failed(r) }
        else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a check needs observed, notApplicable or failed")) }
    }
}

/// Heartbleed, CCS injection, compression and TLS_FALLBACK_SCSV, from hand-built hellos at the
/// highest version up to TLS 1.2 the server offers. ROBOT is its own kind (`TLSRobot`).
public struct TLSVulnerabilities: EvidenceFacts {
    public static let kind = "tls.vulnerabilities"
    public static let version = 1

    /// RFC 6520 heartbeat: whether the server echoed the extension, and what a request claiming
    /// 16,384 payload bytes while carrying none brought back.
    public struct Heartbeat: Sendable, Codable, Equatable {
        public var extensionEchoed: Bool
        public var requestSent: Bool
        /// Payload bytes the server returned that the request never carried (CVE-2014-0160).
        public var overreadBytes: Int
        public init(extensionEchoed: Bool, requestSent: Bool, overreadBytes: Int) {
            self.extensionEchoed = extensionEchoed; self.requestSent = requestSent; self.overreadBytes = overreadBytes
        }
    }

    /// A ChangeCipherSpec sent right after ServerHelloDone, before any key exchange.
    public struct EarlyCCS: Sendable, Codable, Equatable {
        /// The server took it (its answer to a second one was bad_record_mac or
        /// decryption_failed: it switched to keys made of nothing, CVE-2014-0224).
        public var accepted: Bool
        /// The alert description the server answered with, if any.
        public var alert: Int?
        public init(accepted: Bool, alert: Int?) { self.accepted = accepted; self.alert = alert }
    }

    /// The compression method the ServerHello chose when DEFLATE (1) and null were offered.
    public struct Compression: Sendable, Codable, Equatable {
        public var method: Int
        public init(method: Int) { self.method = method }
    }

    /// A hello at `version`, below the highest the server offers, carrying TLS_FALLBACK_SCSV.
    public struct Fallback: Sendable, Codable, Equatable {
        public var version: TLSVersion
        /// The server answered inappropriate_fallback (RFC 7507 support).
        public var rejected: Bool
        public init(version: TLSVersion, rejected: Bool) { self.version = version; self.rejected = rejected }
    }

    public var heartbleed: CheckResult<Heartbeat>
    public var ccsInjection: CheckResult<EarlyCCS>
    public var compression: CheckResult<Compression>
    public var fallbackSCSV: CheckResult<Fallback>
    /// Hellos these checks sent.
    public var handshakes: Int

    public init(heartbleed: CheckResult<Heartbeat>, ccsInjection: CheckResult<EarlyCCS>, compression: CheckResult<Compression>,
                fallbackSCSV: CheckResult<Fallback>, handshakes: Int) {
        self.heartbleed = heartbleed; self.ccsInjection = ccsInjection; self.compression = compression
        self.fallbackSCSV = fallbackSCSV; self.handshakes = handshakes
    }
}

/// Protocol features: what the ServerHello echoed (RFC 5746, RFC 7627, RFC 5077, ALPN) and
/// what full OpenSSL handshakes showed (client-initiated renegotiation, resumption, 0-RTT).
public struct TLSProtocolFeatures: EvidenceFacts {
    public static let kind = "tls.features"
    public static let version = 1

    /// Echoed in the ServerHello of a hello at the highest version up to TLS 1.2.
    public struct HelloExtensions: Sendable, Codable, Equatable {
        public var version: TLSVersion
        public var secureRenegotiation: Bool
        public var extendedMasterSecret: Bool
        public var sessionTicket: Bool
        /// The protocol chosen from h2 and http/1.1; nil when the server sent no ALPN.
        public var alpn: String?
        public init(version: TLSVersion, secureRenegotiation: Bool, extendedMasterSecret: Bool, sessionTicket: Bool, alpn: String?) {
            self.version = version; self.secureRenegotiation = secureRenegotiation
            self.extendedMasterSecret = extendedMasterSecret; self.sessionTicket = sessionTicket; self.alpn = alpn
        }
    }

    /// A renegotiation the client started on an established TLS 1.2 connection.
    public struct Renegotiation: Sendable, Codable, Equatable {
        public var accepted: Bool
        /// How the server refused (an alert, a hang-up), or empty.
        public var detail: String
        public init(accepted: Bool, detail: String) { self.accepted = accepted; self.detail = detail }
    }

    /// TLS 1.3 session tickets: how many came, and the early data (0-RTT) they allow.
    public struct EarlyData: Sendable, Codable, Equatable {
        public var tickets: Int
        public var maxEarlyData: Int
        public init(tickets: Int, maxEarlyData: Int) { self.tickets = tickets; self.maxEarlyData = maxEarlyData }
    }

    public var extensions: CheckResult<HelloExtensions>
    public var clientRenegotiation: CheckResult<Renegotiation>
    /// A second TLS 1.2 handshake offering the first one's session id was resumed.
    public var resumptionByID: CheckResult<Bool>
    /// A second TLS 1.2 handshake offering the first one's ticket was resumed.
    public var resumptionByTicket: CheckResult<Bool>
    public var earlyData: CheckResult<EarlyData>
    public var handshakes: Int

    public init(extensions: CheckResult<HelloExtensions>, clientRenegotiation: CheckResult<Renegotiation>,
                resumptionByID: CheckResult<Bool>, resumptionByTicket: CheckResult<Bool>, earlyData: CheckResult<EarlyData>,
                handshakes: Int) {
        self.extensions = extensions; self.clientRenegotiation = clientRenegotiation; self.resumptionByID = resumptionByID
        self.resumptionByTicket = resumptionByTicket; self.earlyData = earlyData; self.handshakes = handshakes
    }
}

/// The key exchange as the ServerKeyExchange and the HelloRetryRequest tell it.
public struct TLSKeyExchange: EvidenceFacts {
    public static let kind = "tls.key-exchange"
    public static let version = 1

    /// What one handshake used: the suite and its (EC)DH parameters.
    public struct Used: Sendable, Codable, Equatable {
        public var suite: TLSOffer.Suite
        /// The named group of ECDHE (x25519, secp256r1…), or of a recognised DH prime.
        public var group: TLSOffer.Group?
        /// Finite-field DH only: the prime's size, and its name when it is one of RFC 7919's
        /// (ffdhe2048…) or RFC 3526's (modp2048…); nil name for a prime of the server's own.
        public var dhBits: Int?
        public var dhPrime: String?
        public init(suite: TLSOffer.Suite, group: TLSOffer.Group?, dhBits: Int?, dhPrime: String?) {
            self.suite = suite; self.group = group; self.dhBits = dhBits; self.dhPrime = dhPrime
        }
    }

    /// The server's own choice when offered every suite it accepts (TLS 1.2 or older).
    public var preferred: CheckResult<Used>
    /// A hello offering only the DHE suites the server accepts.
    public var dhe: CheckResult<Used>
    /// TLS 1.3 groups the server asks for by HelloRetryRequest, in its order of preference.
    public var tls13Groups: CheckResult<[TLSOffer.Group]>
    public var handshakes: Int

    public init(preferred: CheckResult<Used>, dhe: CheckResult<Used>, tls13Groups: CheckResult<[TLSOffer.Group]>, handshakes: Int) {
        self.preferred = preferred; self.dhe = dhe; self.tls13Groups = tls13Groups; self.handshakes = handshakes
    }
}

extension EvidenceCatalog {
    public static let tlsDepth = EvidenceCatalog([TLSVulnerabilities.self, TLSProtocolFeatures.self, TLSKeyExchange.self, TLSRobot.self])
}
