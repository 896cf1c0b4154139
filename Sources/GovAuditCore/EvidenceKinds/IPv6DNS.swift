// Evidence of the IPv6 and DNS probe (Sources/GovAuditProbes/IPv6DNS), read by the ipv6, dns
// and domain rules.

public enum AddressFamily: String, Sendable, Codable {
    case ipv4, ipv6
}

/// DNSSEC status of an answer, as a validating resolver tells it.
public enum DNSSECValidation: String, Sendable, Codable {
    /// Validated from a trust anchor.
    case secure
    /// A trust anchor covers the name and the chain proves it unsigned.
    case insecure
    /// Signatures that should verify do not.
    case bogus
    /// No trust anchor covers the name: nothing can be said.
    case indeterminate
}

/// What a TCP connect attempt found. `noRoute` is about the scanner (it has no route to that
/// family, or no such local address): a could-not-test, never a verdict on the target.
public enum ConnectOutcome: String, Sendable, Codable {
    /// The handshake completed.
    case open
    /// The target answered with a reset: nothing listens.
    case refused
    /// No answer before the deadline: packets dropped somewhere.
    case stall
    /// An ICMP host-unreachable came back.
    case unreachable
    /// The scanner itself cannot send there (ENETUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT).
    case noRoute = "no-route"
}


/// A name's addresses as the resolver returned them (RFC 1035 names: A, AAAA, CNAME).
public struct DNSResolution: EvidenceFacts {
    public static let kind = "dns.resolution"
    public static let version = 1
    public var name: String
    public var a: [String]
    public var aaaa: [String]
    /// CNAME targets in chain order; empty when the name is not an alias.
    public var cnameChain: [String]
    /// DNSSEC validation of the A answer: secure, insecure, bogus or indeterminate.
    public var validation: DNSSECValidation
    public var whyBogus: String?

    public init(name: String, a: [String], aaaa: [String], cnameChain: [String], validation: DNSSECValidation,
                whyBogus: String? = nil) {
        self.name = name
        self.a = a
        self.aaaa = aaaa
        self.cnameChain = cnameChain
        self.validation = validation
        self.whyBogus = whyBogus
    }
}

/// One host of the zone (a name server or mail exchanger) and its addresses.
public struct ServerAddresses: Sendable, Codable, Equatable {
    public var name: String
    public var ipv4: [String]
    public var ipv6: [String]

    public init(name: String, ipv4: [String], ipv6: [String]) {
        self.name = name
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }
}

/// The zone the name lives in: its name servers, mail exchangers, and whether it is signed.
public struct ZoneFacts: EvidenceFacts {
    public static let kind = "dns.zone"
    public static let version = 1
    public var zone: String
    public var nameServers: [ServerAddresses]
    public var mailExchangers: [ServerAddresses]
    /// A DNSKEY RRset is published at the apex.
    public var signed: Bool
    public var validation: DNSSECValidation

    public init(zone: String, nameServers: [ServerAddresses], mailExchangers: [ServerAddresses], signed: Bool,
                validation: DNSSECValidation) {
        self.zone = zone
        self.nameServers = nameServers
        self.mailExchangers = mailExchangers
        self.signed = signed
        self.validation = validation
    }
}

/// TCP connects to ports 80 and 443 on every address of one family.
public struct Reachability: EvidenceFacts {
    public static let kind = "net.reachability"
    public static let version = 1
    public struct Attempt: Sendable, Codable, Equatable {
        public var address: String
        public var port: Int
        public var outcome: ConnectOutcome

        public init(address: String, port: Int, outcome: ConnectOutcome) {
            self.address = address
            self.port = port
            self.outcome = outcome
        }
    }
    public var family: AddressFamily
    public var attempts: [Attempt]

    public init(family: AddressFamily, attempts: [Attempt]) {
        self.family = family
        self.attempts = attempts
    }

    /// Whether some address answers on some port.
    public var anyOpen: Bool { attempts.contains { $0.outcome == .open } }
}

/// The same page fetched over IPv4 and over IPv6, compared.
public struct FamilyParity: EvidenceFacts {
    public static let kind = "http.family-parity"
    public static let version = 1
    public struct Fetch: Sendable, Codable, Equatable {
        public var address: String
        public var status: Int?
        public var finalURL: String?
        public var bytes: Int?
        /// Failure code when no response came (timeout, refused, too-large…).
        public var failure: String?

        public init(address: String, status: Int?, finalURL: String?, bytes: Int?, failure: String?) {
            self.address = address
            self.status = status
            self.finalURL = finalURL
            self.bytes = bytes
            self.failure = failure
        }
    }
    public var url: String
    public var ipv4: Fetch
    public var ipv6: Fetch
    /// Content similarity 0…1 (Dice coefficient over word tokens); nil when one side failed.
    public var similarity: Double?
    public var sameStatus: Bool
    public var sameFinalURL: Bool

    public init(url: String, ipv4: Fetch, ipv6: Fetch, similarity: Double?, sameStatus: Bool, sameFinalURL: Bool) {
        self.url = url
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.similarity = similarity
        self.sameStatus = sameStatus
        self.sameFinalURL = sameFinalURL
    }
}

extension EvidenceCatalog {
    /// The evidence kinds of the IPv6 and DNS probe.
    public static let ipv6DNS = EvidenceCatalog([DNSResolution.self, ZoneFacts.self, Reachability.self, FamilyParity.self])
}
