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
