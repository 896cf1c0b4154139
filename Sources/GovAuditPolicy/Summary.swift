import Foundation
import GovAuditCore

/// One summary figure over a set of systems: "64/64 (100%)" with unknown and not-applicable
/// systems counted apart.
public struct FigureValue: Sendable, Hashable, Codable {
    public var id: String
    public var label: LocalizedText
    public var passed: Int
    /// Systems the figure applies to: the denominator. Unknown systems are in it, never passed.
    public var applicable: Int
    public var unknown: Int
    public var notApplicable: Int
    /// Systems that failed, by id, so the "danh sách kèm theo" can be printed.
    public var failedSystems: [String]

    /// Percentage of applicable systems that passed; nil when none applies.
    public var percent: Double? {
        applicable == 0 ? nil : Double(passed) * 100 / Double(applicable)
    }

    /// "64/64 (100%)" in English, "64/64, đạt 100%" in Vietnamese (decimal comma).
    public func ratio(_ language: Language) -> String {
        guard let p = percent else { return language == .vi ? "không áp dụng" : "not applicable" }
        var pct = p == p.rounded() ? String(Int(p)) : String(format: "%.1f", p)
        if language == .vi {
            pct = pct.replacingOccurrences(of: ".", with: ",")
            return "\(passed)/\(applicable), đạt \(pct)%"
        }
        return "\(passed)/\(applicable) (\(pct)%)"
    }
}

/// The figures for one group of systems: the province, or one agency.
public struct FigureGroup: Sendable, Codable {
    /// Agency id, or nil for the whole inventory.
    public var agency: String?
    public var name: String
    public var systems: Int
    public var figures: [FigureValue]
    /// Open findings by severity.
    public var openFindings: [String: Int]
    public var waivedFindings: Int
}

/// Province and per-agency summaries with the seed report's figures.
public struct Summary: Sendable, Codable {
    public var province: FigureGroup
    public var agencies: [FigureGroup]

    init(policy: Policy, inventory: Inventory, systems: [SystemEvaluation]) {
        province = Summary.group(agency: nil, name: inventory.name, systems, policy)
        agencies = inventory.agencies.compactMap { agency in
            let own = systems.filter { $0.system.agency == agency.id }
            return own.isEmpty ? nil : Summary.group(agency: agency.id, name: agency.name, own, policy)
        }
    }

    private static func group(agency: String?, name: String, _ systems: [SystemEvaluation],
                              _ policy: Policy) -> FigureGroup {
        let figures = policy.figures.map { def in
            var v = FigureValue(id: def.id, label: def.label, passed: 0, applicable: 0, unknown: 0,
                                notApplicable: 0, failedSystems: [])
            for s in systems {
                switch Evaluator.status(areas: def.areas, results: s.results, findings: s.findings, policy: policy).0 {
                case .pass: v.passed += 1; v.applicable += 1
                case .fail: v.applicable += 1; v.failedSystems.append(s.system.id)
                case .unknown: v.unknown += 1; v.applicable += 1
                case .notApplicable: v.notApplicable += 1
                }
            }
            return v
        }
        let findings = systems.flatMap(\.findings)
        var bySeverity: [String: Int] = [:]
        for f in findings where f.isOpen { bySeverity[f.severity.rawValue, default: 0] += 1 }
        return FigureGroup(agency: agency, name: name, systems: systems.count, figures: figures,
                           openFindings: bySeverity, waivedFindings: findings.filter { !$0.isOpen }.count)
    }
}
