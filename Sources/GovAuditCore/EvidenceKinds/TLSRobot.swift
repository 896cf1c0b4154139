// Evidence of the ROBOT check (Sources/GovAuditNet/TLS/TLSRobotProber.swift): what the server
// answered to each deliberately malformed RSA key exchange. Whether the answers make an oracle
// is the tls.robot rules' to say (Sources/GovAuditPolicy/Rules/TLSRobotRules.swift).

/// ROBOT (Return Of Bleichenbacher's Oracle Threat, CVE-2017-13099 and its kin): with a suite
/// of RSA key exchange (TLS_RSA_WITH_*), one connection per premaster-secret block, each
/// encrypted with the server's RSA key and sent as ClientKeyExchange, then ChangeCipherSpec and
/// a Finished the server cannot decrypt. A server that answers the blocks differently tells an
/// attacker which ciphertexts are well padded: Bleichenbacher's oracle.
public struct TLSRobot: EvidenceFacts {
    public static let kind = "tls.robot"
    public static let version = 1

    /// The premaster-secret block (RFC 8017 §7.2.1, EME-PKCS1-v1_5) each connection sends: one
    /// well formed, four malformed in the ways the peers (sslyze, testssl.sh) try.
    public enum Variant: String, Sendable, Codable, CaseIterable {
        /// 00 02, non-zero padding, 00, the hello's version, 46 bytes.
        case correct
        /// Anything but 00 02 first.
        case wrongFirstBytes = "wrong-first-bytes"
        /// The 00 separator two bytes before the end: a one-byte premaster secret.
        case zeroMisplaced = "zero-misplaced"
        /// No 00 after the padding at all.
        case noZeroSeparator = "no-zero-separator"
        /// Well padded, but the premaster secret starts with version 02 02.
        case wrongVersion = "wrong-version"
    }

    /// What the server did after the ClientKeyExchange, ChangeCipherSpec and Finished.
    public struct Response: Sendable, Codable, Equatable, Hashable {
        public enum End: String, Sendable, Codable {
            /// An alert came (its level and description below).
            case alert
            /// The server closed the connection without an alert (TCP FIN).
            case closed
            /// The server reset the connection (TCP RST).
            case reset
            /// Nothing came within the round's wait.
            case silent
            /// Other records came (`recordTypes`): the server carried on with the handshake.
            case records
        }

        public var end: End
        /// Present for `alert`: the first alert's level (1 warning, 2 fatal) and description.
        public var alertLevel: Int?
        public var alertDescription: Int?
        /// Present for `records`: the content types received, in order.
        public var recordTypes: [Int]?

        public init(end: End, alertLevel: Int? = nil, alertDescription: Int? = nil, recordTypes: [Int]? = nil) {
            self.end = end; self.alertLevel = alertLevel; self.alertDescription = alertDescription; self.recordTypes = recordTypes
        }
    }

    public struct Answer: Sendable, Codable, Equatable {
        public var variant: Variant
        public var response: Response
        public init(variant: Variant, response: Response) { self.variant = variant; self.response = response }
    }

    /// Every variant once, in `Variant.allCases` order, one connection each.
    public struct Round: Sendable, Codable, Equatable {
        /// How long a silent server was waited for after the Finished.
        public var waitMilliseconds: Int
        public var answers: [Answer]
        public init(waitMilliseconds: Int, answers: [Answer]) { self.waitMilliseconds = waitMilliseconds; self.answers = answers }

        public func response(_ variant: Variant) -> Response? { answers.first { $0.variant == variant }?.response }
    }

    /// The test as run: at the highest version up to TLS 1.2, with the RSA suites the server
    /// accepts (only the AES-GCM ones when it accepts any: some servers leak only there). A
    /// second round, with a longer wait, only when the first one's answers differ.
    public struct Test: Sendable, Codable, Equatable {
        public var version: TLSVersion
        /// The suite the server chose (the first connection's).
        public var suite: TLSOffer.Suite
        /// The size of the certificate's RSA modulus.
        public var keyBits: Int
        public var rounds: [Round]
        /// True when the server asked for a client certificate and every connection sent an empty
        /// one (absent otherwise); a server that then refused them all makes the test failed.
        public var emptyClientCertificate: Bool?
        public init(version: TLSVersion, suite: TLSOffer.Suite, keyBits: Int, rounds: [Round], emptyClientCertificate: Bool? = nil) {
            self.version = version; self.suite = suite; self.keyBits = keyBits; self.rounds = rounds
            self.emptyClientCertificate = emptyClientCertificate
        }
    }

    /// Not applicable without a TLS 1.0–1.2 suite of RSA key exchange; failed when a connection
    /// of the test failed (the answers of a partial round prove nothing).
    public var test: CheckResult<Test>
    /// Connections the test opened (five a round).
    public var handshakes: Int

    public init(test: CheckResult<Test>, handshakes: Int) { self.test = test; self.handshakes = handshakes }
}
