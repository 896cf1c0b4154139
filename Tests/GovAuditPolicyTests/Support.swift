import Foundation
import GovAuditCore
import GovAuditNet
@testable import GovAuditPolicy

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The default policy, loaded as the CLI loads it.
    static func policy() throws -> Policy {
        try PolicyLoader.load(directory: path("Policies"), digest: Digest.sha256Hex)
    }
}

func day(_ s: String) -> CalendarDate { CalendarDate(parsing: s)! }

/// Test systems with Vietnamese names; every field can be overridden. The defaults describe a
/// compliant level-3 system as of 2026-11-26.
func makeSystem(id: String = "he-thong", level: Int = 3, status: DossierStatus = .approved,
                decision: Decision? = Decision(number: "123/QĐ-UBND", date: day("2024-05-10"),
                                               authority: "UBND tỉnh An Giang", role: .owner),
                layers: LayerRecords? = nil, waivers: [Waiver] = []) -> System {
    System(id: id, name: "Hệ thống thông tin thử nghiệm – Sở Tư pháp", agency: "sotuphap",
           level: SecurityLevel(level)!, dossier: Dossier(status: status, decision: decision),
           endpoints: [try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")],
           layers: layers ?? LayerRecords(
               onSite: OnSiteRecord(unit: "Phòng CNTT", staff: 2),
               monitoring: MonitoringRecord(provider: "SOC VNPT An Giang", contractEnd: day("2027-06-30")),
               assessment: AssessmentRecord(date: day("2026-05-15"), assessor: "Công ty An ninh mạng Viettel"),
               nationalMonitoring: NationalMonitoringRecord(connected: true, since: day("2021-03-01"))),
           waivers: waivers)
}

extension Evaluator {
    /// Evaluates one system and returns the findings of `rule` and that rule's status.
    func check(_ rule: String, _ system: System, on date: String) -> (RuleResult.Status?, [Finding]) {
        let e = evaluate(system, asOf: day(date))!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }
}

extension Policy {
    /// The same policy with one parameter of one rule replaced (under every regime).
    func setting(_ rule: String, _ name: String, _ value: ParameterValue) -> Policy {
        var p = self
        guard let i = p.rules.firstIndex(where: { $0.id == rule }) else { return p }
        p.rules[i].parameters.values[name] = value
        for key in p.rules[i].basis.keys { p.rules[i].basis[key]?.parameters.values[name] = nil }
        return p
    }
}
