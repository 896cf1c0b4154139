import GovAuditCore

/// A legal regime: the set of texts in force over a period (e.g. NĐ 85/2016 until 30/6/2026,
/// Luật 116/2025 from 1/7/2026). Every rule states its basis per regime; an evaluation applies
/// the regime in force on its as-of date.
public struct Regime: Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    public var effective: CalendarDate
    /// Last day in force, when a later regime replaced it.
    public var until: CalendarDate?
    /// Systems classified before `effective` keep the previous regime for this long.
    public var transition: Transition?

    public struct Transition: Sendable, Hashable {
        public var months: Int
        public var citation: String
        public var confidence: Confidence
    }
}

/// Which regime an evaluation applied to a system, and why.
public struct RegimeApplication: Sendable, Hashable, Codable {
    public var regime: String
    /// Set when the system is inside another regime's transition period: that regime's id.
    public var transitionOf: String?
    /// The last day of the transition period.
    public var transitionEnds: CalendarDate?
}

/// A rule parameter: numbers, text, yes/no, lists, and maps (e.g. per security level).
public indirect enum ParameterValue: Sendable, Hashable {
    case number(Double)
    case text(String)
    case flag(Bool)
    case list([ParameterValue])
    case map([String: ParameterValue])

    public var int: Int? {
        if case .number(let d) = self { return Int(exactly: d) }
        return nil
    }

    public var string: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    var strings: [String]? {
        if case .list(let items) = self { return items.compactMap(\.string) }
        return nil
    }
}

/// A rule's parameters after the applied regime's overrides.
///
/// The typed accessors are for evaluators: the loader has checked every parameter a rule
/// declares (`ParameterSpec`) under every regime, so a missing or mistyped one here is a
/// programming error (an evaluator reading what it did not declare), not bad input.
public struct Parameters: Sendable, Hashable {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> ParameterValue? { values[name] }

    public func merging(_ overrides: Parameters) -> Parameters {
        Parameters(values.merging(overrides.values) { _, new in new })
    }

    /// A per-level value: from a map keyed by level number, or the one value for every level.
    public func value(_ name: String, level: SecurityLevel) -> ParameterValue? {
        guard let v = values[name] else { return nil }
        if case .map(let m) = v { return m[String(level.value)] }
        return v
    }

    public func integer(_ name: String) -> Int { validated(name, values[name]?.int) }

    /// The value if present and of that type (the loader checked both for declared parameters).
    public func int(_ name: String) -> Int? { values[name]?.int }

    public func strings(_ name: String, level: SecurityLevel) -> [String]? {
        value(name, level: level).flatMap { $0.strings ?? $0.string.map { [$0] } }
    }

    public func number(_ name: String) -> Double {
        validated(name, values[name].flatMap { if case .number(let d) = $0 { d } else { nil } })
    }

    public func text(_ name: String) -> String { validated(name, values[name]?.string) }

    public func texts(_ name: String) -> [String] { validated(name, values[name]?.strings) }

    public func integer(_ name: String, level: SecurityLevel) -> Int { validated(name, value(name, level: level)?.int) }

    public func texts(_ name: String, level: SecurityLevel) -> [String] {
        validated(name, value(name, level: level).flatMap { $0.strings ?? $0.string.map { [$0] } })
    }

    /// A mapping of names to text (`caps` of tls.grade).
    public func textTable(_ name: String) -> [String: String] {
        validated(name, values[name].flatMap { if case .map(let m) = $0 { m.compactMapValues(\.string) } else { nil } })
    }

    /// A mapping of names to lists of text (`keywords` of links.spam).
    public func textLists(_ name: String) -> [String: [String]] {
        validated(name, values[name].flatMap { if case .map(let m) = $0 { m.compactMapValues(\.strings) } else { nil } })
    }

    private func validated<T>(_ name: String, _ value: T?) -> T {
        guard let value else { preconditionFailure("parameter '\(name)' was read without being declared in the rule's ParameterSpec") }
        return value
    }
}

/// A rule's legal ground under one regime, with that regime's parameter overrides.
public struct RuleBasis: Sendable, Hashable {
    public var legalBasis: LegalBasis
    public var parameters: Parameters
}

/// A rule's metadata, from `Policies/rules/*.yaml`. Its logic is the evaluator registered under
/// the same id in `RuleRegistry`.
public struct RuleDefinition: Sendable, Hashable {
    public var id: String
    public var area: Area
    public var severity: Severity
    public var levels: Set<Int>
    public var title: LocalizedText
    public var description: LocalizedText
    public var remedy: LocalizedText
    public var parameters: Parameters
    /// Per regime id. A rule applies only under the regimes it has a basis for.
    public var basis: [String: RuleBasis]
    public var location: SourceLocation

    public func applies(to level: SecurityLevel) -> Bool { levels.contains(level.value) }
}

/// A compliance figure of the summary, e.g. "Hệ thống được phê duyệt hồ sơ đề xuất cấp độ":
/// a system passes when it has no open finding at or above the areas' thresholds.
public struct FigureDefinition: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    public var areas: [Area]
    /// The protection layers the figure covers (their areas are in `areas`); empty for area figures.
    public var layers: [ProtectionLayer]
}

/// The policy (chính sách): rules, regimes, thresholds, figures, texts.
public struct Policy: Sendable {
    public var name: String
    public var version: String
    public var regimes: [Regime]
    public var rules: [RuleDefinition]
    /// The areas whose findings make up each protection layer's status.
    public var layerAreas: [ProtectionLayer: [Area]]
    /// A system fails an area when it has an open finding at or above this severity.
    public var thresholds: [Area: Severity]
    public var figures: [FigureDefinition]
    /// Accepted risks recorded in the policy rather than the inventory.
    public var waivers: [Waiver]
    /// SHA-256 (hex) of the policy files, computed by whoever read them.
    public var hash: String
    public var directory: String
    /// The files read (policy.yaml, then rules/*.yaml): inputs no report may overwrite.
    public var files: [String] = []
    /// Registered evaluators the policy turns off on purpose (`disabled:` in policy.yaml). Any
    /// other evaluator without a rule definition is an error, so a lost rule file cannot
    /// silently stop a whole area from being judged.
    public var disabledRules: [String] = []

    public func rule(_ id: String) -> RuleDefinition? { rules.first { $0.id == id } }

    /// A rule's parameters under a regime (its own, with that regime's overrides); nil when the
    /// rule is not in the policy or has no basis under the regime.
    public func parameters(of ruleID: String, regime: String) -> Parameters? {
        guard let rule = rule(ruleID), let basis = rule.basis[regime] else { return nil }
        return rule.parameters.merging(basis.parameters)
    }

    /// The regime in force on `date` for systems outside any transition: the latest that took effect.
    public func regimeInForce(on date: CalendarDate) -> Regime? {
        regimes.filter { $0.effective <= date }.max { $0.effective < $1.effective }
    }

    public func threshold(_ area: Area) -> Severity { thresholds[area] ?? .high }

    /// The regime applied to `system` on `date`: the latest one in force, unless the system was
    /// classified before it took effect and is still inside its transition period (Luật 116
    /// Đ45.1: levels approved under the old law stay valid; new requirements apply after 12
    /// months). Nil when no regime is in force on `date`.
    public func regime(for system: System, on date: CalendarDate) -> RegimeApplication? {
        let sorted = regimes.sorted { $0.effective < $1.effective }
        guard let index = sorted.lastIndex(where: { $0.effective <= date }) else { return nil }
        let current = sorted[index]
        if let t = current.transition, index > 0, date < current.effective.adding(months: t.months),
           system.dossier.status == .approved,
           (system.dossier.decision?.date).map({ $0 < current.effective }) ?? true {
            return RegimeApplication(regime: sorted[index - 1].id, transitionOf: current.id,
                                     transitionEnds: current.effective.adding(months: t.months).adding(days: -1))
        }
        return RegimeApplication(regime: current.id, transitionOf: nil, transitionEnds: nil)
    }
}
