// Evidence of the TLS probe on every address of an endpoint (Sources/GovAuditProbes/TLS/
// TLSProbe+Addresses.swift): one record per A and AAAA address, how it was probed and what it
// served, and whether they all agree. Read by the tls-addresses rules.

/// What every address of an https endpoint serves. The primary address (the first A that
/// answers TLS, else the first AAAA that does, in address order; the ones tried before it are
/// failed records) is the one `tls.offer`, `tls.certificate` and the HTTP side describe in
/// full; the first answering address of the other family is enumerated in full too; every
/// other address is fingerprinted (one hello per version, the leaf's SHA-256) and enumerated
/// in full only where its fingerprint differs from its family's fully enumerated address.
/// Every answering address gets one HTTPS request (`Record.https`).
public struct TLSAddresses: EvidenceFacts {
    public static let kind = "tls.addresses"
    /// 2: the primary is the first address that answers TLS (`primary`); the HTTPS answer per address.
    public static let version = 2

    public enum Probing: String, Sendable, Codable, Equatable {
        /// Versions, every suite per version, and the certificate.
        case full
        /// One hello per version and the leaf's SHA-256.
        case fingerprint
        /// Fingerprinted, found to differ from its family's full address, then enumerated.
        case fingerprintThenFull = "fingerprint-then-full"
    }

    /// The suite a server chose, for one version, when offered every suite usable with it.
    public struct Chosen: Sendable, Codable, Equatable {
        public var version: TLSVersion
        public var suite: TLSOffer.Suite
        public init(version: TLSVersion, suite: TLSOffer.Suite) { self.version = version; self.suite = suite }
    }

    /// One address. Facts are present when `outcome` is collected (the hellos were answered);
    /// `leafSHA256` may still be nil then, with `certificateFailure` saying why.
    public struct Record: Sendable, Codable, Equatable {
        public var address: String
        public var family: AddressFamily
        /// The address whose full evidence is tls.offer's and tls.certificate's.
        public var primary: Bool
        /// `full` too for an address tried as the primary before it that failed.
        public var probing: Probing
        /// `failed` for a timeout, a refusal or a port that speaks no TLS on this address;
        /// could-not-test when the scanner cannot reach it (no route, --no-ipv6, --allow-net).
        public var outcome: Outcome
        /// The versions the server answered with, oldest first.
        public var versions: [TLSVersion]
        /// Per version (SSLv2 aside), the suite chosen from the whole list.
        public var chosen: [Chosen]
        /// Per version, every suite accepted; nil unless enumerated in full.
        public var suites: [TLSOffer.Accepted]?
        /// SHA-256 of the leaf certificate (lower-case hex); nil when the handshake failed.
        public var leafSHA256: String?
        public var certificateFailure: FailureReason?
        /// Hellos and handshakes spent on this address here, a failed one's attempts included (the
        /// primary's are tls.offer's: 0).
        public var handshakes: Int
        /// The answer to the endpoint's https:// URL from this address (the primary's is
        /// https.response's), or why the fetch failed; nil where TLS did not answer.
        public var https: CheckResult<AddressHTTPS>?

        public init(address: String, family: AddressFamily, primary: Bool = false, probing: Probing, outcome: Outcome,
                    versions: [TLSVersion] = [], chosen: [Chosen] = [], suites: [TLSOffer.Accepted]? = nil,
                    leafSHA256: String? = nil, certificateFailure: FailureReason? = nil, handshakes: Int = 0,
                    https: CheckResult<AddressHTTPS>? = nil) {
            self.address = address; self.family = family; self.primary = primary; self.probing = probing
            self.outcome = outcome; self.versions = versions; self.chosen = chosen; self.suites = suites
            self.leafSHA256 = leafSHA256; self.certificateFailure = certificateFailure; self.handshakes = handshakes
            self.https = https
        }

        public var answered: Bool { outcome == .collected }

        /// Per version, the code points accepted (order aside); nil unless enumerated in full.
        public var suiteSets: [TLSVersion: Set<Int>]? {
            suites.map { Dictionary($0.map { ($0.version, Set($0.suites.map(\.code))) }, uniquingKeysWith: { a, _ in a }) }
        }

        /// Whether `other`'s fingerprint (versions, chosen suites, and the leaf where both are
        /// known) matches this one's.
        public func sameFingerprint(as other: Record) -> Bool {
            guard versions == other.versions, chosen == other.chosen else { return false }
            guard let mine = leafSHA256, let theirs = other.leafSHA256 else { return true }
            return mine == theirs
        }
    }

    /// Addresses of one family beyond `--max-addresses`: counted and listed, not probed.
    public struct NotProbed: Sendable, Codable, Equatable {
        public var family: AddressFamily
        public var count: Int
        public var addresses: [String]
        public init(family: AddressFamily, count: Int, addresses: [String]) {
            self.family = family; self.count = count; self.addresses = addresses
        }
    }

    /// A family whose lookup failed (a timed-out AAAA query, say): its addresses are unknown,
    /// never taken for "none".
    public struct LookupFailure: Sendable, Codable, Equatable {
        public var family: AddressFamily
        public var reason: String
        public init(family: AddressFamily, reason: String) { self.family = family; self.reason = reason }
    }

    public var records: [Record]
    /// The address the full evidence (tls.offer, tls.certificate, the depth checks, the HTTP
    /// side) describes: the first that answered TLS; nil when no record is the primary.
    public var primary: String?
    public var notProbed: [NotProbed]
    public var lookupFailures: [LookupFailure]
    /// Whether the answering addresses agree, and which do not (`TLSAddressAgreement`).
    public var agreement: TLSAddressAgreement
    /// Hellos and handshakes spent on the addresses beyond the primary.
    public var handshakes: Int
    /// HTTPS requests spent on the addresses beyond the primary (one per answering address).
    public var httpsRequests: Int

    public init(records: [Record], notProbed: [NotProbed] = [], lookupFailures: [LookupFailure] = []) {
        self.records = records
        self.primary = records.first(where: \.primary)?.address
        self.notProbed = notProbed
        self.lookupFailures = lookupFailures
        self.agreement = TLSAddressAgreement(records)
        self.handshakes = records.reduce(0) { $0 + $1.handshakes }
        self.httpsRequests = records.filter { !$0.primary && $0.https != nil }.count
    }
}

extension EvidenceCatalog {
    public static let tlsAddresses = EvidenceCatalog([TLSAddresses.self])
}
