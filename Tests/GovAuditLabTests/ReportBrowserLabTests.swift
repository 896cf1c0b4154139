import Foundation
import GovAuditTestSupport
import Testing

/// The HTML report of a stored lab scan in a real browser: the lab's payloads host (script in a
/// link title, `onerror=` in its text, `javascript:` and `data:` links, a bidi override, terminal
/// escapes, a spreadsheet formula) is scanned into a history, `govaudit report` writes its HTML,
/// and headless Chromium loads it with its Content-Security-Policy and with it stripped. A payload
/// that ran would write `data-lab="labran"` into the DOM Chromium dumps; a control page with one
/// script that does run proves the check sees it. `make test` installs Chromium.
@Suite("HTML report of a lab scan in Chromium (integration)", .serialized)
struct ReportBrowserLabTests {
    let lab: Lab
    let folder: URL

    init() throws {
        lab = try Lab.running()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func govaudit(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(Lab.root.appendingPathComponent(".build/debug/govaudit"), arguments, directory: Lab.root,
                           environment: ["NO_COLOR": "1"])
    }

    static let marker = "labran"

    @Test("no payload of the lab runs in its report, with or without the CSP; a screenshot is saved under .build/")
    func payloadsStayText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let inventory = folder.appendingPathComponent("payloads.yaml")
        try """
            version: 1
            name: "Trang thử tấn công"
            agencies: [{id: lab, name: "Phòng thí nghiệm"}]
            systems:
              - {id: payloads, name: "Trang chứa mã độc", agency: lab, level: 2, dossier: {status: approved},
                 endpoints: ["https://payloads.lab.angiang.gov.vn/"]}
            """.write(to: inventory, atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("history.sqlite").path
        let scan = try govaudit(["scan", "--inventory", inventory.path, "--checks", "links,tls", "--db", db, "--fail-on", "none",
                                 "--resolver", lab.resolver, "--ca-file", lab.caFile, "--trust-anchor", lab.trustAnchors,
                                 "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16"])
        #expect(scan.status == 0, "\(scan.err)")
        let out = folder.appendingPathComponent("report")
        let report = try govaudit(["report", "--db", db, "--format", "html", "--out-dir", out.path])
        #expect(report.status == 0, "\(report.err)")
        let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("kuwin88.example/x"), "the scan's spam links are not in the report")
        #expect(!page.contains(Self.marker))

        let csp = try #require(page.range(of: #"<meta http-equiv="Content-Security-Policy"[^>]*>"#, options: .regularExpression))
        var stripped = page
        stripped.removeSubrange(csp)
        let profile = folder.appendingPathComponent("profile")
        for (name, html) in [("with-csp", page), ("without-csp", stripped)] {
            let file = folder.appendingPathComponent("\(name).html")
            try Data(html.utf8).write(to: file)
            let run = try Chromium.run(["--dump-dom"], file: file, profile: profile)
            #expect(run.status == 0, "chromium: \(run.err.suffix(2000))")
            let dom = run.out
            #expect(dom.contains("kuwin88.example/x"), "\(name): the report did not render")
            #expect(!dom.contains(Self.marker), "\(name): a payload ran")
            #expect(dom.range(of: #"<(script|iframe|img)\b"#, options: .regularExpression) == nil, "\(name): an element came from a payload")
            #expect(dom.range(of: #"(href|src)="\s*(javascript|data):"#, options: [.regularExpression, .caseInsensitive]) == nil,
                    "\(name): a javascript: or data: URL became active")
            #expect(dom.contains("&lt;script&gt;document.body.setAttribute('data-lab'"), "\(name): the payload is not shown as text")
            #expect(!dom.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E }, "\(name): a terminal escape or bidi override survived")
        }

        // The control: the same check does see a script that runs.
        let control = folder.appendingPathComponent("control.html")
        let script = "<script>document.body.setAttribute('data-lab','lab'+'ran')</script>"
        try Data(stripped.replacingOccurrences(of: "</body>", with: script + "</body>").utf8).write(to: control)
        #expect(try Chromium.run(["--dump-dom"], file: control, profile: profile).out.contains("data-lab=\"\(Self.marker)\""))

        let shot = Lab.root.appendingPathComponent(".build/lab-report-screenshot.png")
        try? FileManager.default.removeItem(at: shot)
        _ = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1240,1754"],
                             file: folder.appendingPathComponent("with-csp.html"), profile: profile)
        #expect(FileManager.default.fileExists(atPath: shot.path))
    }
}
