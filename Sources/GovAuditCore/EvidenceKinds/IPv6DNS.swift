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
    /// The address filter refused the address (loopback, private… outside `--allow-net`): the
    /// scanner did not try, a could-not-test.
    case notAllowed = "not-allowed"
}


/// A name's addresses as the resolver returned them (RFC 1035 names: A, AAAA, CNAME).
public struct DNSResolution: EvidenceFacts {
    public static let kind = "dns.resolution"
    /// 2: a failed A or AAAA query is recorded as such, not as an empty list.
    public static let version = 2
    public var name: String
    public var a: [String]
    public var aaaa: [String]
    /// CNAME targets in chain order; empty when the name is not an alias.
    public var cnameChain: [String]
    /// DNSSEC validation of the A answer: secure, insecure, bogus or indeterminate.
    public var validation: DNSSECValidation
    public var whyBogus: String?
    /// Present when that query got no usable answer (timeout, SERVFAIL, REFUSED): the family's
    /// addresses are then unknown, not absent.
    public var aFailure: FailureReason?
    public var aaaaFailure: FailureReason?

    public init(name: String, a: [String], aaaa: [String], cnameChain: [String], validation: DNSSECValidation,
                whyBogus: String? = nil, aFailure: FailureReason? = nil, aaaaFailure: FailureReason? = nil) {
        self.name = name
        self.a = a
        self.aaaa = aaaa
        self.cnameChain = cnameChain
        self.validation = validation
        self.whyBogus = whyBogus
        self.aFailure = aFailure
        self.aaaaFailure = aaaaFailure
    }
}

/// One host of the zone (a name server or mail exchanger) and its addresses.
public struct ServerAddresses: Sendable, Codable, Equatable {
    public var name: String
    public var ipv4: [String]
    public var ipv6: [String]
    /// Present when the A or AAAA query for the server failed: those addresses are unknown.
    public var ipv4Failure: FailureReason?
    public var ipv6Failure: FailureReason?

    public init(name: String, ipv4: [String], ipv6: [String], ipv4Failure: FailureReason? = nil, ipv6Failure: FailureReason? = nil) {
        self.name = name
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.ipv4Failure = ipv4Failure
        self.ipv6Failure = ipv6Failure
    }
}

/// The zone the name lives in: its name servers, mail exchangers, and whether it is signed.
public struct ZoneFacts: EvidenceFacts {
    public static let kind = "dns.zone"
    /// 2: failed MX, DNSKEY and server-address queries are recorded, not read as "none".
    public static let version = 2
    public var zone: String
    public var nameServers: [ServerAddresses]
    public var mailExchangers: [ServerAddresses]
    /// Present when the MX query failed: the mail exchangers are then unknown.
    public var mxFailure: FailureReason?
    /// A DNSKEY RRset is published at the apex (false also when `dnskeyFailure` says the query failed).
    public var signed: Bool
    public var dnskeyFailure: FailureReason?
    public var validation: DNSSECValidation
    /// The parent publishes a DS RRset for the zone (the link of the chain of trust); nil when
    /// the DS query failed (`dsFailure`) or in records stored before it was observed.
    public var dsPublished: Bool?
    public var dsFailure: FailureReason?
    /// NS and MX names beyond the probe's bound (`--max-records`), not followed to their
    /// addresses; nil when every one was followed.
    public var nameServersNotFollowed: Int?
    public var mailExchangersNotFollowed: Int?

    public init(zone: String, nameServers: [ServerAddresses], mailExchangers: [ServerAddresses], mxFailure: FailureReason? = nil,
                signed: Bool, dnskeyFailure: FailureReason? = nil, validation: DNSSECValidation,
                dsPublished: Bool? = nil, dsFailure: FailureReason? = nil,
                nameServersNotFollowed: Int? = nil, mailExchangersNotFollowed: Int? = nil) {
        self.zone = zone
        self.nameServers = nameServers
        self.mailExchangers = mailExchangers
        self.mxFailure = mxFailure
        self.signed = signed
        self.dnskeyFailure = dnskeyFailure
        self.validation = validation
        self.dsPublished = dsPublished
        self.dsFailure = dsFailure
        self.nameServersNotFollowed = nameServersNotFollowed
        self.mailExchangersNotFollowed = mailExchangersNotFollowed
    }
}

/// TCP connects to ports 80 and 443 on the addresses of one family (the first `--max-addresses`).
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
    /// Addresses of the family beyond the probe's bound (`--max-addresses`), not probed; nil
    /// when every address was.
    public var addressesNotProbed: Int?
    /// Connects the probe's budget cut short (not attempted, or stopped before their own
    /// timeout): not in `attempts`, since they say nothing; nil when none.
    public var cutShort: Int?

    public init(family: AddressFamily, attempts: [Attempt], addressesNotProbed: Int? = nil, cutShort: Int? = nil) {
        self.family = family
        self.attempts = attempts
        self.addressesNotProbed = addressesNotProbed
        self.cutShort = cutShort
    }

    /// Whether some address answers on some port.
    public var anyOpen: Bool { attempts.contains { $0.outcome == .open } }
}

/// The same page fetched over IPv4 and over IPv6, with the word-token counts a similarity is
/// computed from (the threshold is the rule's).
public struct FamilyParity: EvidenceFacts {
    public static let kind = "http.family-parity"
    /// 2: token counts instead of a similarity and sameness flags.
    public static let version = 2
    public struct Fetch: Sendable, Codable, Equatable {
        public var address: String
        public var status: Int?
        public var finalURL: String?
        public var bytes: Int?
        /// Word tokens of the body (letter and digit runs, lower-cased); nil when no response came.
        public var tokens: Int?
        /// Failure code when no response came (timeout, refused, too-large…).
        public var failure: String?

        public init(address: String, status: Int?, finalURL: String?, bytes: Int?, tokens: Int?, failure: String?) {
            self.address = address
            self.status = status
            self.finalURL = finalURL
            self.bytes = bytes
            self.tokens = tokens
            self.failure = failure
        }
    }
    public var url: String
    public var ipv4: Fetch
    public var ipv6: Fetch
    /// Tokens the two bodies have in common, as a multiset; nil when one side failed.
    public var commonTokens: Int?

    public init(url: String, ipv4: Fetch, ipv6: Fetch, commonTokens: Int?) {
        self.url = url
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.commonTokens = commonTokens
    }

    /// The Dice coefficient of the two token bags, 0…1 (1 for two empty pages); nil when one side failed.
    public var similarity: Double? {
        guard let a = ipv4.tokens, let b = ipv6.tokens, let c = commonTokens else { return nil }
        return a + b == 0 ? 1 : Double(2 * c) / Double(a + b)
    }
}

extension EvidenceCatalog {
    /// The evidence kinds of the IPv6 and DNS probe.
    public static let ipv6DNS = EvidenceCatalog([DNSResolution.self, ZoneFacts.self, Reachability.self, FamilyParity.self])
}
