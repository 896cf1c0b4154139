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
        var tally = SummaryTally(policy: policy, inventory: inventory)
        for s in systems { tally.add(s) }
        self = tally.summary
    }

    init(province: FigureGroup, agencies: [FigureGroup]) {
        self.province = province
        self.agencies = agencies
    }
}

/// The summary figures counted one system at a time, keeping only the counts (and the ids of
/// failed systems): a scan tallies each system as it finishes and then forgets it, so the figures
/// of 10,000 systems cost no more memory than their ids. The same counts in any order: failed
/// systems are listed in the inventory's order.
public struct SummaryTally: Sendable {
    private let policy: Policy
    private let name: String
    private let agencies: [Agency]
    /// Position of each system in the inventory, for the order of failed-system lists.
    private let position: [String: Int]
    private var province: Group
    private var byAgency: [String: Group] = [:]
    /// Systems tallied so far.
    public private(set) var count = 0

    public init(policy: Policy, inventory: Inventory) {
        self.policy = policy
        name = inventory.name
        agencies = inventory.agencies
        position = Dictionary(inventory.systems.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        province = Group(policy)
    }

    public mutating func add(_ s: SystemEvaluation) {
        let statuses = policy.figures.map { def in
            Evaluator.status(areas: def.areas, results: s.results, findings: s.findings, policy: policy).0
        }
        province.add(s, statuses)
        byAgency[s.system.agency, default: Group(policy)].add(s, statuses)
        count += 1
    }

    public var summary: Summary {
        Summary(province: province.figures(agency: nil, name: name, order: position),
                agencies: agencies.compactMap { a in byAgency[a.id].map { $0.figures(agency: a.id, name: a.name, order: position) } })
    }

    private struct Group: Sendable {
        var systems = 0
        var figures: [FigureValue]
        var open: [String: Int] = [:]
        var waived = 0

        init(_ policy: Policy) {
            figures = policy.figures.map { def in
                FigureValue(id: def.id, label: def.label, passed: 0, applicable: 0, unknown: 0, notApplicable: 0, failedSystems: [])
            }
        }

        mutating func add(_ s: SystemEvaluation, _ statuses: [ComplianceStatus]) {
            systems += 1
            for (i, status) in statuses.enumerated() {
                switch status {
                case .pass: figures[i].passed += 1; figures[i].applicable += 1
                case .fail: figures[i].applicable += 1; figures[i].failedSystems.append(s.system.id)
                case .unknown: figures[i].unknown += 1; figures[i].applicable += 1
                case .notApplicable: figures[i].notApplicable += 1
                }
            }
            for f in s.findings {
                if f.isOpen { open[f.severity.rawValue, default: 0] += 1 } else { waived += 1 }
            }
        }

        func figures(agency: String?, name: String, order: [String: Int]) -> FigureGroup {
            let sorted = figures.map { f in
                var f = f
                f.failedSystems.sort { order[$0, default: .max] < order[$1, default: .max] }
                return f
            }
            return FigureGroup(agency: agency, name: name, systems: systems, figures: sorted, openFindings: open, waivedFindings: waived)
        }
    }
}
