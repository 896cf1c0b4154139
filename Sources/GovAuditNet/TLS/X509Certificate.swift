import COpenSSLShim
import Foundation

/// One certificate from its DER bytes, as OpenSSL reads it: names, validity, key, signature,
/// fingerprint and the extensions the TLS rules read. No I/O.
public struct X509Certificate: Sendable, Equatable {
    public var der: [UInt8]
    public var subjectCN, subject, issuerCN, issuer: String
    public var notBefore, notAfter: Date
    public var keyType: String
    public var keyBits: Int
    public var signature: String
    /// SHA-256 of the DER bytes, lowercase hex.
    public var sha256: String
    public var selfSigned, isCA, mustStaple: Bool
    /// SCTs embedded; nil when the extension is there but does not parse.
    public var embeddedSCTs: Int?
    public var dnsNames: [String]
    public var ipAddresses: [String]

    /// Nil when the bytes are no certificate.
    public init?(der: [UInt8]) {
        var info = ga_x509_info()
        // One parse gives the fields and the names; a certificate with more names than fit is
        // asked again for all of them.
        var names = [CChar](repeating: 0, count: 2048)
        let described = der.withUnsafeBufferPointer { d in
            names.withUnsafeMutableBufferPointer { ga_x509_describe(d.baseAddress, d.count, &info, $0.baseAddress, $0.count) }
        }
        guard described == 1 else { return nil }
        self.der = der
        subjectCN = CText.string(&info.subject_cn)
        subject = CText.string(&info.subject)
        issuerCN = CText.string(&info.issuer_cn)
        issuer = CText.string(&info.issuer)
        notBefore = Date(timeIntervalSince1970: TimeInterval(info.not_before))
        notAfter = Date(timeIntervalSince1970: TimeInterval(info.not_after))
        keyType = CText.string(&info.key_type)
        keyBits = Int(info.key_bits)
        signature = CText.string(&info.signature)
        sha256 = withUnsafeBytes(of: &info.sha256) { Digest.hex($0) }
        selfSigned = info.self_signed == 1
        isCA = info.is_ca == 1
        mustStaple = info.must_staple == 1
        embeddedSCTs = info.embedded_scts < 0 ? nil : Int(info.embedded_scts)
        let all = info.names_need <= names.count ? Self.entries(names.prefix(info.names_need)) : Self.altNames(der)
        dnsNames = all.compactMap { $0.hasPrefix("DNS:") ? String($0.dropFirst(4)) : nil }
        ipAddresses = all.compactMap { $0.hasPrefix("IP:") ? String($0.dropFirst(3)) : nil }
    }

    /// Whether OpenSSL decoded the key by its built-in method, not its slow provider decoders
    /// (ga_legacy_keys.c): what keeps certificate parsing cheap. For the tests.
    var keyDecodedByBuiltinMethod: Bool {
        der.withUnsafeBufferPointer { ga_x509_key_decoded_builtin($0.baseAddress, $0.count) } == 1
    }

    /// "DNS:…" and "IP:…" entries, all of them (the shim says how many bytes they need).
    private static func altNames(_ der: [UInt8]) -> [String] {
        der.withUnsafeBufferPointer { d in
            let need = ga_x509_alt_names(d.baseAddress, d.count, nil, 0)
            guard need > 0 else { return [] }
            var buffer = [CChar](repeating: 0, count: need)
            _ = buffer.withUnsafeMutableBufferPointer { ga_x509_alt_names(d.baseAddress, d.count, $0.baseAddress, need) }
            return entries(buffer[...])
        }
    }

    /// NUL-terminated entries as strings.
    private static func entries(_ bytes: ArraySlice<CChar>) -> [String] {
        bytes.split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    }

    /// Whether the certificate names `host` as browsers check it: subject alternative names only
    /// (no common-name fallback), wildcards only as a whole left-most label, IP literals only
    /// against IP-address names.
    public func matches(host: String) -> Bool {
        der.withUnsafeBufferPointer { ga_x509_matches_host($0.baseAddress, $0.count, host) } == 1
    }
}

/// A stapled OCSP response as read (RFC 6960), its signature not checked.
public struct OCSPResponse: Sendable, Equatable {
    public enum CertStatus: String, Sendable { case good, revoked, unknown }
    /// successful, malformedRequest…; "unparseable" when the bytes are no OCSP response.
    public var responseStatus: String
    public var certStatus: CertStatus?
    /// Whether the single response read is the leaf's; nil when no issuer was given to tell.
    public var matchesLeaf: Bool?
    public var producedAt, thisUpdate, nextUpdate, revokedAt: Date?

    static let statusNames = ["successful", "malformedRequest", "internalError", "tryLater", "4", "sigRequired", "unauthorized"]

    public init(der: [UInt8], leaf: X509Certificate?, issuer: X509Certificate?) {
        var info = ga_ocsp_info()
        let l = leaf?.der ?? [], i = issuer?.der ?? []
        der.withUnsafeBufferPointer { d in
            l.withUnsafeBufferPointer { lp in
                i.withUnsafeBufferPointer { ip in
                    ga_ocsp_describe(d.baseAddress, d.count, lp.baseAddress, lp.count, ip.baseAddress, ip.count, &info)
                }
            }
        }
        let code = Int(info.response_status)
        responseStatus = code < 0 ? "unparseable" : code < Self.statusNames.count ? Self.statusNames[code] : String(code)
        certStatus = switch info.cert_status { case 0: .good; case 1: .revoked; case 2: .unknown; default: nil }
        matchesLeaf = info.matches_leaf < 0 ? nil : info.matches_leaf == 1
        func time(_ t: Int64) -> Date? { t == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(t)) }
        producedAt = time(info.produced_at)
        thisUpdate = time(info.this_update)
        nextUpdate = time(info.next_update)
        revokedAt = time(info.revoked_at)
    }
}
