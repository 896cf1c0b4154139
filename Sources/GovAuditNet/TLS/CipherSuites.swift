import GovAuditCore

/// TLS cipher suites by IANA code point and name: what the prober offers (every assigned code
/// point, from Tools/iana/tls-cipher-suites.csv). What a name says of
/// the suite (key exchange, weak algorithms, forward secrecy) is `CipherSuiteTraits`, read by the
/// rules. A test checks every code point OpenSSL also knows against OpenSSL's IANA name.
public struct CipherSuite: Sendable, Hashable {
    public let code: UInt16
    public let name: String

    let versions: IANACipherSuites.Versions

    /// TLS 1.3 suites (TLS_AES_…, TLS_CHACHA20_…, TLS_SM4_…) carry no key exchange in their name.
    public var isTLS13: Bool { versions == .tls13Only }

    /// What the name says: key exchange (RSA, DHE_RSA, ECDHE_ECDSA…) and algorithm properties.
    public var traits: CipherSuiteTraits { CipherSuiteTraits.of(name) }

    public var keyExchange: String { traits.keyExchange }

    /// Which protocol versions may negotiate it, as the registry's table says (SHA-256/384
    /// MACs, GCM, CCM, ChaCha20 and GOST came with TLS 1.2).
    public func usable(with version: TLSVersion) -> Bool {
        switch versions {
        case .tls13Only: version == .tls13
        case .tls12Only: version == .tls12
        case .anyLegacy: version >= .sslv3 && version <= .tls12
        case .never: false
        }
    }

    /// Every suite a hello may offer: the whole IANA registry (Tools/iana), signalling values aside.
    public static let all: [CipherSuite] = registry.filter { $0.versions != .never }
    /// By code point, the signalling values (TLS_FALLBACK_SCSV…) included.
    public static func named(_ code: UInt16) -> CipherSuite? { byCode[code] }
    private static let registry = IANACipherSuites.table.map { CipherSuite(code: $0.code, name: $0.name, versions: $0.versions) }
    private static let byCode = Dictionary(uniqueKeysWithValues: registry.map { ($0.code, $0) })
}
