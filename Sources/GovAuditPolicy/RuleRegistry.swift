import GovAuditCore

/// What a rule evaluator sees: one system, the evidence probes collected for it, the day of the
/// evaluation, the regime applied and the rule's parameters under that regime. Time comes in as
/// `asOf`; no evaluator reads a clock.
public struct RuleContext: Sendable {
    public var system: System
    public var evidence: [Evidence]
    public var asOf: CalendarDate
    public var regime: RegimeApplication
    public var parameters: Parameters
    /// False for `evaluate`, which runs no probe: rules that need network evidence are then
    /// not applicable ("not scanned") rather than unknown.
    public var probed: Bool
    /// The province's own domain (`angiang.gov.vn`), from the inventory; nil when not given.
    public var provinceDomain: String?
    /// The whole policy, for a rule that shares a list another rule owns (see `parameters(ofRule:)`).
    public var policy: Policy?

    public init(system: System, evidence: [Evidence] = [], asOf: CalendarDate,
                regime: RegimeApplication, parameters: Parameters, probed: Bool = false,
                provinceDomain: String? = nil, policy: Policy? = nil) {
        self.system = system
        self.evidence = evidence
        self.asOf = asOf
        self.regime = regime
        self.parameters = parameters
        self.probed = probed
        self.provinceDomain = provinceDomain
        self.policy = policy
    }

    /// Another rule's parameters under the same regime: one list, one place (links.cloaking
    /// compares the keywords of links.spam). Nil when the policy has no such rule.
    public func parameters(ofRule id: String) -> Parameters? {
        guard let rule = policy?.rule(id) else { return nil }
        return rule.parameters.merging(rule.basis[regime.regime]?.parameters ?? Parameters())
    }

    /// The evidence of kind `F` about `endpoint`.
    public func evidence<F: EvidenceFacts>(_ type: F.Type, for endpoint: Endpoint) -> [Evidence] {
        evidence.filter { $0.kind == F.kind && $0.endpoint == endpoint }
    }

    /// The system's web endpoints (URLs); bare hosts are services, not sites.
    public var webEndpoints: [Endpoint] { system.endpoints.filter { $0.scheme != nil } }
}

/// One problem a rule saw: the facts, and a subject that tells two problems of the same rule on
/// the same endpoint apart (it goes into the finding's stable key).
public struct Observation: Sendable, Hashable {
    public var endpoint: Endpoint?
    public var subject: String
    public var facts: [Fact]

    public init(endpoint: Endpoint? = nil, subject: String = "", facts: [Fact]) {
        self.endpoint = endpoint
        self.subject = subject
        self.facts = facts
    }
}

/// A rule's verdict on one system. `unknown` is for missing data or evidence the scanner could
/// not collect: never a pass, never a fail.
public enum Verdict: Sendable, Hashable {
    case pass
    case fail([Observation])
    case unknown(String)
    case notApplicable(String)
}

/// What a rule derived about an endpoint whatever its verdict (the TLS grade of every https
/// endpoint), so reports show the rule's result instead of working it out again.
public struct Measurement: Sendable, Hashable, Codable {
    public var rule: String
    public var endpoint: Endpoint?
    public var facts: [Fact]

    public init(rule: String, endpoint: Endpoint?, facts: [Fact]) {
        self.rule = rule
        self.endpoint = endpoint
        self.facts = facts
    }

    public func fact(_ name: String) -> String? { facts.first { $0.name == name }?.value }
}

/// A rule's logic: a pure function from context to verdict.
public struct RuleImplementation: Sendable {
    public var id: String
    /// Parameters the evaluator reads, with their types and ranges. The policy loader rejects a
    /// rule that lacks one, holds a bad value, or holds a parameter not declared here.
    public var parameters: [ParameterSpec]
    public var evaluate: @Sendable (RuleContext) -> Verdict
    /// What the rule derives for the reports (endpoint and facts), when it derives anything.
    public var measure: (@Sendable (RuleContext) -> [Observation])?

    public init(_ id: String, parameters: [ParameterSpec] = [], evaluate: @escaping @Sendable (RuleContext) -> Verdict,
                measure: (@Sendable (RuleContext) -> [Observation])? = nil) {
        self.id = id
        self.parameters = parameters
        self.evaluate = evaluate
        self.measure = measure
    }
}

/// The one list of rule implementations. A new rule adds its evaluator to one of these lists
/// and its metadata to `Policies/rules/`; a test checks the two sides match.
public enum RuleRegistry {
    public static let all: [RuleImplementation] = DossierRules.all + LayerRules.all + IPv6DNSRules.all + LinkRules.all + DriftRules.all
        + TLSRules.all + TLSDepthRules.all + TLSAddressRules.all + HTTPSAddressRules.all + TLSRobotRules.all

    private static let byID: [String: RuleImplementation] =
        Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    public static func implementation(_ id: String) -> RuleImplementation? { byID[id] }

    public static var ids: [String] { all.map(\.id) }
}
