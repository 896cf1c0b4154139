import GovAuditCore

/// The server's plaintext flight up to ServerHelloDone, read record by record: the ServerHello
/// with its extensions and compression method, the ServerKeyExchange parameters, alerts and
/// heartbeat records. Pure functions over bytes, tested on constructed replies; the sockets are
/// `TLSConversation`'s.
public struct ServerFlight: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var type: UInt8
        public var body: [UInt8]
    }

    public struct Hello: Sendable, Equatable {
        /// The version chosen (supported_versions when present).
        public var version: TLSVersion?
        public var suite: UInt16
        public var compression: UInt8
        public var sessionIDLength: Int
        /// Extension type → data, as sent.
        public var extensions: [UInt16: [UInt8]]
        public var isHelloRetry: Bool
    }

    /// What the ServerKeyExchange says of the key exchange.
    public enum KeyExchange: Sendable, Equatable {
        /// Finite-field DH: the prime's size and its first 16 bytes (which tell RFC 7919 and
        /// RFC 3526 primes apart).
        case dh(primeBits: Int, primePrefix: [UInt8])
        /// A named curve (RFC 8422 curve_type 3).
        case ecdh(group: UInt16)
    }

    public var records: [Record] = []

    /// Splits complete records off `bytes`; what remains is an incomplete tail.
    public static func records(_ bytes: [UInt8]) -> (records: [Record], rest: Int) {
        var out: [Record] = [], i = 0
        while i + 5 <= bytes.count {
            let length = Int(bytes[i + 3]) << 8 | Int(bytes[i + 4])
            guard i + 5 + length <= bytes.count else { break }
            out.append(Record(type: bytes[i], body: Array(bytes[(i + 5)..<(i + 5 + length)])))
            i += 5 + length
        }
        return (out, bytes.count - i)
    }

    /// The handshake messages of the flight (type, body), reassembled across records; a message
    /// still incomplete is left out.
    public var handshakeMessages: [(type: UInt8, body: [UInt8])] {
        let stream = records.filter { $0.type == 0x16 }.flatMap(\.body)
        var out: [(UInt8, [UInt8])] = [], i = 0
        while i + 4 <= stream.count {
            let length = Int(stream[i + 1]) << 16 | Int(stream[i + 2]) << 8 | Int(stream[i + 3])
            guard i + 4 + length <= stream.count else { break }
            out.append((stream[i], Array(stream[(i + 4)..<(i + 4 + length)])))
            i += 4 + length
        }
        return out
    }

    /// The first alert (level, description), if any.
    public var alert: (level: UInt8, description: UInt8)? {
        guard let r = records.first(where: { $0.type == 0x15 }), r.body.count >= 2 else { return nil }
        return (r.body[0], r.body[1])
    }

    /// The server finished its plaintext flight: ServerHelloDone, a TLS 1.3 ServerHello or
    /// HelloRetryRequest (the rest is encrypted), or an alert.
    public var isComplete: Bool {
        alert != nil || handshakeMessages.contains { $0.type == 14 } || hello.map { $0.isHelloRetry || $0.version == .tls13 } == true
    }

    public var hello: Hello? { handshakeMessages.first { $0.type == 2 }.flatMap { Self.parseHello($0.body) } }

    public var keyExchange: KeyExchange? {
        guard let kex = hello.flatMap({ CipherSuite.named($0.suite)?.keyExchange }),
              let ske = handshakeMessages.first(where: { $0.type == 12 }) else { return nil }
        return Self.parseKeyExchange(ske.body, dh: kex.hasPrefix("DHE") || kex.hasPrefix("DH_anon"))
    }

    static func parseHello(_ b: [UInt8]) -> Hello? {
        guard b.count >= 38 else { return nil }
        let raw = UInt16(b[0]) << 8 | UInt16(b[1])
        let random = Array(b[2..<34])
        let sid = Int(b[34])
        var i = 35 + sid
        guard i + 3 <= b.count else { return nil }
        let suite = UInt16(b[i]) << 8 | UInt16(b[i + 1])
        let compression = b[i + 2]
        i += 3
        var extensions: [UInt16: [UInt8]] = [:]
        if i + 2 <= b.count {
            let end = min(b.count, i + 2 + (Int(b[i]) << 8 | Int(b[i + 1])))
            i += 2
            while i + 4 <= end {
                let type = UInt16(b[i]) << 8 | UInt16(b[i + 1]), len = Int(b[i + 2]) << 8 | Int(b[i + 3])
                guard i + 4 + len <= end else { return nil }
                extensions[type] = Array(b[(i + 4)..<(i + 4 + len)])
                i += 4 + len
            }
        }
        var version = TLSVersion(rawValue: raw)
        if let sv = extensions[0x002B], sv.count == 2 { version = TLSVersion(rawValue: UInt16(sv[0]) << 8 | UInt16(sv[1])) }
        return Hello(version: version, suite: suite, compression: compression, sessionIDLength: sid, extensions: extensions,
                     isHelloRetry: random == TLSHello.helloRetryRandom)
    }

    /// ServerDHParams (p, g, Ys) or ServerECDHParams (curve_type, named_curve, point).
    static func parseKeyExchange(_ b: [UInt8], dh: Bool) -> KeyExchange? {
        if dh {
            guard b.count >= 2 else { return nil }
            let length = Int(b[0]) << 8 | Int(b[1])
            guard length > 0, b.count >= 2 + length else { return nil }
            let prime = b[2..<(2 + length)].drop { $0 == 0 }
            guard let top = prime.first else { return nil }
            return .dh(primeBits: (prime.count - 1) * 8 + (8 - top.leadingZeroBitCount), primePrefix: Array(prime.prefix(16)))
        }
        guard b.count >= 3, b[0] == 3 else { return nil }
        return .ecdh(group: UInt16(b[1]) << 8 | UInt16(b[2]))
    }

    /// The first 16 bytes of every RFC 7919 prime (the bits of e after 64 ones) and of the
    /// RFC 2409/3526 MODP primes (the bits of π): which family a DH prime belongs to.
    public static let ffdhePrefix: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xAD, 0xF8, 0x54, 0x58, 0xA2, 0xBB, 0x4A, 0x9A]
    public static let modpPrefix: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34]

    /// ffdhe2048…ffdhe8192 (RFC 7919), modp1024… (RFC 2409/3526), or nil for a prime of the
    /// server's own.
    public static func namedPrime(bits: Int, prefix: [UInt8]) -> String? {
        if prefix == ffdhePrefix, [2048, 3072, 4096, 6144, 8192].contains(bits) { return "ffdhe\(bits)" }
        if prefix == modpPrefix, [768, 1024, 1536, 2048, 3072, 4096, 6144, 8192].contains(bits) { return "modp\(bits)" }
        return nil
    }
}
