import GovAuditCore

/// A rule's verdict on a system, kept whatever it was, so the figures can tell "passed" from
/// "not applicable" and "unknown".
public struct RuleResult: Sendable, Hashable {
    public enum Status: String, Sendable, Codable { case pass, fail, unknown, notApplicable = "not-applicable" }

    public var rule: String
    public var area: Area
    public var status: Status
    /// Why the rule was unknown or not applicable; empty otherwise.
    public var reason: String
}

/// pass / fail / unknown, or not applicable when no rule of the areas applies to the system.
public enum ComplianceStatus: String, Sendable, Codable {
    case pass, fail, unknown, notApplicable = "not-applicable"
}

/// A protection layer's status for one system, with the reasons behind it.
public struct LayerStatus: Sendable, Hashable, Codable {
    public var layer: ProtectionLayer
    public var status: ComplianceStatus
    public var reasons: [String]
}

/// Everything the evaluation concluded about one system.
public struct SystemEvaluation: Sendable {
    public var system: System
    public var regime: RegimeApplication
    public var results: [RuleResult]
    public var findings: [Finding]
    public var layers: [LayerStatus]
    public var evidence: [Evidence]
    /// What rules derived for the reports (the TLS grade per endpoint), in rule order.
    public var measurements: [Measurement] = []
}

/// What judging a system concluded besides its findings and its evidence, as the store keeps it
/// beside them: the scan's own report reads it back instead of judging the evidence again.
public struct SystemJudgement: Sendable, Hashable, Codable {
    public var regime: RegimeApplication
    public var results: [RuleResult]
    public var layers: [LayerStatus]
    public var measurements: [Measurement]

    public init(regime: RegimeApplication, results: [RuleResult], layers: [LayerStatus], measurements: [Measurement]) {
        self.regime = regime
        self.results = results
        self.layers = layers
        self.measurements = measurements
    }

    private enum Keys: String, CodingKey { case regime, results, layers, measurements }

    // The results as rows [rule, area, status, reason]: a system has one for every rule of the
    // policy, and JSONDecoder reads rows of strings several times faster than keyed objects.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(regime, forKey: .regime)
        try c.encode(results.map { [$0.rule, $0.area.rawValue, $0.status.rawValue, $0.reason] }, forKey: .results)
        try c.encode(layers, forKey: .layers)
        try c.encode(measurements, forKey: .measurements)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        regime = try c.decode(RegimeApplication.self, forKey: .regime)
        results = try c.decode([[String]].self, forKey: .results).map { row in
            guard row.count == 4, let area = Area(rawValue: row[1]), let status = RuleResult.Status(rawValue: row[2]) else {
                throw DecodingError.dataCorruptedError(forKey: .results, in: c, debugDescription: "a result is not [rule, area, status, reason]: \(row)")
            }
            return RuleResult(rule: row[0], area: area, status: status, reason: row[3])
        }
        layers = try c.decode([LayerStatus].self, forKey: .layers)
        measurements = try c.decode([Measurement].self, forKey: .measurements)
    }
}

extension SystemEvaluation {
    public var judgement: SystemJudgement {
        SystemJudgement(regime: regime, results: results, layers: layers, measurements: measurements)
    }

    /// A system's evaluation put together again from what the store kept of it.
    public init(system: System, judgement j: SystemJudgement, findings: [Finding], evidence: [Evidence]) {
        self.init(system: system, regime: j.regime, results: j.results, findings: findings, layers: j.layers,
                  evidence: evidence, measurements: j.measurements)
    }
}

/// The result of evaluating an inventory against a policy on one day.
public struct Evaluation: Sendable {
    public var asOf: CalendarDate
    public var inventory: Inventory
    public var systems: [SystemEvaluation]
    public var summary: Summary
    /// Whether probes ran (scan, audit) or not (evaluate).
    public var probed: Bool

    /// Open findings at or above `severity`: what decides the exit code.
    public func openFindings(atLeast severity: Severity) -> [Finding] {
        systems.flatMap(\.findings).filter { $0.isOpen && $0.severity >= severity }
    }
}

/// Turns evidence into findings: applies each rule of the policy, under the regime in force, to
/// each system, then marks waived findings and computes layer statuses and summary figures.
public struct Evaluator: Sendable {
    public var policy: Policy
    /// When set, only rules of these areas run (an audit of one domain judges no records).
    public var areas: Set<Area>?

    public init(policy: Policy, areas: Set<Area>? = nil) {
        self.policy = policy
        self.areas = areas
    }

    /// Inputs the evaluation cannot use: waivers naming unknown rules, systems with no regime.
    public func validate(_ inventory: Inventory, asOf: CalendarDate) -> [InputError] {
        var errors: [InputError] = []
        for system in inventory.systems {
            for w in system.waivers where policy.rule(w.rule) == nil {
                errors.append(InputError(w.location ?? system.location ?? SourceLocation(file: "inventory"),
                                         field: "systems.\(system.id).waivers.rule",
                                         "no rule with id '\(w.rule)' in policy '\(policy.name)'"))
            }
        }
        for w in policy.waivers where !inventory.systems.contains(where: { $0.id == w.system }) {
            errors.append(InputError(w.location ?? SourceLocation(file: policy.directory), field: "waivers.system",
                                     "no system with id '\(w.system)' in the inventory"))
        }
        if let first = inventory.systems.first, policy.regime(for: first, on: asOf) == nil {
            errors.append(InputError(SourceLocation(file: policy.directory), field: "regimes",
                                     "no legal regime of the policy is in force on \(asOf)"))
        }
        return errors
    }

    /// Evaluates every system. `evidence` holds what probes collected, per system id.
    /// Evaluates every system. `evidence` holds what probes collected, per system id; nil when
    /// no probe ran (`evaluate`), which makes network rules not applicable instead of unknown.
    public func evaluate(_ inventory: Inventory, asOf: CalendarDate,
                         evidence: [String: [Evidence]]? = nil) -> Evaluation {
        let systems = inventory.systems.compactMap { system in
            evaluate(system, asOf: asOf, evidence: evidence?[system.id], provinceDomain: inventory.domain)
        }
        return Evaluation(asOf: asOf, inventory: inventory, systems: systems,
                          summary: Summary(policy: policy, inventory: inventory, systems: systems),
                          probed: evidence != nil)
    }

    public func evaluate(_ system: System, asOf: CalendarDate, evidence: [Evidence]? = nil,
                         provinceDomain: String? = nil) -> SystemEvaluation? {
        guard let regime = policy.regime(for: system, on: asOf) else { return nil }
        var results: [RuleResult] = []
        var findings: [Finding] = []
        var measurements: [Measurement] = []
        for rule in policy.rules where areas?.contains(rule.area) ?? true {
            guard let implementation = RuleRegistry.implementation(rule.id) else { continue }
            guard rule.applies(to: system.level) else {
                results.append(RuleResult(rule: rule.id, area: rule.area, status: .notApplicable,
                                          reason: "level \(system.level) is outside the rule's levels"))
                continue
            }
            guard let basis = rule.basis[regime.regime] else {
                results.append(RuleResult(rule: rule.id, area: rule.area, status: .notApplicable,
                                          reason: "no legal basis under regime \(regime.regime)"))
                continue
            }
            let context = RuleContext(system: system, evidence: evidence ?? [], asOf: asOf, regime: regime,
                                      parameters: rule.parameters.merging(basis.parameters),
                                      probed: evidence != nil, provinceDomain: provinceDomain, policy: policy)
            measurements += implementation.measure?(context).map {
                Measurement(rule: rule.id, endpoint: $0.endpoint, facts: $0.facts)
            } ?? []
            switch implementation.evaluate(context) {
            case .pass:
                results.append(RuleResult(rule: rule.id, area: rule.area, status: .pass, reason: ""))
            case .unknown(let why):
                results.append(RuleResult(rule: rule.id, area: rule.area, status: .unknown, reason: why))
            case .notApplicable(let why):
                results.append(RuleResult(rule: rule.id, area: rule.area, status: .notApplicable, reason: why))
            case .fail(let observations):
                results.append(RuleResult(rule: rule.id, area: rule.area, status: .fail, reason: ""))
                findings += observations.map { finding(rule, basis, system, $0, asOf) }
            }
        }
        let layers = ProtectionLayer.allCases.map { layer in
            let (status, reasons) = Self.status(areas: policy.layerAreas[layer] ?? [], results: results,
                                                findings: findings, policy: policy)
            return LayerStatus(layer: layer, status: status, reasons: reasons)
        }
        return SystemEvaluation(system: system, regime: regime, results: results, findings: findings,
                                layers: layers, evidence: evidence ?? [], measurements: measurements)
    }

    private func finding(_ rule: RuleDefinition, _ basis: RuleBasis, _ system: System,
                         _ o: Observation, _ asOf: CalendarDate) -> Finding {
        var f = Finding(rule: rule.id, area: rule.area, severity: rule.severity, system: system.id,
                        endpoint: o.endpoint?.description, title: rule.title, remedy: rule.remedy,
                        legalBasis: basis.legalBasis, evidence: o.facts, subject: o.subject)
        let waivers = (system.waivers + policy.waivers).filter { $0.rule == rule.id && $0.system == system.id }
        if let active = waivers.first(where: { $0.isActive(on: asOf) }) {
            f.status = .waived
            f.waiver = active
        } else if let expired = waivers.max(by: { $0.expires < $1.expires }) {
            f.evidence.append(Fact("waiver.expired", expired.expires.description))
        }
        return f
    }

    /// The one rule for layer statuses and summary figures: fail on an open finding at or above
    /// the area's threshold; else unknown if any rule was unknown; else pass if any rule
    /// applied; else not applicable.
    static func status(areas: [Area], results: [RuleResult], findings: [Finding],
                       policy: Policy) -> (ComplianceStatus, [String]) {
        let inAreas = results.filter { areas.contains($0.area) }
        let failing = findings.filter { areas.contains($0.area) && $0.isOpen && $0.severity >= policy.threshold($0.area) }
        if !failing.isEmpty { return (.fail, Array(Set(failing.map(\.rule))).sorted()) }
        let unknown = inAreas.filter { $0.status == .unknown }
        if !unknown.isEmpty { return (.unknown, unknown.map { "\($0.rule): \($0.reason)" }) }
        if inAreas.contains(where: { $0.status == .pass || $0.status == .fail }) { return (.pass, []) }
        return (.notApplicable, inAreas.isEmpty ? ["no rule covers these areas"] : ["no rule applies"])
    }
}
