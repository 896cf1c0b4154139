import Foundation
import GovAuditTestSupport
import Testing

/// `schedule --report-dir`: each complete scan writes its report into <dir>/<scan-id>/, whole or
/// not at all, and the scan's alerts carry that folder; mistakes in the report flags are exit 2.
@Suite("schedule: reports of scheduled scans", .serialized)
struct ScheduleReportCLITests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("schedule-reports")
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("two runs, the dossier lapsing between them: each writes <dir>/<scan-id>/ in the formats asked (0700, 0600, no partial folder left); the second's alert names its folder")
    func reportsAndAlertPath() throws {
        let server = try BudgetServer.shared.get()
        let sinks = try AlertSinks(webhook: true, smtp: false, root: CLI.root)
        defer { sinks.stop() }
        let reports = folder.path("bao-cao")
        let common = ["schedule", "--every", "1m", "--max-runs", "1", "--db", folder.path("h.sqlite"),
                      "--resolver", server.resolver, "--allow-net", "127.0.0.1/32", "--checks", "links", "--crawl-seconds", "2",
                      "--report-dir", reports, "--report-format", "json,html", "--webhook", sinks.webhookURL]
        var folders: [String] = []
        for dossier in ["approved", "none"] {
            let inventory = try folder.write("one.yaml", BudgetInventory.yaml(server, slow: false, dossier: dossier))
            let run = try CLI.run(common + ["--inventory", inventory])
            #expect(run.status == 0, "\(run.stderr)")
            let id = try #require(run.stderr.firstMatch(of: /scan (\S+): complete, 1\/1 systems in \d+s \(threads (\d+) at most at once;[^)]*\); report (\S+)\n/),
                                  "\(run.stderr)")
            #expect(String(id.3) == "\(reports)/\(id.1)", "the folder is named by the scan id")
            #expect(Int(id.2)! >= 1, "the probes ran on threads of the scan's pool")
            folders.append(String(id.3))
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
        let file = try folder.write("a-file", "x")
        let common = ["schedule", "--every", "1m", "--max-runs", "1", "--inventory", "Tests/GovAuditCLITests/Fixtures/small.yaml",
                      "--db", folder.path("h.sqlite"), "--checks", "links"]
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
