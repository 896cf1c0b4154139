import GovAuditCore

/// Hand-built ClientHellos and the parsing of what comes back (ServerHello, HelloRetryRequest,
/// alert, or an SSLv2 ServerHello), as testssl.sh does: Debian's OpenSSL cannot even offer SSLv3,
/// RC4, DES or 3DES, so versions and suites are probed with bytes of our own. Pure functions over
/// bytes; `TLSProber` does the socket work.
public enum TLSHello {
    /// Named groups offered: x25519, secp256r1, secp384r1, secp521r1, x448, ffdhe2048.
    public static let defaultGroups: [UInt16] = [0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100]

    /// A ClientHello record offering exactly `version` (TLS 1.3 through supported_versions),
    /// padded out of 256–511 bytes (`ClientHelloSpec`); `keyShares` as there.
    public static func client(version: TLSVersion, suites: [UInt16], serverName: String?,
                              groups: [UInt16] = defaultGroups, keyShares: [UInt16]? = nil, random: [UInt8]) -> [UInt8] {
        var spec = ClientHelloSpec(version: version, suites: suites, serverName: serverName)
        spec.groups = groups
        spec.keyShares = keyShares
        return spec.bytes(random: random)
    }

    /// 32 random bytes for a hello's client random (and TLS 1.3 session id), by four draws of
    /// the system generator: one draw per byte cost 32 `getrandom` calls per hello.
    public static func clientRandom() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeMutableBytes { raw in
            for i in 0..<4 { raw.storeBytes(of: g.next() as UInt64, toByteOffset: i * 8, as: UInt64.self) }
        }
        return bytes
    }

    /// An SSLv2 CLIENT-HELLO offering the seven SSLv2 cipher kinds.
    public static func clientSSLv2(random: [UInt8]) -> [UInt8] {
        let kinds: [[UInt8]] = [[0x01, 0x00, 0x80], [0x02, 0x00, 0x80], [0x03, 0x00, 0x80], [0x04, 0x00, 0x80],
                                [0x05, 0x00, 0x80], [0x06, 0x00, 0x40], [0x07, 0x00, 0xC0]]
        let challenge = Array(random.prefix(16))
        let body: [UInt8] = [1] + u16(0x0002) + u16(UInt16(kinds.count * 3)) + u16(0) + u16(UInt16(challenge.count))
            + kinds.flatMap { $0 } + challenge
        return [0x80 | UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// What the server said to a ClientHello.
    public enum Reply: Equatable, Sendable {
        case serverHello(version: TLSVersion?, rawVersion: UInt16, suite: UInt16)
        /// TLS 1.3 HelloRetryRequest: the version and suite are accepted, the key share is not.
        case helloRetry(suite: UInt16)
        case alert(level: UInt8, description: UInt8)
        case sslv2ServerHello(cipherKinds: Int)
        /// Bytes that are none of the above (an HTTP server answering TLS, say).
        case unexpected
    }

    static let helloRetryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C]

    /// How many bytes the first message needs, once `prefix` holds its header; nil when unknown yet.
    public static func neededLength(_ prefix: [UInt8]) -> Int? {
        guard prefix.count >= 2 else { return nil }
        if prefix[0] & 0x80 != 0 { return 2 + Int(prefix[0] & 0x7F) << 8 + Int(prefix[1]) }   // SSLv2 record
        guard prefix.count >= 5 else { return nil }
        return 5 + Int(prefix[3]) << 8 + Int(prefix[4])
    }

    /// The largest TLS record (RFC 8446 §5.2: 2^14 bytes plus 2,048 of expansion at most).
    static let maxRecordLength = 16_384 + 2_048

    /// Why the bytes received so far cannot begin a TLS record or an SSLv2 message; nil while
    /// they still can (or are too few to tell).
    public static func framingProblem(_ prefix: [UInt8]) -> TLSProber.Malformation? {
        guard let first = prefix.first, first & 0x80 == 0 else { return nil }     // empty, or SSLv2 framing
        guard (0x14...0x17).contains(first), prefix.count < 2 || prefix[1] == 0x03 else {
            return .notTLS(Array(prefix.prefix(8)))
        }
        guard prefix.count >= 5 else { return nil }
        let length = Int(prefix[3]) << 8 | Int(prefix[4])
        return length > maxRecordLength ? .oversized(length: length) : nil
    }

    /// Parses the first record of the server's reply.
    public static func parse(_ b: [UInt8]) -> Reply {
        guard b.count >= 2 else { return .unexpected }
        if b[0] & 0x80 != 0 {
            // SSLv2: header(2) type(1)=4 hit(1) certType(1) version(2) certLen(2) specsLen(2) connIdLen(2)
            guard b.count >= 13, b[2] == 4 else { return .unexpected }
            let specs = Int(b[9]) << 8 | Int(b[10])
            return .sslv2ServerHello(cipherKinds: specs / 3)
        }
        guard b.count >= 7 else { return .unexpected }
        switch b[0] {
        case 0x15: return .alert(level: b[5], description: b[6])
        case 0x16:
            guard b.count >= 5 + 4 + 2 + 32 + 1, b[5] == 2 else { return .unexpected }
            var i = 9
            let raw = UInt16(b[i]) << 8 | UInt16(b[i + 1])
            let random = Array(b[(i + 2)..<(i + 34)])
            i += 34
            let sid = Int(b[i])
            i += 1 + sid
            guard i + 3 <= b.count else { return .unexpected }
            let suite = UInt16(b[i]) << 8 | UInt16(b[i + 1])
            i += 3
            var version = TLSVersion(rawValue: raw)
            if i + 2 <= b.count {
                let end = min(b.count, i + 2 + (Int(b[i]) << 8 | Int(b[i + 1])))
                i += 2
                while i + 4 <= end {
                    let type = UInt16(b[i]) << 8 | UInt16(b[i + 1]), len = Int(b[i + 2]) << 8 | Int(b[i + 3])
                    if type == 0x002B, len == 2, i + 6 <= b.count { version = TLSVersion(rawValue: UInt16(b[i + 4]) << 8 | UInt16(b[i + 5])) }
                    i += 4 + len
                }
            }
            if random == helloRetryRandom { return .helloRetry(suite: suite) }
            return .serverHello(version: version, rawVersion: raw, suite: suite)
        default: return .unexpected
        }
    }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func u24(_ v: Int) -> [UInt8] { [UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func extensionBlock(_ type: UInt16, _ data: [UInt8]) -> [UInt8] { u16(type) + u16(UInt16(data.count)) + data }
}
