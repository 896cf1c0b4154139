// Evidence of the TLS and HTTPS probe (Sources/GovAuditProbes/TLS), read by the tls and https rules.

/// Protocol versions and cipher suites, from hand-built ClientHellos.
public struct TLSOffer: EvidenceFacts {
    public static let kind = "tls.offer"
    public static let version = 1
    /// SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 — those the server accepted.
    public var protocols: [String]
    /// Per protocol, the IANA names of the suites accepted, in the server's order of choice.
    public var suites: [String: [String]]
    /// Per protocol (TLS 1.2 and below), whether the server imposes its own order.
    public var serverOrder: [String: Bool]
    /// Named groups accepted for ECDHE with TLS 1.2 (x25519, secp256r1…).
    public var groups: [String]
    /// Suites that are weak (export, anonymous, NULL, RC4, DES, 3DES), with why.
    public var weakSuites: [String: String]
    /// all, some or none of the accepted suites have forward secrecy.
    public var forwardSecrecy: String
    public var handshakes: Int

    public init(protocols: [String], suites: [String: [String]], serverOrder: [String: Bool], groups: [String],
                weakSuites: [String: String], forwardSecrecy: String, handshakes: Int) {
        self.protocols = protocols; self.suites = suites; self.serverOrder = serverOrder; self.groups = groups
        self.weakSuites = weakSuites; self.forwardSecrecy = forwardSecrecy; self.handshakes = handshakes
    }
}

/// The certificate as sent, and how it verifies.
public struct TLSCertificate: EvidenceFacts {
    public static let kind = "tls.certificate"
    public static let version = 1

    /// One certificate of the chain as the server sent it.
    public struct ChainEntry: Sendable, Codable, Equatable {
        public var subject: String
        public var issuer: String
        public var notBefore: String
        public var notAfter: String
        public var keyType: String
        public var keyBits: Int
        public var signature: String
        public init(subject: String, issuer: String, notBefore: String, notAfter: String, keyType: String, keyBits: Int, signature: String) {
            self.subject = subject; self.issuer = issuer; self.notBefore = notBefore; self.notAfter = notAfter
            self.keyType = keyType; self.keyBits = keyBits; self.signature = signature
        }
    }

    /// Every certificate as sent, leaf first.
    public var chain: [ChainEntry] = []
    public var subject: String
    public var subjectAltNames: [String]
    public var issuer: String
    public var notBefore: String
    public var notAfter: String
    /// Days from the scan's day to notAfter; negative once expired.
    public var daysLeft: Int
    public var keyType: String
    public var keyBits: Int
    public var signature: String
    public var selfSigned: Bool
    public var chainLength: Int
    /// The chain verifies to a trusted root (system store plus --ca-file), hostname aside.
    public var trusted: Bool
    /// OpenSSL's verification error when not trusted.
    public var verifyError: String?
    public var chainComplete: Bool
    public var hostnameMatches: Bool
    public var ocspStapled: Bool
    /// The certificate a client without SNI receives, when it differs.
    public var withoutSNISubject: String?
    public var withoutSNIHostnameMatches: Bool?

    public init(subject: String, subjectAltNames: [String], issuer: String, notBefore: String, notAfter: String, daysLeft: Int,
                keyType: String, keyBits: Int, signature: String, selfSigned: Bool, chainLength: Int, trusted: Bool,
                verifyError: String?, chainComplete: Bool, hostnameMatches: Bool, ocspStapled: Bool,
                withoutSNISubject: String?, withoutSNIHostnameMatches: Bool?) {
        self.subject = subject; self.subjectAltNames = subjectAltNames; self.issuer = issuer; self.notBefore = notBefore
        self.notAfter = notAfter; self.daysLeft = daysLeft; self.keyType = keyType; self.keyBits = keyBits
        self.signature = signature; self.selfSigned = selfSigned; self.chainLength = chainLength; self.trusted = trusted
        self.verifyError = verifyError; self.chainComplete = chainComplete; self.hostnameMatches = hostnameMatches
        self.ocspStapled = ocspStapled; self.withoutSNISubject = withoutSNISubject; self.withoutSNIHostnameMatches = withoutSNIHostnameMatches
    }
}

/// The HTTP side: the plain-HTTP redirect, Strict-Transport-Security (RFC 6797), security headers.
public struct HTTPSFacts: EvidenceFacts {
    public static let kind = "https.headers"
    public static let version = 1
    /// Status of the first answer on http://, and where it points.
    public var httpStatus: Int?
    public var httpLocation: String?
    /// The first hop goes to https:// on the same host.
    public var redirectsToHTTPS: Bool
    /// The Strict-Transport-Security header received over HTTPS, as sent.
    public var strictTransportSecurity: String?
    public var hstsMaxAge: Int?
    public var hstsIncludeSubDomains: Bool
    public var hstsPreload: Bool
    /// HSTS sent over plain HTTP (RFC 6797 §8.1: browsers ignore it there).
    public var hstsOverHTTP: Bool
    /// Security headers present over HTTPS, lower case.
    public var securityHeaders: [String]
    /// The Server header, when it names a version.
    public var versionBanner: String?

    public init(httpStatus: Int?, httpLocation: String?, redirectsToHTTPS: Bool, strictTransportSecurity: String?,
                hstsMaxAge: Int?, hstsIncludeSubDomains: Bool, hstsPreload: Bool, hstsOverHTTP: Bool,
                securityHeaders: [String], versionBanner: String?) {
        self.httpStatus = httpStatus; self.httpLocation = httpLocation; self.redirectsToHTTPS = redirectsToHTTPS
        self.strictTransportSecurity = strictTransportSecurity; self.hstsMaxAge = hstsMaxAge
        self.hstsIncludeSubDomains = hstsIncludeSubDomains; self.hstsPreload = hstsPreload; self.hstsOverHTTP = hstsOverHTTP
        self.securityHeaders = securityHeaders; self.versionBanner = versionBanner
    }

    /// RFC 6797 §6.1: directives separated by ';', names case-insensitive, max-age required.
    public static func parseHSTS(_ value: String) -> (maxAge: Int?, includeSubDomains: Bool, preload: Bool) {
        var maxAge: Int?, sub = false, preload = false
        for directive in value.split(separator: ";") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            switch parts.first?.lowercased() {
            case "max-age": maxAge = parts.count == 2 ? Int(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))) : nil
            case "includesubdomains": sub = true
            case "preload": preload = true
            default: break
            }
        }
        return (maxAge, sub, preload)
    }
}

extension EvidenceCatalog {
    public static let tls = EvidenceCatalog([TLSOffer.self, TLSCertificate.self, HTTPSFacts.self])
}

import Foundation
