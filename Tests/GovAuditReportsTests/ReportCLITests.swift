import Foundation
import GovAuditTestSupport
import Testing
@testable import GovAuditReports

/// Runs the built `govaudit` binary, as a user would, from the repository root.
enum Binary {
    static var url: URL {
        let beside = Bundle.main.bundleURL.appendingPathComponent("govaudit")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return ReportFixture.root.appendingPathComponent(".build/debug/govaudit")
    }

    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Subprocess.Result {
        try Subprocess.run(executable, arguments, directory: ReportFixture.root,
                           environment: ["NO_COLOR": "1"].merging(environment) { _, new in new })
    }
}

func mode(_ path: String) -> mode_t? {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o777 : nil
}

@Suite("govaudit report")
struct ReportCLITests {
    @Test("writes every format into --out-dir: files 0600, new folders 0700, the paths printed one per line")
    func writes() async throws {
        let folder = try TempFolder()
        let db = folder.url.appendingPathComponent("history.sqlite").path
        let (store, ids) = try await ReportFixture.makeHistory(at: db)
        try store.close()
        let out = folder.url.appendingPathComponent("bao-cao/thang-12").path
        let r = try Binary.run(Binary.url, ["report", "--db", db, "--out-dir", out, "--format", "html,csv,md,json"])
        #expect(r.status == 0, "\(r.err)")
        let names = ["report.html", "summary.csv", "systems.csv", "findings.csv", "ipv6.csv", "report.md", "report.json"]
        #expect(r.out == names.map { out + "/" + $0 + "\n" }.joined())
        for name in names { #expect(mode(out + "/" + name) == 0o600, "\(name)") }
        #expect(mode(out) == 0o700 && mode(folder.url.appendingPathComponent("bao-cao").path) == 0o700)
        // latest is the second scan; no temporary file is left behind.
        #expect(try String(contentsOfFile: out + "/report.json", encoding: .utf8).contains("\"id\" : \"\(ids[1])\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == names.sorted())

        let en = try Binary.run(Binary.url, ["report", "--db", db, "--scan", ids[0], "--out-dir", out, "--format", "md", "--lang", "en"])
        #expect(en.status == 0 && en.out == out + "/report.md\n", "\(en.err)")
        #expect(try String(contentsOfFile: out + "/report.md", encoding: .utf8).contains("Systems with an approved security-level dossier | 1/3 | 33.3%"))
    }

    @Test("an unknown scan is the user's error (2); a missing database the run's (3); a bad format a usage error (2)")
    func errors() async throws {
        let folder = try TempFolder()
        let db = folder.url.appendingPathComponent("history.sqlite").path
        let (store, _) = try await ReportFixture.makeHistory(at: db)
        try store.close()
        let unknown = try Binary.run(Binary.url, ["report", "--db", db, "--scan", "2020-01-01T00-00-00Z-0000", "--out-dir", folder.url.path])
        #expect(unknown.status == 2 && unknown.err.contains("no stored scan with id '2020-01-01T00-00-00Z-0000'"), "\(unknown.err)")
        let missing = try Binary.run(Binary.url, ["report", "--db", folder.url.appendingPathComponent("nope.sqlite").path])
        #expect(missing.status == 3 && missing.err.contains("no history database"), "\(missing.err)")
        let format = try Binary.run(Binary.url, ["report", "--db", db, "--format", "html,xls"])
        #expect(format.status == 2 && format.err.contains("'xls' is not a report format"), "\(format.err)")
    }
}

@Suite("govaudit report: the official report's options")
struct ReportOfficialCLITests {
    static let section = """
    version: 1
    name: "Tỉnh An Giang"
    agencies: []
    systems: []
    report:
      parentBody: "UBND TỈNH AN GIANG"
      body: "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
      place: "An Giang"
      signer: {title: "GIÁM ĐỐC", name: "Lê Thị Thu"}
      recipients: ["UBND tỉnh"]
    """

    @Test("docx: the issuer from --inventory, the number from --number, the date from --date; the file is 0600")
    func docx() async throws {
        let folder = try TempFolder()
        let db = folder.url.appendingPathComponent("history.sqlite").path
        let (store, _) = try await ReportFixture.makeHistory(at: db)
        try store.close()
        let inventory = folder.url.appendingPathComponent("inv.yaml")
        try Data(Self.section.utf8).write(to: inventory)
        let out = folder.url.appendingPathComponent("out").path
        let r = try Binary.run(Binary.url, ["report", "--db", db, "--out-dir", out, "--format", "docx", "--number", "7/BC-SKHCN",
                                            "--inventory", inventory.path, "--date", "2026-12-03"])
        #expect(r.status == 0 && r.out == out + "/report.docx\n", "\(r.err)")
        #expect(mode(out + "/report.docx") == 0o600)
        let p = try DOCXTests.read(out + "/report.docx")
        #expect(p.tables.first?.rows[1] == ["Số: 7/BC-SKHCN", "An Giang, ngày 03 tháng 12 năm 2026"])
        #expect(p.tables[1].rows[0][1] == "GIÁM ĐỐCLê Thị Thu")
    }

    @Test("docx without --number, without a report: section or with a broken one is the user's error (2), named")
    func docxErrors() async throws {
        let folder = try TempFolder()
        let db = folder.url.appendingPathComponent("history.sqlite").path
        let (store, _) = try await ReportFixture.makeHistory(at: db)
        try store.close()
        let out = folder.url.appendingPathComponent("out").path
        let noNumber = try Binary.run(Binary.url, ["report", "--db", db, "--out-dir", out, "--format", "docx"])
        #expect(noNumber.status == 2 && noNumber.err.contains("--number: the official report (docx) needs its number"), "\(noNumber.err)")
        let badNumber = try Binary.run(Binary.url, ["report", "--db", db, "--format", "docx", "--number", "12/\u{1B}[2J"])
        #expect(badNumber.status == 2 && badNumber.err.contains("is not a document number"), "\(badNumber.err)")
        // The fixture's stored inventory has no report: section.
        let none = try Binary.run(Binary.url, ["report", "--db", db, "--out-dir", out, "--format", "docx", "--number", "1/BC"])
        #expect(none.status == 2 && none.err.contains("has no report: section"), "\(none.err)")
        let broken = folder.url.appendingPathComponent("broken.yaml")
        try Data(Self.section.replacingOccurrences(of: "  place: \"An Giang\"\n", with: "").utf8).write(to: broken)
        let bad = try Binary.run(Binary.url, ["report", "--db", db, "--out-dir", out, "--format", "docx", "--number", "1/BC",
                                              "--inventory", broken.path])
        #expect(bad.status == 2 && bad.err.contains("\(broken.path):6: report.place: missing required field"), "\(bad.err)")
        #expect(!FileManager.default.fileExists(atPath: out + "/report.docx"))
    }

    @Test("pdf without Chromium: exit 2 naming the package to install")
    func pdfWithoutChromium() async throws {
        let folder = try TempFolder()
        let r = try Binary.run(Binary.url, ["report", "--db", folder.url.path + "/none.sqlite", "--format", "html,pdf"],
                               environment: ["PATH": folder.url.path])
        #expect(r.status == 2 && r.err.contains("install the Debian package chromium"), "\(r.err)")
    }
}
