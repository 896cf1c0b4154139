import Foundation

/// What an IANA cipher-suite name says of the suite: its key exchange and the algorithms it
/// names, as property words. A fact table about IANA's registry, read from the name (one rule,
/// no hand-kept columns); which properties make a suite weak is the policy's
/// (`tls.weak-suites`' `weakProperties`).
public struct CipherSuiteTraits: Sendable, Equatable {
    /// RSA, DHE_RSA, ECDHE_ECDSA, RSA_EXPORT, DH_anon…; ECDHE for TLS 1.3 suites, which name none.
    public var keyExchange: String
    /// export, anonymous, null, rc4, des, 3des, rc2, idea, cbc, aead, forward-secrecy.
    public var properties: Set<String>

    public init(name: String) {
        let tls13 = !name.contains("_WITH_")
        if tls13 {
            keyExchange = "ECDHE"
        } else {
            let body = name.hasPrefix("TLS_") ? name.dropFirst(4) : name[...]
            keyExchange = String(body[..<(body.range(of: "_WITH_")?.lowerBound ?? body.endIndex)])
        }
        var p = Set<String>()
        if name.contains("EXPORT") { p.insert("export") }
        if keyExchange.contains("anon") { p.insert("anonymous") }
        // TLS_SHA256_SHA256 and TLS_SHA384_SHA384 (RFC 9150): TLS 1.3 integrity without encryption.
        let integrityOnly = name == "TLS_SHA256_SHA256" || name == "TLS_SHA384_SHA384"
        if name.contains("_WITH_NULL_") || integrityOnly { p.insert("null") }
        if name.contains("RC4") { p.insert("rc4") }
        if name.contains("3DES") { p.insert("3des") }
        if name.contains("_DES_") || name.contains("DES40") { p.insert("des") }
        if name.contains("RC2") { p.insert("rc2") }
        if name.contains("IDEA") { p.insert("idea") }
        if name.contains("_CBC_") { p.insert("cbc") }
        // Authenticated encryption: GCM, CCM, ChaCha20-Poly1305 (TLS 1.3 suites are all AEAD).
        if (tls13 && !integrityOnly) || name.contains("_GCM_") || name.contains("_CCM") || name.contains("POLY1305") || name.contains("_MGM_") {
            p.insert("aead")
        }
        if tls13 || keyExchange.hasPrefix("DHE") || keyExchange.hasPrefix("ECDHE") { p.insert("forward-secrecy") }
        properties = p
    }

    public var forwardSecrecy: Bool { properties.contains("forward-secrecy") }
}

extension CipherSuiteTraits {
    /// `init(name:)`, remembered per name: the rules read the same few dozen names for every
    /// endpoint of a scan (twice: when judged and when reported), and each reading is a dozen
    /// substring searches. Names outside the memo's bound are read afresh.
    public static func of(_ name: String) -> CipherSuiteTraits {
        if let known = memo.lock.withLock({ memo.traits[name] }) { return known }
        let traits = CipherSuiteTraits(name: name)
        memo.lock.withLock { if memo.traits.count < Memo.bound { memo.traits[name] = traits } }
        return traits
    }

    private final class Memo: @unchecked Sendable {
        /// The IANA registry holds about 350 names; anything beyond is not worth keeping.
        static let bound = 4_096
        let lock = NSLock()
        var traits: [String: CipherSuiteTraits] = [:]
    }

    private static let memo = Memo()
}
