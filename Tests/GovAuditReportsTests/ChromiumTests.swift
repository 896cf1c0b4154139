import Foundation
import Testing
@testable import GovAuditReports

/// The HTML report in a real browser: headless Chromium (Debian `chromium`; `make browser-test`
/// installs it) loads the report of the hostile fixture, with its CSP and with the CSP stripped,
/// and the DOM it dumps shows that no payload ran. The payloads would write "p"+"wned" into the
/// DOM; the escaped source never holds that word whole. Skipped, with the reason printed, when
/// Chromium is not installed.
@Suite("HTML report in Chromium", .serialized)
struct ChromiumTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium on `file` with `arguments`; stdout.
    func chromium(_ arguments: [String], file: URL, profile: URL) throws -> String {
        let r = try Binary.run(URL(fileURLWithPath: "/usr/bin/timeout"), ["90", Self.chromium!, "--headless", "--no-sandbox",
            "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"]
            + arguments + [file.absoluteString])
        #expect(r.status == 0, "chromium: \(r.err.suffix(2000))")
        return r.out
    }

    @Test("no payload runs, with or without the CSP; a screenshot is saved under .build/")
    func payloadsStayText() async throws {
        guard Self.chromium != nil else {
            print("ChromiumTests skipped: chromium is not installed (make browser-test installs chromium and fonts-liberation2)")
            return
        }
        let folder = try TempFolder()
        let (model, _) = try await ReportFixture.model(folder: folder.url)
        let page = HTMLReport(language: .vi).render(model)
        let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLReport.contentSecurityPolicy)\">"
        let stripped = page.replacingOccurrences(of: csp, with: "")
        #expect(stripped != page)
        let profile = folder.url.appendingPathComponent("profile")

        for (name, html) in [("with-csp", page), ("without-csp", stripped)] {
            let file = folder.url.appendingPathComponent("\(name).html")
            try Data(html.utf8).write(to: file)
            let dom = try chromium(["--dump-dom"], file: file, profile: profile)
            #expect(dom.contains("Danh sách kèm theo"), "\(name): the report did not render")
            #expect(!dom.contains(ReportFixture.marker), "\(name): a payload ran")
            #expect(dom.range(of: #"<(script|iframe|img)\b"#, options: .regularExpression) == nil, "\(name): an element came from a payload")
            #expect(dom.contains("&lt;script&gt;document.body.setAttribute('data-x'"), "\(name): the payload is not shown as text")
        }

        // The control: the same check does see a script that runs.
        let control = folder.url.appendingPathComponent("control.html")
        try Data(stripped.replacingOccurrences(of: "</body>", with: ReportFixture.script + "</body>").utf8).write(to: control)
        #expect(try chromium(["--dump-dom"], file: control, profile: profile).contains("data-x=\"\(ReportFixture.marker)\""))

        let shot = ReportFixture.root.appendingPathComponent(".build/report-screenshot.png")
        try? FileManager.default.removeItem(at: shot)
        let file = folder.url.appendingPathComponent("with-csp.html")
        _ = try chromium(["--screenshot=\(shot.path)", "--window-size=1240,1754"], file: file, profile: profile)
        #expect(FileManager.default.fileExists(atPath: shot.path))
    }
}

/// The PDF report: `govaudit report --format pdf` prints the HTML with headless Chromium; the
/// PDF's text (pdftotext, poppler-utils) holds the figures; it is kept as .build/report.pdf.
/// Skipped as the HTML check is.
extension ChromiumTests {
    @Test("--format pdf: an A4 PDF whose text holds the title and every figure as N/M and share")
    func pdf() async throws {
        guard Self.chromium != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            print("ChromiumTests skipped: chromium or pdftotext is not installed (make browser-test installs chromium, fonts-liberation2 and poppler-utils)")
            return
        }
        let folder = try TempFolder()
        let db = folder.url.appendingPathComponent("history.sqlite").path
        let (store, _) = try await ReportFixture.makeHistory(at: db)
        try store.close()
        let out = folder.url.appendingPathComponent("out").path
        let (model, _) = try await ReportFixture.model(folder: try TempFolder().url)
        let r = try Binary.run(Binary.url, ["report", "--db", db, "--out-dir", out, "--format", "pdf"])
        #expect(r.status == 0 && r.out == out + "/report.pdf\n", "\(r.err)")
        #expect(mode(out + "/report.pdf") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["report.pdf"], "the temporary folder is removed")
        let info = try Binary.run(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [out + "/report.pdf"])
        #expect(info.out.contains("(A4)"), "\(info.out)")
        let text = try Binary.run(URL(fileURLWithPath: "/usr/bin/pdftotext"), [out + "/report.pdf", "-"])
        #expect(text.status == 0, "\(text.err)")
        let flat = text.out.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("Báo cáo tuân thủ an toàn thông tin"), "\(flat.prefix(500))")
        for f in model.figures where f.applicable > 0 {
            #expect(flat.contains(ReportText(.vi).ratio(f.passed, f.applicable)) && flat.contains(ReportText(.vi).percent(f.percent)), "\(f.id)")
        }
        #expect(flat.contains("Danh sách kèm theo"))
        let kept = ReportFixture.root.appendingPathComponent(".build/report.pdf")
        try? FileManager.default.removeItem(at: kept)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: out + "/report.pdf"), to: kept)
    }
}
