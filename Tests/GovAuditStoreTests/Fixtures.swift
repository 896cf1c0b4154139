import Foundation
import GovAuditCore
import GovAuditPolicy
@testable import GovAuditStore

// Test data for the store: evidence kinds of the tests' own (the probes' kinds change with the
// evidence contract), Vietnamese systems, findings, and a folder per test.

struct ResponseHeaders: EvidenceFacts {
    static let kind = "test.headers"
    static let version = 1
    var status: Int
    /// As sent, duplicates and order kept.
    var headers: [[String]]
}

struct CertificateDates: EvidenceFacts {
    static let kind = "test.certificate"
    static let version = 1
    var subject: String
    var notBefore: Date
    var notAfter: Date
}

struct CrawledLink: EvidenceFacts {
    static let kind = "test.link"
    static let version = 1
    var page: String
    var href: String
    var text: String
    var hidden: String?
}

let fullCatalog = EvidenceCatalog([ResponseHeaders.self, CertificateDates.self, CrawledLink.self])

/// A folder of its own under the temporary directory, removed when the test ends.
final class TempFolder {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Fixed instants, so ids and first-seen dates are known.
func instant(_ text: String) -> Date {
    try! Date.ISO8601FormatStyle().parse(text)
}

enum Factory {
    static func system(_ id: String, name: String = "Cổng thông tin điện tử tỉnh An Giang",
                       host: String? = nil, status: DossierStatus = .approved) -> System {
        let endpoints = [try! Endpoint(parsing: "https://\(host ?? id + ".angiang.gov.vn")/")]
        return System(id: id, name: name, agency: "so-khcn", level: SecurityLevel(3)!,
                      dossier: Dossier(status: status),
                      endpoints: endpoints,
                      layers: LayerRecords(onSite: OnSiteRecord(unit: "Phòng Công nghệ thông tin", staff: 2)),
                      contacts: [Contact(name: "Nguyễn Thị Hồng", role: "Chuyên viên", email: "hong@angiang.gov.vn")],
                      tags: ["cổng"])
    }

    static func evidence(for system: System, notAfter: Date = instant("2027-03-01T00:00:00Z")) -> [Evidence] {
        let e = system.endpoints[0]
        return [
            Evidence(endpoint: e, facts: ResponseHeaders(status: 200, headers: [["Server", "nginx/1.22.1"],
                                                                                 ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]])),
            Evidence(endpoint: e, facts: CertificateDates(subject: "CN=\(e.host)", notBefore: instant("2026-03-01T00:00:00Z"),
                                                          notAfter: notAfter)),
            Evidence(endpoint: e, facts: CrawledLink(page: "\(e)", href: "https://nhacai.example/", text: "Nhà cái uy tín",
                                                     hidden: "display:none")),
            Evidence(CrawledLink.self, endpoint: e, outcome: .failed(.timeout("no answer in 10 s"))),
            Evidence(ResponseHeaders.self, endpoint: nil, outcome: .couldNotTest("the scanner has no IPv6 route")),
        ]
    }

    static func finding(_ rule: String, on system: System, severity: Severity = .high, subject: String = "",
                        status: FindingStatus = .open) -> Finding {
        Finding(rule: rule, area: .tls, severity: severity, system: system.id, endpoint: system.endpoints[0].description,
                title: LocalizedText(vi: "Chứng chỉ sắp hết hạn", en: "Certificate expires soon"),
                remedy: LocalizedText(vi: "Gia hạn chứng chỉ.", en: "Renew the certificate."),
                legalBasis: LegalBasis(regime: "nd85", citation: "NĐ 85/2016/NĐ-CP Điều 20", confidence: .confirmed),
                evidence: [Fact("tls.notAfter", "2027-03-01")], subject: subject, status: status)
    }

    static func provenance(startedAt: Date, policyHash: String = "policy-hash-1") -> ScanProvenance {
        ScanProvenance(id: "to-be-replaced", command: "scan", startedAt: startedAt, finishedAt: startedAt,
                       asOf: CalendarDate(startedAt, in: CalendarDate.vietnamTimeZone), govauditVersion: "0.1.0",
                       libcurlVersion: "8.14.1", opensslVersion: "3.0.17", policyName: "default", policyHash: policyHash,
                       inventory: "Policies/inventory/angiang.yaml", resolver: "127.0.10.1:53", ipFamilies: ["ipv4", "ipv6"])
    }

    static let fullChecks = ["dns", "ipv6", "links", "tls"]

    static func newScan(_ systems: [System], at start: Date, kind: ScanKind = .scan,
                        checks: [String] = fullChecks, inventory: String = "Tỉnh An Giang") -> NewScan {
        let header = Inventory(name: inventory, illustrative: true, domain: "angiang.gov.vn",
                               agencies: [Agency(id: "so-khcn", name: "Sở Khoa học và Công nghệ")], systems: systems)
        return NewScan(kind: kind, inventory: header, inventoryHash: "inventory-hash-1", checks: checks,
                       scope: ScanScope(systems: systems.map(\.id), options: ["timeout": "10s", "per-ip": "4"]),
                       provenance: provenance(startedAt: start))
    }

    /// A summary as the evaluator writes it (its initializer is the policy module's own).
    static func summary(passed: Int = 2, applicable: Int = 3) -> Summary {
        let json = """
            {"province": {"name": "Tỉnh An Giang", "systems": \(applicable), "openFindings": {"high": 1},
              "waivedFindings": 0, "figures": [{"id": "dossier-approved",
              "label": {"vi": "Hồ sơ đề xuất cấp độ được phê duyệt", "en": "Dossier approved"},
              "passed": \(passed), "applicable": \(applicable), "unknown": 0, "notApplicable": 0,
              "failedSystems": ["ubnd-xa"]}]},
             "agencies": []}
            """
        return try! JSONDecoder().decode(Summary.self, from: Data(json.utf8))
    }

    /// Begins a scan of `systems`, commits each with its evidence and one finding, and finishes.
    @discardableResult
    static func completeScan(_ store: HistoryStore, _ systems: [System], at start: Date, kind: ScanKind = .scan,
                             checks: [String] = fullChecks, findings: (System) -> [Finding] = { [finding("tls-cert-expiry", on: $0)] })
    async throws -> String {
        let id = try await store.beginScan(newScan(systems, at: start, kind: kind, checks: checks))
        for (i, s) in systems.enumerated() {
            try await store.commitSystem(scan: id, system: s, evidence: evidence(for: s), findings: findings(s),
                                         at: start.addingTimeInterval(Double(i + 1)))
        }
        try await store.finishScan(id, summary: summary(), at: start.addingTimeInterval(60))
        return id
    }
}

/// File modes, as `stat` sees them.
func mode(_ path: String) -> mode_t? {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o777 : nil
}
