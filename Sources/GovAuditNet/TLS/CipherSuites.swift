import GovAuditCore

/// TLS cipher suites by IANA code point and name: what the prober offers. What a name says of
/// the suite (key exchange, weak algorithms, forward secrecy) is `CipherSuiteTraits`, read by the
/// rules. A test checks every code point OpenSSL also knows against OpenSSL's IANA name.
public struct CipherSuite: Sendable, Hashable {
    public let code: UInt16
    public let name: String

    /// TLS 1.3 suites (TLS_AES_…, TLS_CHACHA20_…) carry no key exchange in their name.
    public var isTLS13: Bool { code >> 8 == 0x13 }

    /// What the name says: key exchange (RSA, DHE_RSA, ECDHE_ECDSA…) and algorithm properties.
    public var traits: CipherSuiteTraits { CipherSuiteTraits(name: name) }

    public var keyExchange: String { traits.keyExchange }

    /// Which protocol versions may negotiate it (SSLv3 … TLS 1.2 for classic suites).
    public func usable(with version: TLSVersion) -> Bool {
        if isTLS13 { return version == .tls13 }
        if version == .tls13 || version == .sslv2 { return false }
        // SHA-256/384 MACs, GCM, CCM and ChaCha20 came with TLS 1.2.
        let tls12Only = name.hasSuffix("_SHA256") || name.hasSuffix("_SHA384") || name.contains("GCM") || name.contains("CCM")
            || name.contains("CHACHA20")
        return !tls12Only || version == .tls12
    }

    public static let all: [CipherSuite] = table.map { CipherSuite(code: $0.0, name: $0.1) }
    public static func named(_ code: UInt16) -> CipherSuite? { byCode[code] }
    private static let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    private static let table: [(UInt16, String)] = [
        (0x1301, "TLS_AES_128_GCM_SHA256"), (0x1302, "TLS_AES_256_GCM_SHA384"), (0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
        (0x1304, "TLS_AES_128_CCM_SHA256"), (0x1305, "TLS_AES_128_CCM_8_SHA256"),
        (0x0001, "TLS_RSA_WITH_NULL_MD5"), (0x0002, "TLS_RSA_WITH_NULL_SHA"), (0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
        (0x0004, "TLS_RSA_WITH_RC4_128_MD5"), (0x0005, "TLS_RSA_WITH_RC4_128_SHA"), (0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"),
        (0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"), (0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"), (0x0009, "TLS_RSA_WITH_DES_CBC_SHA"),
        (0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"), (0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"),
        (0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"), (0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"),
        (0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"), (0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"),
        (0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"), (0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"),
        (0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"), (0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA"), (0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"),
        (0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"), (0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"),
        (0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"), (0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
        (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"), (0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"),
        (0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"), (0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"),
        (0x003B, "TLS_RSA_WITH_NULL_SHA256"), (0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"), (0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
        (0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"), (0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"),
        (0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA"), (0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"),
        (0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"), (0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"),
        (0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"), (0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"),
        (0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA"), (0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"),
        (0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"), (0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
        (0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"), (0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
        (0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"), (0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"),
        (0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"), (0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256"),
        (0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"), (0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256"),
        (0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256"),
        (0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA"), (0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA"),
        (0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"), (0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"),
        (0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"), (0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
        (0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"), (0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
        (0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"), (0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA"),
        (0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA"), (0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"),
        (0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"), (0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
        (0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"), (0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
        (0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), (0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
        (0xC015, "TLS_ECDH_anon_WITH_NULL_SHA"), (0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA"),
        (0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"), (0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"),
        (0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"), (0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
        (0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"), (0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
        (0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"), (0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        (0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), (0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        (0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), (0xC09C, "TLS_RSA_WITH_AES_128_CCM"),
        (0xC09D, "TLS_RSA_WITH_AES_256_CCM"), (0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM"), (0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM"),
        (0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8"), (0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8"),
        (0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"), (0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"),
        (0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"), (0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
        (0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"), (0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
        (0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"), (0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
        (0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    ]
}
