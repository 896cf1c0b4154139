import Foundation
import Testing
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditReports
import GovAuditScan
import GovAuditStore
import GovAuditTestSupport

/// Evidence bundles (issue 14, item 7): the responses a spam finding cites are kept with their
/// SHA-256, the others dropped; `govaudit evidence` writes them byte for byte with a manifest.
@Suite("Evidence bundles: kept, stored, exported")
struct EvidenceBundleTests {
    func capture(_ page: String, body: [UInt8], visitor: String = RawCapture.crawlVisitor, truncated: Bool = false) -> RawCapture {
        RawCapture(page: page, visitor: visitor, url: "https://stp.angiang.gov.vn" + page, fetchedAt: "2026-12-01T01:00:05Z", status: 200,
                   headers: [HeaderField("Content-Type", "text/html; charset=windows-1258"), HeaderField("X-Injected", "\u{1B}[2J")],
                   body: Data(body), size: body.count + (truncated ? 1000 : 0), truncated: truncated, sha256: Digest.sha256Hex(body))
    }

    @Test("only cited responses are kept; stored in the system's commit; exported as .bin with a manifest the schema accepts")
    func bundle() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, _) = try await ReportFixture.makeHistory(at: folder.appendingPathComponent("h.sqlite").path)
        let policy = try ReportFixture.policy()
        // A system of the fixture whose crawl has spam; its findings as the scan judged them.
        let system = try #require(ReportFixture.systems(scan: 2).first { s in
            let e = Evaluator(policy: policy).evaluate(s, asOf: CalendarDate(year: 2026, month: 12, day: 1)!, evidence: ReportFixture.evidence(s, scan: 2))!
            return e.findings.contains { $0.rule == "links.spam" }
        })
        let endpoint = try #require(system.endpoints.first)
        let evaluation = Evaluator(policy: policy).evaluate(system, asOf: CalendarDate(year: 2026, month: 12, day: 1)!,
                                                            evidence: ReportFixture.evidence(system, scan: 2))!
        let spam = try #require(evaluation.findings.first { $0.rule == "links.spam" })
        let page = try #require(spam.evidence.first { $0.name == "page" }?.value)
        let hostile = Array("<html><script>alert('p'+'wned')</script>nhà cái \u{FF}".utf8) + [0x00, 0xFF, 0xFE]
        let pool = Evidence(endpoint: endpoint, facts: LinkCaptures(captures: [capture(page, body: hostile, truncated: true),
                                                                               capture("/khong-lien-quan", body: Array("x".utf8))]))
        let (kept, captures) = EvidenceBundles.split(ReportFixture.evidence(system, scan: 2) + [pool], findings: evaluation.findings)
        #expect(!kept.contains { $0.kind == LinkCaptures.kind })
        #expect(captures.count == 1 && captures[0].capture.page == page && captures[0].keys.contains(spam.key))

        let id = try await store.beginScan(NewScan(kind: .audit, inventory: Inventory(name: "x", illustrative: true, domain: nil, agencies: [], systems: [system]),
                                                   inventoryHash: "b", checks: ["links"], scope: ScanScope(systems: [system.id], options: [:]),
                                                   provenance: try await store.scan(try await store.scans()[0].scan.id).provenance))
        try await store.commitSystem(scan: id, system: system, evidence: kept, findings: evaluation.findings, captures: captures, at: Date())
        let stored = try await store.captures(of: spam.key)
        #expect(stored.count == 1 && stored[0].scan == id && stored[0].capture == captures[0].capture)
        #expect(try await store.captures(of: spam.key, scan: "khong-co").isEmpty)
        #expect(try await store.evidence(of: id, system: system.id, catalog: .standard).unknown.isEmpty)

        let out = folder.appendingPathComponent("bundle").path
        let paths = try EvidenceExport.write(key: spam.key, rule: spam.rule, captures: stored, to: out)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["\(spam.key)-1.headers.txt", "\(spam.key)-1.body.bin", "manifest.json"])
        let body = try Data(contentsOf: URL(fileURLWithPath: paths[1]))
        #expect(Array(body) == hostile)
        let manifest = try JSON.parse(String(contentsOfFile: paths[2], encoding: .utf8))
        let schema = try JSON.parse(String(contentsOf: ReportFixture.root.appendingPathComponent("Reports/schema/evidence-manifest.schema.json"), encoding: .utf8))
        #expect(JSONSchemaValidator(root: schema).validate(manifest) == [])
        guard case .array(let files)? = manifest["files"] else { Issue.record("no files"); return }
        #expect(files.first?["sha256"] == .string(Digest.sha256Hex(Array(body))))
        #expect(files.first?["truncated"] == .bool(true) && manifest["findingKey"] == .string(spam.key) && manifest["scan"] == .string(id))
        let headers = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(headers.hasPrefix("HTTP 200\r\nContent-Type: text/html; charset=windows-1258\r\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }
}
