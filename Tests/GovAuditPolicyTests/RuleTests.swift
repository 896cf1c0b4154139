import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Each rule's pass and fail case, on systems built for the purpose.
@Suite("Rules")
struct RuleTests {
    let evaluator: Evaluator
    init() throws { evaluator = Evaluator(policy: try Repo.policy()) }

    let asOf = "2026-11-26"

    @Test("dossier.missing, not-approved, rejected follow the dossier status",
          arguments: [(DossierStatus.none, "dossier.missing"), (.drafting, "dossier.not-approved"),
                      (.submitted, "dossier.not-approved"), (.rejected, "dossier.rejected")])
    func dossierStatus(status: DossierStatus, rule: String) {
        let (result, findings) = evaluator.check(rule, makeSystem(status: status, decision: nil), on: asOf)
        #expect(result == .fail)
        #expect(findings.count == 1 && findings[0].evidence == [Fact("dossier.status", status.rawValue)])
        #expect(findings[0].severity == .high && findings[0].area == .dossier)
        let (ok, none) = evaluator.check(rule, makeSystem(), on: asOf)
        #expect(ok == .pass && none.isEmpty)
    }

    @Test("dossier.decision-incomplete names what is missing")
    func decisionIncomplete() {
        let s = makeSystem(decision: Decision(date: day("2024-01-02"), authority: "UBND tỉnh"))
        let (result, findings) = evaluator.check("dossier.decision-incomplete", s, on: asOf)
        #expect(result == .fail)
        #expect(findings.first?.evidence == [Fact("decision.missing", "number, role")])
        #expect(evaluator.check("dossier.decision-incomplete", makeSystem(), on: asOf).0 == .pass)
    }

    @Test("dossier.authority-mismatch compares the role with the level's approvers")
    func authority() {
        let ministry = Decision(number: "1/QĐ-B", date: day("2023-01-01"), authority: "Bộ X", role: .ministry)
        #expect(evaluator.check("dossier.authority-mismatch", makeSystem(level: 3, decision: ministry), on: asOf).0 == .fail)
        let unit = Decision(number: "1/QĐ-S", date: day("2023-01-01"), authority: "Sở TT&TT", role: .securityUnit)
        #expect(evaluator.check("dossier.authority-mismatch", makeSystem(level: 2, decision: unit), on: asOf).0 == .pass)
        #expect(evaluator.check("dossier.authority-mismatch", makeSystem(level: 3, decision: unit), on: asOf).0 == .fail)
        // Under the new regime (unconfirmed NĐ 331 Đ18) a level-3 dossier may be approved by the
        // security unit; a dossier decided after 1/7/2026 is judged under it.
        let lateUnit = Decision(number: "1/QĐ-S", date: day("2026-08-01"), authority: "Sở KH&CN", role: .securityUnit)
        let (r, f) = evaluator.check("dossier.authority-mismatch", makeSystem(level: 3, decision: lateUnit), on: asOf)
        #expect(r == .pass && f.isEmpty)
        #expect(evaluator.check("dossier.authority-mismatch", makeSystem(level: 5), on: asOf).0 == .fail)
    }

    @Test("layerN.record-missing fails only when the record is absent, and only for levels 3–5",
          arguments: ProtectionLayer.allCases)
    func recordMissing(layer: ProtectionLayer) {
        var records = makeSystem().layers
        switch layer {
        case .onSite: records.onSite = nil
        case .monitoring: records.monitoring = nil
        case .assessment: records.assessment = nil
        case .nationalMonitoring: records.nationalMonitoring = nil
        }
        let rule = "\(layer.code).record-missing"
        let (result, findings) = evaluator.check(rule, makeSystem(layers: records), on: asOf)
        #expect(result == .fail && findings.first?.area.rawValue == layer.code)
        #expect(evaluator.check(rule, makeSystem(), on: asOf).0 == .pass)
        #expect(evaluator.check(rule, makeSystem(level: 2, layers: records), on: asOf).0 == .notApplicable)
    }

    @Test("layer2 contract: expired, expiring within warnDays, unknown without an end date")
    func contract() {
        func system(end: String?) -> System {
            var l = makeSystem().layers
            l.monitoring = MonitoringRecord(provider: "SOC", contractEnd: end.map(day))
            return makeSystem(layers: l)
        }
        let (expired, f) = evaluator.check("layer2.contract-expired", system(end: "2026-06-30"), on: asOf)
        #expect(expired == .fail && f.first?.evidence.contains(Fact("daysSinceEnd", "149")) == true)
        #expect(evaluator.check("layer2.contract-expired", system(end: "2026-11-26"), on: asOf).0 == .pass)
        #expect(evaluator.check("layer2.contract-expired", system(end: nil), on: asOf).0 == .unknown)
        let (soon, g) = evaluator.check("layer2.contract-expiring", system(end: "2026-12-15"), on: asOf)
        #expect(soon == .fail && g.first?.evidence.contains(Fact("daysLeft", "19")) == true && g.first?.severity == .low)
        #expect(evaluator.check("layer2.contract-expiring", system(end: "2027-01-15"), on: asOf).0 == .pass)
    }

    @Test("layer3.assessment-overdue follows the level's interval and the --as-of date")
    func overdue() {
        var l = makeSystem().layers
        l.assessment = AssessmentRecord(date: day("2025-08-15"), assessor: "Công ty A")
        let s3 = makeSystem(level: 3, layers: l)
        #expect(evaluator.check("layer3.assessment-overdue", s3, on: "2026-08-15").0 == .pass)
        let (late, f) = evaluator.check("layer3.assessment-overdue", s3, on: "2026-08-16")
        #expect(late == .fail)
        #expect(f.first?.evidence.contains(Fact("dueDate", "2026-08-15")) == true)
        #expect(f.first?.evidence.contains(Fact("daysOverdue", "1")) == true)
        // Level 5: every six months.
        let s5 = makeSystem(level: 5, layers: l)
        #expect(evaluator.check("layer3.assessment-overdue", s5, on: "2026-02-15").0 == .pass)
        #expect(evaluator.check("layer3.assessment-overdue", s5, on: "2026-02-16").0 == .fail)
    }

    @Test("layer3.assessor-not-independent ignores case and punctuation")
    func independence() {
        var l = makeSystem().layers
        l.assessment = AssessmentRecord(date: day("2026-05-01"), assessor: "soc  vnpt an-giang")
        #expect(evaluator.check("layer3.assessor-not-independent", makeSystem(layers: l), on: asOf).0 == .fail)
        #expect(evaluator.check("layer3.assessor-not-independent", makeSystem(), on: asOf).0 == .pass)
    }

    @Test("layer4.not-connected applies to every level with a record")
    func connection() {
        var l = LayerRecords()
        l.nationalMonitoring = NationalMonitoringRecord(connected: false)
        #expect(evaluator.check("layer4.not-connected", makeSystem(level: 1, layers: l), on: asOf).0 == .fail)
        #expect(evaluator.check("layer4.not-connected", makeSystem(level: 1), on: asOf).0 == .pass)
        #expect(evaluator.check("layer4.not-connected", makeSystem(level: 1, layers: LayerRecords()), on: asOf).0 == .notApplicable)
    }
}
