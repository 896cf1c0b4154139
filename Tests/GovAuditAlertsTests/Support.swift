import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore

// Test data: two agencies of An Giang, three systems, findings made to order, and a history
// store of scans built from them (the pipeline is not involved: the store is what alerts read).

/// The repository's root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

enum Make {
    static let agencies = [Agency(id: "sonv", name: "Sở Nội vụ"), Agency(id: "sovh", name: "Sở Văn hóa, Thể thao và Du lịch")]

    static func system(_ id: String, agency: String, email: String?) -> System {
        System(id: id, name: "Cổng \(id) <b>", agency: agency, level: SecurityLevel(2)!, dossier: Dossier(status: .approved),
               endpoints: [try! Endpoint(parsing: "https://\(id).angiang.gov.vn/")],
               contacts: email.map { [Contact(name: "Trần Văn Bình", email: $0)] } ?? [])
    }

    static let systems = [system("cong-sonv", agency: "sonv", email: "attt@sonoivu.angiang.gov.vn"),
                          system("cong-dulich", agency: "sovh", email: "attt@dulich.angiang.gov.vn"),
                          system("cong-baotang", agency: "sovh", email: nil)]

    static func finding(_ rule: String, _ system: String, _ severity: Severity, area: Area = .links, subject: String = "",
                        status: FindingStatus = .open, evidence: [Fact] = []) -> Finding {
        Finding(rule: rule, area: area, severity: severity, system: system, endpoint: "https://\(system).angiang.gov.vn/",
                title: LocalizedText(vi: "Trang có liên kết cờ bạc", en: "Gambling link on the page"),
                remedy: LocalizedText(vi: "Gỡ liên kết.", en: "Remove the link."),
                legalBasis: LegalBasis(regime: "nd85", citation: "TT 32/2017", confidence: .confirmed),
                evidence: evidence, subject: subject, status: status)
    }

    /// A summary with a TLS figure of `tls`/3 and a dossier figure of 3/3, per agency too.
    static func summary(tls: Int) -> Summary {
        func group(_ agency: String?, _ name: String, _ passed: Int, _ n: Int) -> String {
            """
            {"agency": \(agency.map { "\"\($0)\"" } ?? "null"), "name": "\(name)", "systems": \(n), "openFindings": {}, "waivedFindings": 0,
             "figures": [{"id": "tls", "label": {"vi": "TLS và HTTPS đạt yêu cầu", "en": "TLS compliant"}, "passed": \(passed),
                          "applicable": \(n), "unknown": 0, "notApplicable": 0, "failedSystems": []},
                         {"id": "dossier-approved", "label": {"vi": "Hồ sơ được phê duyệt", "en": "Dossier approved"}, "passed": \(n),
                          "applicable": \(n), "unknown": 0, "notApplicable": 0, "failedSystems": []}]}
            """
        }
        let json = "{\"province\": \(group(nil, "Tỉnh An Giang", tls, 3)), \"agencies\": [\(group("sonv", "Sở Nội vụ", min(tls, 1), 1)), \(group("sovh", "Sở VHTTDL", max(0, tls - 1), 2))]}"
        return try! JSONDecoder().decode(Summary.self, from: Data(json.utf8))
    }
}

/// A history store in a folder of its own, with scans made to order an hour apart.
final class History: @unchecked Sendable {
    let folder: URL
    let store: HistoryStore
    private var clock = try! Date("2026-11-20T01:00:00Z", strategy: .iso8601)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try HistoryStore(StoreLocation(path: folder.appendingPathComponent("h.sqlite").path))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Stores a complete scan whose systems have these findings (none for a system not named).
    @discardableResult
    func scan(_ findings: [Finding], tls: Int = 3, complete: Bool = true) async throws -> String {
        clock = clock.addingTimeInterval(3600)
        let inventory = Inventory(name: "Tỉnh An Giang", domain: "angiang.gov.vn", agencies: Make.agencies, systems: Make.systems)
        let provenance = ScanProvenance(id: "x", command: "scan", startedAt: clock, finishedAt: clock,
                                        asOf: CalendarDate(clock, in: CalendarDate.vietnamTimeZone), govauditVersion: "0.1.0",
                                        libcurlVersion: "7.88.1", opensslVersion: "3.0.19", policyName: "default", policyHash: "p",
                                        inventory: "angiang.yaml", resolver: "127.0.10.1:53", ipFamilies: ["ipv4"])
        let id = try await store.beginScan(NewScan(kind: .scan, inventory: inventory, inventoryHash: "i", checks: ["links"],
                                                   scope: ScanScope(systems: Make.systems.map(\.id)), provenance: provenance))
        for s in Make.systems {
            try await store.commitSystem(scan: id, system: s, evidence: [], findings: findings.filter { $0.system == s.id },
                                         at: clock.addingTimeInterval(1))
        }
        if complete {
            try await store.finishScan(id, summary: Make.summary(tls: tls), at: clock.addingTimeInterval(60))
        } else {
            try await store.markInterrupted(id, at: clock.addingTimeInterval(60))
        }
        return id
    }
}
