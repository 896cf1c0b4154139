import Foundation
import GovAuditTestSupport
import Testing

/// `schedule --report-dir`: each complete scan writes its report into <dir>/<scan-id>/, whole or
/// not at all, and the scan's alerts carry that folder; mistakes in the report flags are exit 2.
@Suite("schedule: reports of scheduled scans", .serialized)
struct ScheduleReportCLITests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-schedule-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// One system on the budget server (it answers 404 at once); its dossier as given.
    func inventory(_ server: BudgetServer, dossier: String) throws -> String {
        let path = folder.appendingPathComponent("mot.yaml").path
        try """
            version: 1
            name: "Một hệ thống"
            agencies: [{id: a, name: "Sở Thông tin và Truyền thông"}]
            systems:
              - {id: nhanh, name: "Cổng nhanh", agency: a, level: 2, dossier: {status: \(dossier)},
                 endpoints: ["http://127.0.0.1:\(server.webPort)/missing"]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("two runs, the dossier lapsing between them: each writes <dir>/<scan-id>/ in the formats asked (0700, 0600, no partial folder left); the second's alert names its folder")
    func reportsAndAlertPath() throws {
        let server = try BudgetServer.shared.get()
        let sinks = try AlertSinks(webhook: true, smtp: false, root: CLI.root)
        defer { sinks.stop() }
        let reports = folder.appendingPathComponent("bao-cao").path
        let common = ["schedule", "--every", "1m", "--max-runs", "1", "--db", folder.appendingPathComponent("h.sqlite").path,
                      "--resolver", server.resolver, "--allow-net", "127.0.0.1/32", "--checks", "links", "--crawl-seconds", "2",
                      "--report-dir", reports, "--report-format", "json,html", "--webhook", sinks.webhookURL]
        var folders: [String] = []
        for dossier in ["approved", "none"] {
            let run = try CLI.run(common + ["--inventory", try inventory(server, dossier: dossier)])
            #expect(run.status == 0, "\(run.stderr)")
            let id = try #require(run.stderr.firstMatch(of: /scan (\S+): complete, 1\/1 systems in \d+s; report (\S+)\n/), "\(run.stderr)")
            #expect(String(id.2) == "\(reports)/\(id.1)", "the folder is named by the scan id")
            folders.append(String(id.2))
        }
        // Only the two report folders: no hidden .partial-* left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports).sorted() == folders.map { ($0 as NSString).lastPathComponent }.sorted())
        for report in folders {
            #expect(try FileManager.default.contentsOfDirectory(atPath: report).sorted() == ["report.html", "report.json"])
            #expect(try mode(report) == 0o700 && mode(report + "/report.json") == 0o600)
            let json = try JSON.parse(String(contentsOfFile: report + "/report.json", encoding: .utf8))
            #expect(json["scan"]?["id"] == .string((report as NSString).lastPathComponent), "the report is that scan's")
        }
        let bodies = try sinks.requests().map { try JSON.parse(String(decoding: $0.body, as: UTF8.self)) }
        #expect(bodies.count == 1, "the first run is the baseline")
        #expect(bodies.first?["kind"] == .string("changes"))
        #expect(bodies.first?["report"] == .string(folders[1]), "the alert carries the second scan's report folder")
    }

    @Test("report flags checked at start (exit 2): docx, an unknown format, a format without a folder, a folder that is a file")
    func mistakes() throws {
        let file = folder.appendingPathComponent("a-file").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let common = ["schedule", "--every", "1m", "--max-runs", "1", "--inventory", "Tests/GovAuditCLITests/Fixtures/small.yaml",
                      "--db", folder.appendingPathComponent("h.sqlite").path, "--checks", "links"]
        let cases: [([String], String)] = [
            (["--report-dir", folder.path, "--report-format", "html,docx"], "--report-format: docx is the official report and needs its number"),
            (["--report-dir", folder.path, "--report-format", "word"], "--report-format: 'word' is not a report format"),
            (["--report-format", "html"], "--report-format: give --report-dir DIR too"),
            (["--report-dir", file], "--report-dir: cannot write \(file): exists and is not a folder"),
        ]
        for (flags, message) in cases {
            let r = try CLI.run(common + flags)
            #expect(r.status == 2, "\(flags): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(flags): \(r.stderr)")
        }
    }
}
