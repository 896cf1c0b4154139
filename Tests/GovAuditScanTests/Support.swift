import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import GovAuditStore

// Test data for the scan pipeline: the repository's policy, a province of Vietnamese systems,
// probes that hand over stored evidence of every kind, and a folder per test.

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func policy() throws -> Policy {
        try PolicyLoader.load(directory: path("Policies"), digest: Digest.sha256Hex)
    }

    /// Tests/Fixtures/evidence-every-kind.json: evidence of every kind the catalog knows, on two endpoints.
    static func everyKind() throws -> [Evidence] {
        let decoder = JSONDecoder()
        decoder.userInfo[.evidenceCatalog] = EvidenceCatalog.standard
        let data = try Data(contentsOf: URL(fileURLWithPath: path("Tests/Fixtures/evidence-every-kind.json")))
        return try decoder.decode([StoredEvidence].self, from: data).map(\.evidence)
    }
}

/// A folder of its own under the temporary directory, removed when the test ends.
final class TempFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func store() throws -> HistoryStore { try HistoryStore(StoreLocation(path: url.appendingPathComponent("history.sqlite").path)) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

enum Province {
    static let asOf = CalendarDate(year: 2026, month: 11, day: 26)!
    static let troubled = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")
    static let failing = try! Endpoint(parsing: "https://dichvucong.angiang.gov.vn/")

    /// `count` systems on the two fixture endpoints (levels, agencies and records varied), and
    /// one without endpoints (judged on its records alone).
    static func inventory(_ count: Int) -> Inventory {
        let agencies = [Agency(id: "sotuphap", name: "Sở Tư pháp tỉnh An Giang"),
                        Agency(id: "vpubnd", name: "Văn phòng UBND tỉnh An Giang")]
        var systems = (1...count).map { i in
            System(id: "he-thong-\(i)", name: "Cổng thông tin điện tử thành phần số \(i) – Sở Tư pháp",
                   agency: agencies[i % 2].id, level: SecurityLevel(2 + i % 2)!,
                   dossier: Dossier(status: i % 3 == 0 ? .drafting : .approved,
                                    decision: Decision(number: "\(i)/QĐ-UBND", date: CalendarDate(year: 2024, month: 5, day: 10),
                                                       authority: "UBND tỉnh An Giang", role: .owner)),
                   endpoints: i % 2 == 0 ? [troubled] : [troubled, failing],
                   layers: LayerRecords(onSite: OnSiteRecord(unit: "Phòng Công nghệ thông tin", staff: 2)),
                   contacts: [Contact(name: "Nguyễn Thị Hồng", email: "hong@angiang.gov.vn")],
                   waivers: i == 3 ? [Waiver(rule: "dossier.not-approved", system: "he-thong-3", reason: "Đang trình phê duyệt",
                                             expires: CalendarDate(year: 2027, month: 3, day: 31)!)] : [])
        }
        systems.append(System(id: "quan-ly-van-ban", name: "Hệ thống quản lý văn bản và điều hành", agency: "vpubnd",
                              level: SecurityLevel(3)!, dossier: Dossier(status: .approved)))
        return Inventory(name: "Tỉnh An Giang", illustrative: true, domain: "angiang.gov.vn", agencies: agencies, systems: systems)
    }

    static func request(_ inventory: Inventory, policy: Policy) -> ScanRequest {
        let provenance = ScanProvenance(id: "", command: "scan", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                                        finishedAt: Date(timeIntervalSince1970: 1_795_000_100), asOf: asOf,
                                        govauditVersion: "test", libcurlVersion: "test", opensslVersion: "test",
                                        policyName: policy.name, policyHash: policy.hash, inventory: "province.yaml",
                                        resolver: nil, ipFamilies: ["ipv4"])
        return ScanRequest(kind: .scan, inventory: inventory, inventoryHash: "hash-\(inventory.systems.count)",
                           checks: Check.allCases, options: [:], provenance: provenance)
    }
}

/// Hands over, for each endpoint, the fixture's evidence about it: what a scan of the two
/// fixture portals observed.
struct FixtureProbe: Probe {
    var evidence: [Evidence]
    var name: String { "the fixture probe" }
    var budget: Duration { .seconds(60) }
    func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] { evidence.filter { $0.endpoint == endpoint } }
    func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] { [] }
}

extension FixtureProbe {
    /// The evidence the pipeline collects for `system` (endpoint by endpoint, as the jobs are planned).
    func collected(for system: System) -> [Evidence] { system.endpoints.flatMap { run($0) } }
}
