/// Why a probe step failed: a fact about the target (it timed out, refused, sent too much,
/// looped). `code` is stable and machine-readable; `detail` is for people.
public struct FailureReason: Sendable, Hashable, Codable {
    public var code: String
    public var detail: String

    public init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func timeout(_ detail: String) -> FailureReason { .init(code: "timeout", detail: detail) }
    public static func refused(_ detail: String) -> FailureReason { .init(code: "refused", detail: detail) }
    public static func tooLarge(_ detail: String) -> FailureReason { .init(code: "too-large", detail: detail) }
    public static func redirectLoop(_ detail: String) -> FailureReason { .init(code: "redirect-loop", detail: detail) }

    /// The code of a step cut short by a time budget (the probe's or the endpoint's).
    public static let budgetExhaustedCode = "budget-exhausted"

    /// The step was cut short by a time budget: the target was too slow for the bounds the scan
    /// runs under, so nothing can be concluded either way. `detail` names the budget and says
    /// what was done before it ran out. Rules treat it as unknown, never as a pass or a fail.
    public static func budgetExhausted(_ detail: String) -> FailureReason { .init(code: budgetExhaustedCode, detail: detail) }

    public var isBudgetExhausted: Bool { code == Self.budgetExhaustedCode }
}

/// The outcome of every probe step. `couldNotTest` is about the scanner (it has no IPv6 route,
/// say) or about a step another check owns (the name does not resolve, the port speaks no TLS),
/// and is never turned into a pass or a fail. A step cut short by a time budget is
/// `failed(.budgetExhausted(…))`.
public enum Outcome: Sendable, Hashable {
    case collected
    case failed(FailureReason)
    case couldNotTest(String)
    case notApplicable
}

extension Outcome: Codable {
    private enum Keys: String, CodingKey { case status, reason, detail }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .collected: try c.encode("collected", forKey: .status)
        case .failed(let r):
            try c.encode("failed", forKey: .status)
            try c.encode(r, forKey: .reason)
        case .couldNotTest(let d):
            try c.encode("could-not-test", forKey: .status)
            try c.encode(d, forKey: .detail)
        case .notApplicable: try c.encode("not-applicable", forKey: .status)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .status) {
        case "collected": self = .collected
        case "failed": self = .failed(try c.decode(FailureReason.self, forKey: .reason))
        case "could-not-test": self = .couldNotTest(try c.decode(String.self, forKey: .detail))
        case "not-applicable": self = .notApplicable
        case let s:
            throw DecodingError.dataCorruptedError(forKey: .status, in: c,
                                                   debugDescription: "unknown outcome \(s)")
        }
    }
}

/// The typed facts one kind of probe observes. A probe adds its evidence by declaring one such
/// type (named as the RFCs name things, e.g. `StrictTransportSecurity`) and registering it in an
/// `EvidenceCatalog`; nothing else in the core changes.
public protocol EvidenceFacts: Sendable, Codable, Equatable {
    /// Stable name in JSON and history, e.g. `dns.addresses`, `tls.protocols`.
    static var kind: String { get }
    /// The shape of the facts, stored with every record: bumped whenever a field is renamed,
    /// removed or changes meaning, so stored evidence is never read back as something else.
    static var version: Int { get }
}

/// One observation about one endpoint (or about the system as a whole when `endpoint` is nil):
/// the outcome of the step and, when collected, its facts.
public struct Evidence: Sendable {
    public let kind: String
    /// The version of the kind's facts (`EvidenceFacts.version`) this record was written with.
    public let version: Int
    public let endpoint: Endpoint?
    public let outcome: Outcome
    /// Present exactly when `outcome` is `.collected`.
    public let facts: (any EvidenceFacts)?

    /// Collected facts.
    public init<F: EvidenceFacts>(endpoint: Endpoint?, facts: F) {
        self.kind = F.kind
        self.version = F.version
        self.endpoint = endpoint
        self.outcome = .collected
        self.facts = facts
    }

    /// A step that produced no facts: failed, could not test, or not applicable.
    public init<F: EvidenceFacts>(_ type: F.Type, endpoint: Endpoint?, outcome: Outcome) {
        precondition(outcome != .collected, "collected evidence carries facts")
        self.kind = F.kind
        self.version = F.version
        self.endpoint = endpoint
        self.outcome = outcome
        self.facts = nil
    }

    /// The facts, if collected and of type `F`.
    public func facts<F: EvidenceFacts>(as type: F.Type) -> F? {
        facts as? F
    }
}

extension Evidence: Encodable {
    enum Keys: String, CodingKey { case kind, version, endpoint, outcome, facts }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(endpoint, forKey: .endpoint)
        try c.encode(outcome, forKey: .outcome)
        if let facts { try c.encode(facts, forKey: .facts) }
    }
}

/// The evidence kinds a build knows, so stored evidence can be read back into its types.
/// Probes contribute their types; the catalog is a value handed to whoever decodes.
public struct EvidenceCatalog: Sendable {
    private var decoders: [String: @Sendable (Decoder) throws -> any EvidenceFacts] = [:]
    private var versions: [String: Int] = [:]

    public init(_ types: [any EvidenceFacts.Type] = []) {
        for t in types { register(t) }
    }

    /// The union of several catalogs.
    public init(merging catalogs: [EvidenceCatalog]) {
        for c in catalogs {
            decoders.merge(c.decoders) { a, _ in a }
            versions.merge(c.versions) { a, _ in a }
        }
    }

    public mutating func register(_ type: any EvidenceFacts.Type) {
        decoders[type.kind] = { try type.init(from: $0) }
        versions[type.kind] = type.version
    }

    public var kinds: [String] { decoders.keys.sorted() }

    /// The version of `kind`'s facts this build writes and reads; nil for an unknown kind.
    public func version(of kind: String) -> Int? { versions[kind] }

    /// Decodes the facts of `kind`; nil when the kind is unknown to this build.
    public func decodeFacts(kind: String, from decoder: Decoder) throws -> (any EvidenceFacts)? {
        try decoders[kind].map { try $0(decoder) }
    }
}
