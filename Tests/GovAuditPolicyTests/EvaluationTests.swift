import GovAuditCore
import GovAuditInventory
import Testing
@testable import GovAuditPolicy

@Suite("Evaluation: regimes, waivers, layers, figures")
struct EvaluationTests {
    let policy: Policy
    let evaluator: Evaluator
    init() throws {
        policy = try Repo.policy()
        evaluator = Evaluator(policy: policy)
    }

    @Test("the regime in force follows the as-of date and Luật 116's transition for classified systems")
    func regimes() {
        let classified = makeSystem()   // approved 2024-05-10
        #expect(policy.regime(for: classified, on: day("2026-06-30"))?.regime == "nd85")
        let transition = policy.regime(for: classified, on: day("2026-07-01"))
        #expect(transition == RegimeApplication(regime: "nd85", transitionOf: "luat116", transitionEnds: day("2027-06-30")))
        #expect(policy.regime(for: classified, on: day("2027-07-01"))?.regime == "luat116")
        let unclassified = makeSystem(status: .drafting, decision: nil)
        #expect(policy.regime(for: unclassified, on: day("2026-07-01"))?.regime == "luat116")
        #expect(policy.regime(for: classified, on: day("2010-01-01")) == nil)
        // The finding cites the regime applied.
        let (_, f) = evaluator.check("dossier.not-approved", unclassified, on: "2026-11-26")
        #expect(f.first?.legalBasis.regime == "luat116" && f.first?.legalBasis.isFlagged == true)
        let (_, g) = evaluator.check("dossier.not-approved", unclassified, on: "2026-01-01")
        #expect(g.first?.legalBasis.regime == "nd85" && g.first?.legalBasis.isFlagged == false)
    }

    @Test("a waived finding is shown as waived and leaves the figures until it expires")
    func waivers() {
        var l = makeSystem().layers
        l.assessment = AssessmentRecord(date: day("2025-01-10"), assessor: "Công ty A")
        let waiver = Waiver(rule: "layer3.assessment-overdue", system: "he-thong", reason: "Đang đấu thầu",
                            decision: "215/QĐ-UBND", expires: day("2027-03-31"))
        let system = makeSystem(layers: l, waivers: [waiver])
        let inventory = Inventory(name: "Thử", agencies: [Agency(id: "sotuphap", name: "Sở Tư pháp")], systems: [system])

        let during = evaluator.evaluate(inventory, asOf: day("2026-11-26"))
        let f = during.systems[0].findings.filter { $0.rule == "layer3.assessment-overdue" }
        #expect(f.count == 1 && f[0].status == .waived && f[0].waiver == waiver)
        #expect(during.openFindings(atLeast: .info).isEmpty)
        #expect(during.systems[0].layers.first { $0.layer == .assessment }?.status == .pass)
        #expect(during.summary.province.figures.first { $0.id == "layer3" }?.passed == 1)

        let after = evaluator.evaluate(inventory, asOf: day("2027-04-01"))
        let g = after.systems[0].findings.filter { $0.rule == "layer3.assessment-overdue" }
        #expect(g.count == 1 && g[0].status == .open && g[0].evidence.contains(Fact("waiver.expired", "2027-03-31")))
        #expect(after.systems[0].layers.first { $0.layer == .assessment }?.status == .fail)
        #expect(after.summary.province.figures.first { $0.id == "layer3" }?.passed == 0)
    }

    @Test("layer status: fail beats unknown beats pass; unknown is never counted as passed")
    func layerStatus() {
        var l = makeSystem().layers
        l.monitoring = MonitoringRecord(provider: "SOC", contractEnd: nil)
        let s = evaluator.evaluate(makeSystem(layers: l), asOf: day("2026-11-26"))!
        let layer2 = s.layers.first { $0.layer == .monitoring }!
        #expect(layer2.status == .unknown && layer2.reasons.first?.hasPrefix("layer2.contract-expired") == true)
        let inventory = Inventory(name: "x", agencies: [], systems: [makeSystem(layers: l)])
        let fig = evaluator.evaluate(inventory, asOf: day("2026-11-26")).summary.province.figures.first { $0.id == "layer2" }!
        #expect(fig.passed == 0 && fig.unknown == 1 && fig.applicable == 1)
        #expect(fig.ratio(.en) == "0/1 (0%)")
    }

    @Test("figures on the example inventory, recounted here from the records")
    func exampleFigures() throws {
        let inv = try InventoryLoader.load(path: Repo.path("Policies/inventory/angiang.yaml"))
        let e = evaluator.evaluate(inv, asOf: day("2026-11-26"))
        let figures = Dictionary(uniqueKeysWithValues: e.summary.province.figures.map { ($0.id, $0) })
        let dossier = try #require(figures["dossier-approved"])
        #expect(dossier.passed == inv.systems.filter { $0.dossier.status == .approved }.count)
        #expect(dossier.ratio(.vi) == "64/64, đạt 100%")
        #expect(dossier.ratio(.en) == "64/64 (100%)")

        // Layer 3 for levels 3–5: a record dated within 12 months (6 for level 5), not by the SOC,
        // or an active waiver.
        let high = inv.systems.filter { $0.level.value >= 3 }
        let layer3Pass = high.filter { s in
            guard let a = s.layers.assessment else { return false }
            let fresh = a.date.adding(months: s.level.value == 5 ? 6 : 12) >= day("2026-11-26")
            let waived = s.waivers.contains { $0.rule == "layer3.assessment-overdue" && $0.isActive(on: day("2026-11-26")) }
            let independent = a.assessor != s.layers.monitoring?.provider
            return (fresh || waived) && independent
        }
        #expect(figures["layer3"]?.applicable == high.count)
        #expect(figures["layer3"]?.passed == layer3Pass.count)
        #expect(layer3Pass.count < high.count, "the example shows overdue systems")

        // As of 1/1/2026 nobody is overdue yet: the calendar changes the result.
        let early = evaluator.evaluate(inv, asOf: day("2026-01-01"))
        #expect(early.systems.flatMap(\.findings).filter { $0.rule == "layer3.assessment-overdue" }.isEmpty)
        #expect(!e.systems.flatMap(\.findings).filter { $0.rule == "layer3.assessment-overdue" }.isEmpty)

        // Per-agency groups partition the province.
        #expect(e.summary.agencies.map(\.systems).reduce(0, +) == 64)
        #expect(e.summary.agencies.map { $0.figures[0].passed }.reduce(0, +) == dossier.passed)
    }

    @Test("validation refuses waivers naming unknown rules, with their location")
    func validation() {
        let w = Waiver(rule: "layer9.nothing", system: "he-thong", reason: "x", expires: day("2027-01-01"),
                       location: SourceLocation(file: "inv.yaml", line: 42))
        let inv = Inventory(name: "x", agencies: [], systems: [makeSystem(waivers: [w])])
        let errors = evaluator.validate(inv, asOf: day("2026-11-26"))
        #expect(errors.map(\.description) == ["inv.yaml:42: systems.he-thong.waivers.rule: no rule with id 'layer9.nothing' in policy 'GovAudit default policy'"])
    }
}
