// Evidence of the names around a certificate: the CAA records that say which CAs may issue for
// the name (RFC 8659), and the name's www/apex twin as a browser would reach it. Facts only:
// whether a missing CAA RRset or a twin without a matching certificate matters is the rules'.

/// One CAA record as received (RFC 8659 §4.1).
public struct CAARecord: Sendable, Hashable, Codable {
    /// Bit 7 (128) is the Issuer Critical flag.
    public var flags: Int
    /// As sent (matching is case-insensitive): issue, issuewild, iodef, or another.
    public var tag: String
    /// The value's octets, printable ASCII as is and any other octet escaped as `\DDD`.
    public var value: String

    public init(flags: Int, tag: String, value: String) {
        self.flags = flags; self.tag = tag; self.value = value
    }

    public var critical: Bool { flags & 0x80 != 0 }
}

/// The relevant CAA RRset of a name: the first one found climbing from the name toward the root
/// (RFC 8659 §3), and where. A query that failed on the way fails the whole step, since a
/// parent's RRset (or none) would not be the relevant one.
public struct CAARecordSet: EvidenceFacts {
    public static let kind = "tls.caa"
    public static let version = 1

    /// The endpoint's host, where the climb began.
    public var name: String
    /// Every name asked, in order, up to and including `foundAt` (or the last label).
    public var climbed: [String]
    /// The name whose query returned the RRset; nil when no name up to the root has one.
    public var foundAt: String?
    /// The aliases that query went through (RFC 8659 §3 follows CNAMEs).
    public var cnameChain: [String]
    /// The RRset, in the order received; empty when `foundAt` is nil.
    public var records: [CAARecord]
    /// DNSSEC of the answer that carried the RRset, or of the last answer (no RRset anywhere).
    public var validation: DNSSECValidation
    public var whyBogus: String?

    public init(name: String, climbed: [String], foundAt: String?, cnameChain: [String] = [], records: [CAARecord],
                validation: DNSSECValidation, whyBogus: String? = nil) {
        self.name = name; self.climbed = climbed; self.foundAt = foundAt; self.cnameChain = cnameChain
        self.records = records; self.validation = validation; self.whyBogus = whyBogus
    }

    /// The values of the records whose tag is `tag` (case-insensitive), in order.
    public func values(_ tag: String) -> [String] {
        records.filter { $0.tag.lowercased() == tag }.map(\.value)
    }
}

/// The www/apex twin of a listed https endpoint (www.X for X, X for www.X) that the inventory
/// does not list itself: whether it resolves, what certificate it serves, what it answers over
/// HTTPS. The findings are the listed endpoint's.
public struct TwinName: EvidenceFacts {
    public static let kind = "https.twin-name"
    public static let version = 1

    /// The certificate the twin serves (SNI = the twin), as a browser would check it.
    public struct Certificate: Sendable, Codable, Equatable {
        public var subject: String
        public var subjectAltNames: [String]
        /// The leaf names the twin (SAN only, whole-label wildcards).
        public var hostnameMatches: Bool
        /// OpenSSL's X509_V_* result for the chain (0 = verifies), hostname aside.
        public var verifyResult: Int
        public var verifyError: String
        public init(subject: String, subjectAltNames: [String], hostnameMatches: Bool, verifyResult: Int, verifyError: String) {
            self.subject = subject; self.subjectAltNames = subjectAltNames; self.hostnameMatches = hostnameMatches
            self.verifyResult = verifyResult; self.verifyError = verifyError
        }
    }

    /// The first answer over HTTPS (redirects not followed).
    public struct Answer: Sendable, Codable, Equatable {
        public var status: Int
        public var location: String?
        public init(status: Int, location: String?) { self.status = status; self.location = location }
    }

    /// The listed endpoint's host, and its twin.
    public var listed: String
    public var twin: String
    /// The twin's addresses (A, then AAAA); empty when the name does not resolve.
    public var addresses: [String]
    /// The certificate, or why the handshake failed; both nil when the name does not resolve.
    public var certificate: Certificate?
    public var tlsFailure: FailureReason?
    /// The HTTPS answer, or why the fetch failed; both nil when no handshake was made or the
    /// certificate does not name the twin (a browser stops there).
    public var https: Answer?
    public var httpsFailure: FailureReason?

    public init(listed: String, twin: String, addresses: [String], certificate: Certificate? = nil, tlsFailure: FailureReason? = nil,
                https: Answer? = nil, httpsFailure: FailureReason? = nil) {
        self.listed = listed; self.twin = twin; self.addresses = addresses; self.certificate = certificate
        self.tlsFailure = tlsFailure; self.https = https; self.httpsFailure = httpsFailure
    }

    /// The twin of `host`: the apex for www.X, www.X otherwise; nil for an IP literal or a
    /// single label (no apex to speak of).
    public static func twin(of host: String) -> String? {
        let h = host.lowercased()
        guard !h.contains(":"), h.split(separator: ".").count >= 2,
              !h.split(separator: ".").allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
        if h.hasPrefix("www.") { return h.split(separator: ".").count >= 3 ? String(h.dropFirst(4)) : nil }
        return "www." + h
    }
}

extension EvidenceCatalog {
    /// The certificate-names probe's kinds.
    public static let certificateNames = EvidenceCatalog([CAARecordSet.self, TwinName.self])
}
