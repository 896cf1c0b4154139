import Foundation
import GovAuditTestSupport
import Testing

/// Drift against the lab (issue 14, items 6 and 8): a host whose home page changes between
/// scans, as a news portal's does (no finding), then is defaced with a new third-party script
/// (both findings in diff); accepted as the baseline, the next scan has none. A sound host
/// scanned beside it never shows drift.
@Suite("Drift between scans of the lab (integration)", .serialized)
struct DriftLabTests {
    let lab: Lab
    let folder: URL
    let page = Lab.root.appendingPathComponent("Tests/Lab/state/www/drift.lab.angiang.gov.vn/index.html")
    static let driftRules: Set<String> = ["links.new-script-host", "links.new-frame-source", "links.new-outbound-domain", "links.defacement"]

    init() throws {
        lab = try Lab.running()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-drift-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func govaudit(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(Lab.root.appendingPathComponent(".build/debug/govaudit"), arguments, directory: Lab.root, environment: ["NO_COLOR": "1"])
    }

    func scan(_ db: String, _ inventory: URL) throws -> Subprocess.Result {
        try govaudit(["scan", "--inventory", inventory.path, "--checks", "links", "--resolver", lab.resolver, "--ca-file", lab.caFile,
                      "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16", "--as-of", "2026-11-26", "--db", db, "--fail-on", "none"])
    }

    /// The rules of the new findings per system in `govaudit diff` (the latest scan against the one before).
    func newRules(_ db: String) throws -> [String: Set<String>] {
        let r = try govaudit(["diff", "--db", db, "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        var out: [String: Set<String>] = [:]
        guard case .array(let systems)? = try JSON.parse(r.out)["diff"]?["systems"] else { return out }
        for s in systems {
            guard case .string(let id)? = s["system"], case .array(let new)? = s["newFindings"] else { continue }
            for f in new { if case .string(let rule)? = f["finding"]?["rule"] { out[id, default: []].insert(rule) } }
        }
        return out
    }

    @Test("a news-like change is no drift; a defaced home page with a new script host is, in diff; accepted, it is no longer; the sound host never drifts")
    func driftAcrossScans() throws {
        let original = try String(contentsOf: page, encoding: .utf8)
        defer { try? original.write(to: page, atomically: true, encoding: .utf8) }
        let inventory = folder.appendingPathComponent("drift.yaml")
        try """
            version: 1
            name: "Tỉnh An Giang (thay đổi)"
            agencies:
              - {id: sotttt, name: "Sở Thông tin và Truyền thông"}
            systems:
              - {id: cong-thaydoi, name: "Cổng thử nghiệm thay đổi", agency: sotttt, level: 2, dossier: {status: approved},
                 endpoints: ["https://drift.lab.angiang.gov.vn/"]}
              - {id: cong-dvc, name: "Cổng dịch vụ công", agency: sotttt, level: 2, dossier: {status: approved},
                 endpoints: ["https://dichvucong.angiang.gov.vn/"]}
            """.write(to: inventory, atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("drift.sqlite").path

        let first = try scan(db, inventory)
        #expect(first.status == 0, "\(first.err)")

        // The day's news: new article text, the template as it was.
        let news = original.replacingOccurrences(of: "<main>", with: "<main><article><h2>Hội nghị chuyển đổi số tỉnh An Giang khai mạc sáng nay</h2>"
            + "<p>Đại biểu các sở, ban, ngành dự hội nghị, thảo luận kế hoạch phát triển hạ tầng số và dữ liệu dùng chung.</p></article>")
        #expect(news != original)
        try news.write(to: page, atomically: true, encoding: .utf8)
        #expect(try scan(db, inventory).status == 0)
        let afterNews = try newRules(db)
        #expect(afterNews.values.allSatisfy { $0.isDisjoint(with: Self.driftRules) }, "\(afterNews)")

        // Defaced, with a script from a third party the site never used.
        try """
            <!doctype html><html><head><meta charset="utf-8"><title>Hacked by lab crew</title>
            <script src="https://cdn-thirdparty.example/inject.js"></script></head>
            <body><center><h1>Hacked by lab crew</h1><p>Your security is low. Greetings to all members.</p></center></body></html>
            """.write(to: page, atomically: true, encoding: .utf8)
        #expect(try scan(db, inventory).status == 0)
        let afterDefacement = try newRules(db)
        #expect(afterDefacement["cong-thaydoi"]?.isSuperset(of: ["links.new-script-host", "links.defacement"]) == true, "\(afterDefacement)")
        #expect((afterDefacement["cong-dvc"] ?? []).isDisjoint(with: Self.driftRules), "\(afterDefacement)")
        // The defaced page as received, for the incident report: exported with its SHA-256.
        let diffJSON = try JSON.parse(try govaudit(["diff", "--db", db, "--format", "json"]).out)
        var defacementKey: String?
        if case .array(let systems)? = diffJSON["diff"]?["systems"] {
            for s in systems { if case .array(let new)? = s["newFindings"] { for f in new where f["finding"]?["rule"] == .string("links.defacement") {
                if case .string(let k)? = f["finding"]?["key"] { defacementKey = k }
            } } }
        }
        let key = try #require(defacementKey)
        let bundle = folder.appendingPathComponent("bundle")
        let export = try govaudit(["evidence", key, "--out-dir", bundle.path, "--db", db])
        #expect(export.status == 0, "\(export.err)")
        let body = try String(contentsOf: bundle.appendingPathComponent("\(key)-1.body.bin"), encoding: .utf8)
        #expect(body.contains("Hacked by lab crew"))
        let manifest = try JSON.parse(String(contentsOf: bundle.appendingPathComponent("manifest.json"), encoding: .utf8))
        #expect(manifest["findingKey"] == .string(key) && manifest["system"] == .string("cong-thaydoi"))
        let table = try govaudit(["diff", "--db", db])
        #expect(table.out.contains("links.new-script-host") && table.out.contains("host=cdn-thirdparty.example"), "\(table.out)")

        // Accepted as expected: the next scan of the same state has no drift.
        let accept = try govaudit(["baseline", "accept", "cong-thaydoi", "--db", db, "--reason", "Trang tạm thời đã duyệt", "--by", "lab"])
        #expect(accept.status == 0 && accept.out.contains("baseline accepted from scan"), "\(accept.err)")
        #expect(try scan(db, inventory).status == 0)
        let findings = try govaudit(["baseline", "show", "cong-thaydoi", "--db", db])
        #expect(findings.status == 0 && findings.out.contains("Accepted") && findings.out.contains("against accepted"), "\(findings.out)")
        #expect(findings.out.contains("new script hosts: none"), "\(findings.out)")
        let json = try govaudit(["baseline", "show", "cong-thaydoi", "--db", db, "--format", "json"])
        #expect(try JSON.parse(json.out)["accepted"]?["by"] == .string("lab"))
        let unknown = try govaudit(["baseline", "accept", "khong-co", "--db", db])
        #expect(unknown.status == 2 && unknown.err.contains("khong-co"), "\(unknown.err)")
    }
}
