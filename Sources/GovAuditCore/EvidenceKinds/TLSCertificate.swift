// The certificate side of the TLS probe: every certificate as sent, how OpenSSL verified the
// chain, the stapled OCSP response as read. Facts only: which key is too short, which
// signature is weak, how long a lifespan may be, is the tls rules' (policy parameters).

/// The certificates one full handshake received, and how OpenSSL verified them.
public struct TLSCertificate: EvidenceFacts {
    public static let kind = "tls.certificate"
    /// 2: validity as timestamps (no days left), the verify result code, the no-SNI handshake
    /// with its own outcome; "trusted" and "complete" left to the rules.
    /// 3: every certificate described (names, fingerprint, self-signed from its own signature,
    /// CA flag, Must-Staple, embedded SCTs); IP-address names; the host checked as browsers do;
    /// the path verified at level 0 and at OpenSSL's default level; the stapled OCSP response
    /// parsed; SCTs counted; the certificates served for the other key type.
    public static let version = 3

    /// One certificate of the chain as the server sent it.
    public struct ChainEntry: Sendable, Codable, Equatable {
        /// Common names of the subject and the issuer (what people read).
        public var subject: String
        public var issuer: String
        public var notBefore: Timestamp
        public var notAfter: Timestamp
        /// RSA, EC, Ed25519… and the key's size in bits.
        public var keyType: String
        public var keyBits: Int
        /// OpenSSL's long name of the signature algorithm (sha256WithRSAEncryption…).
        public var signature: String
        /// Subject and issuer in RFC 2253 form: what chain order is read from.
        public var subjectName: String
        public var issuerName: String
        /// SHA-256 of the DER bytes, lowercase hex.
        public var sha256: String
        /// Same subject and issuer, and its own key verifies its signature.
        public var selfSigned: Bool
        public var isCA: Bool
        /// The TLS feature extension asks for a stapled OCSP response (RFC 7633).
        public var mustStaple: Bool
        /// SCTs embedded in the certificate (RFC 6962 §3.3); nil when the extension does not parse.
        public var embeddedSCTs: Int?

        public init(subject: String, issuer: String, notBefore: Timestamp, notAfter: Timestamp, keyType: String, keyBits: Int,
                    signature: String, subjectName: String = "", issuerName: String = "", sha256: String = "",
                    selfSigned: Bool = false, isCA: Bool = false, mustStaple: Bool = false, embeddedSCTs: Int? = 0) {
            self.subject = subject; self.issuer = issuer; self.notBefore = notBefore; self.notAfter = notAfter
            self.keyType = keyType; self.keyBits = keyBits; self.signature = signature
            self.subjectName = subjectName; self.issuerName = issuerName; self.sha256 = sha256
            self.selfSigned = selfSigned; self.isCA = isCA; self.mustStaple = mustStaple; self.embeddedSCTs = embeddedSCTs
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

    /// OpenSSL's X509_V_* result for the chain as sent (0 = verifies), hostname aside, and its text.
    public struct Verification: Sendable, Codable, Equatable {
        public var result: Int
        public var error: String
        /// The security level the verification ran at (OpenSSL's: 0 checks no key or digest size).
        public var securityLevel: Int
        public init(result: Int, error: String, securityLevel: Int) {
            self.result = result; self.error = error; self.securityLevel = securityLevel
        }
    }

    /// The stapled OCSP response as read (RFC 6960), its signature not checked.
    public struct StapledOCSP: Sendable, Codable, Equatable {
        /// successful, malformedRequest, internalError, tryLater, sigRequired, unauthorized; or
        /// unparseable when the bytes are no OCSP response.
        public var responseStatus: String
        /// good, revoked or unknown; nil when the response holds no single response.
        public var certStatus: String?
        /// Whether that single response is for the leaf; nil when the issuer was not sent to tell.
        public var matchesLeaf: Bool?
        public var producedAt: Timestamp?
        public var thisUpdate: Timestamp?
        public var nextUpdate: Timestamp?
        public var revokedAt: Timestamp?
        public init(responseStatus: String, certStatus: String?, matchesLeaf: Bool?, producedAt: Timestamp?, thisUpdate: Timestamp?,
                    nextUpdate: Timestamp?, revokedAt: Timestamp?) {
            self.responseStatus = responseStatus; self.certStatus = certStatus; self.matchesLeaf = matchesLeaf
            self.producedAt = producedAt; self.thisUpdate = thisUpdate; self.nextUpdate = nextUpdate; self.revokedAt = revokedAt
        }
    }

    /// The certificates a client offering only another key type's algorithms receives (a host
    /// serving RSA and ECDSA certificates side by side), when they differ from the first leaf.
    public struct OtherKeyType: Sendable, Codable, Equatable {
        public var chain: [ChainEntry]
        public var verifyResult: Int
        public var verifyError: String
        public var hostnameMatches: Bool
        public init(chain: [ChainEntry], verifyResult: Int, verifyError: String, hostnameMatches: Bool) {
            self.chain = chain; self.verifyResult = verifyResult; self.verifyError = verifyError; self.hostnameMatches = hostnameMatches
        }
    }

    /// Every certificate as sent, leaf first.
    public var chain: [ChainEntry]
    public var subject: String
    /// DNS names among the subject alternative names.
    public var subjectAltNames: [String]
    /// IP-address names among them (what an IP-literal endpoint is matched against).
    public var ipAddresses: [String]
    /// The issuer in RFC 2253 form.
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
    /// The SNI sent; nil for an IP-literal endpoint (RFC 6066 §3 forbids literal addresses).
    public var serverName: String?
    /// Whether the chain leads to a trusted root, at security level 0 (no size checks: weak keys
    /// and digests are the rules' to judge, every certificate of them).
    public var verifyResult: Int
    public var verifyError: String
    /// The same chain verified at OpenSSL's default security level: what a stock client says.
    public var defaultLevel: Verification
    /// The leaf names the host as browsers check it: SAN only, whole-label wildcards, IP names
    /// for IP literals.
    public var hostnameMatches: Bool
    /// The stapled OCSP response; nil when the server stapled none.
    public var ocsp: StapledOCSP?
    /// SCTs received by any route (TLS extension, stapled OCSP, the certificate).
    public var signedCertificateTimestamps: Int
    public var otherKeyTypes: [OtherKeyType]
    public var withoutSNI: WithoutSNI

    public init(chain: [ChainEntry], subject: String, subjectAltNames: [String], ipAddresses: [String] = [], issuer: String,
                notBefore: Timestamp, notAfter: Timestamp, keyType: String, keyBits: Int, signature: String, selfSigned: Bool,
                chainLength: Int, serverName: String? = nil, verifyResult: Int, verifyError: String,
                defaultLevel: Verification? = nil, hostnameMatches: Bool, ocsp: StapledOCSP? = nil,
                signedCertificateTimestamps: Int = 0, otherKeyTypes: [OtherKeyType] = [], withoutSNI: WithoutSNI) {
        self.chain = chain; self.subject = subject; self.subjectAltNames = subjectAltNames; self.ipAddresses = ipAddresses
        self.issuer = issuer; self.notBefore = notBefore; self.notAfter = notAfter; self.keyType = keyType; self.keyBits = keyBits
        self.signature = signature; self.selfSigned = selfSigned; self.chainLength = chainLength; self.serverName = serverName
        self.verifyResult = verifyResult; self.verifyError = verifyError
        self.defaultLevel = defaultLevel ?? Verification(result: verifyResult, error: verifyError, securityLevel: 0)
        self.hostnameMatches = hostnameMatches; self.ocsp = ocsp; self.signedCertificateTimestamps = signedCertificateTimestamps
        self.otherKeyTypes = otherKeyTypes; self.withoutSNI = withoutSNI
    }

    /// The chain verifies to a trusted root (X509_V_OK).
    public var verifies: Bool { verifyResult == 0 }

    /// A stapled response that reads as a successful OCSP response (any bytes are not a staple).
    public var ocspStapled: Bool { ocsp?.responseStatus == "successful" }

    /// Days from `asOf` to the day (in Viet Nam) the certificate expires; negative once expired.
    public func daysLeft(asOf: CalendarDate) -> Int { asOf.days(until: notAfter.vietnamDay) }
}
