import Foundation
import GovAuditAlerts
import GovAuditService
import GovAuditTestSupport
import Testing

/// `scan --alert` against the lab, as the response team runs it: a webhook receiver and an SMTP
/// sink on loopback, a lab host changed between two scans, the alert that follows, and what
/// happens when the sinks are away.
@Suite("Alerts after scans of the lab (integration)", .serialized)
struct AlertTests {
    let lab: Lab
    let folder: URL
    let page = Lab.root.appendingPathComponent("Tests/Lab/state/www/alerts.lab.angiang.gov.vn/index.html")
    static let secret = "lab-shared-key-7d1c9e"
    static let token = "lab-bearer-0b5f3a"

    init() throws {
        lab = try Lab.running()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-alert-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func govaudit(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(Lab.root.appendingPathComponent(".build/debug/govaudit"), arguments, directory: Lab.root,
                           environment: ["NO_COLOR": "1", "GA_HOOK_SECRET": Self.secret, "GA_HOOK_TOKEN": Self.token])
    }

    func scan(db: String, inventory: URL, webhook: String, smtp: String, failOn: String = "none") throws -> Subprocess.Result {
        try govaudit(["scan", "--inventory", inventory.path, "--checks", "links", "--resolver", lab.resolver, "--ca-file", lab.caFile,
                      "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16", "--as-of", "2026-11-26", "--db", db,
                      "--fail-on", failOn, "--alert", "--webhook", webhook, "--webhook-secret-env", "GA_HOOK_SECRET",
                      "--webhook-token-env", "GA_HOOK_TOKEN", "--smtp", smtp, "--mail-from", "govaudit@stttt.angiang.gov.vn",
                      "--mail-to", "ucsc@angiang.gov.vn", "--mail-agencies"])
    }

    @Test("one lab host changed between two scans: exactly one alert per channel naming it; no change: none; sinks away: retried, kept, delivered next time")
    func alertsAcrossScans() throws {
        let original = try String(contentsOf: page, encoding: .utf8)
        defer { try? original.write(to: page, atomically: true, encoding: .utf8) }
        let inventory = folder.appendingPathComponent("alerts.yaml")
        try """
            version: 1
            name: "Tỉnh An Giang (cảnh báo)"
            agencies:
              - {id: sotttt, name: "Sở Thông tin và Truyền thông"}
              - {id: soyt, name: "Sở Y tế"}
            systems:
              - {id: cong-canhbao, name: "Cổng thử nghiệm cảnh báo", agency: sotttt, level: 2, dossier: {status: approved},
                 endpoints: ["https://alerts.lab.angiang.gov.vn/"], contacts: [{name: "Lê Thị Thu", email: "thu@stttt.angiang.gov.vn"}]}
              - {id: cong-dvc, name: "Cổng dịch vụ công", agency: soyt, level: 2, dossier: {status: approved},
                 endpoints: ["https://dichvucong.angiang.gov.vn/"], contacts: [{name: "Phạm Văn An", email: "an@soyt.angiang.gov.vn"}]}
            """.write(to: inventory, atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("alerts.sqlite").path
        let sinks = try AlertSinks(webhook: true, smtp: true, root: Lab.root)
        defer { sinks.stop() }

        // First scan: the baseline; nothing sent.
        let first = try scan(db: db, inventory: inventory, webhook: sinks.webhookURL, smtp: sinks.smtpURL)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.err.contains("baseline recorded"), "\(first.err)")
        #expect(try sinks.requests().isEmpty && sinks.mails().isEmpty)

        // The host starts linking to a gambling site.
        let injected = original.replacingOccurrences(of: "</body>",
            with: #"<a href="https://kuwin88.example/nha-cai-uy-tin">nhà cái uy tín</a></body>"#)
        #expect(injected != original)
        try injected.write(to: page, atomically: true, encoding: .utf8)
        let second = try scan(db: db, inventory: inventory, webhook: sinks.webhookURL, smtp: sinks.smtpURL)
        #expect(second.status == 0, "\(second.err)")
        let requests = try sinks.requests()
        #expect(requests.count == 1)
        let body = try JSON.parse(String(decoding: try #require(requests.first).body, as: UTF8.self))
        let schema = try JSON.parse(String(contentsOf: Lab.root.appendingPathComponent("Reports/schema/alert.schema.json"), encoding: .utf8))
        #expect(JSONSchemaValidator(root: schema).validate(body) == [])
        guard case .array(let systems)? = body["systems"] else { Issue.record("no systems in \(body)"); return }
        #expect(systems.count == 1 && systems.first?["system"] == .string("cong-canhbao"))
        guard case .array(let changes)? = systems.first?["changes"] else { Issue.record("no changes"); return }
        #expect(changes.contains { $0["rule"] == .string("links.spam") })
        #expect(requests.first?.headers["x-govaudit-signature"] == AlertSender.signature(requests[0].body, secret: Secret(Self.secret, source: "test")))
        // Mail: the response team (whole province) and the changed system's agency only.
        let mails = try sinks.mails()
        #expect(mails.count == 2)
        #expect(mails.contains { $0.contains("X-Sink-To: ucsc@angiang.gov.vn\r\n") })
        #expect(mails.contains { $0.contains("X-Sink-To: thu@stttt.angiang.gov.vn\r\n") })
        #expect(!mails.contains { $0.contains("an@soyt.angiang.gov.vn") })
        let team = try #require(mails.first { $0.contains("X-Sink-To: ucsc@") })
        let text = String(decoding: Data(base64Encoded: base64Part(team)) ?? Data(), as: UTF8.self)
        #expect(text.contains("Cổng thử nghiệm cảnh báo") && text.contains("links.spam") && text.contains("Chỉ số chính"), "\(text)")

        // Third scan, nothing changed: nothing sent.
        let third = try scan(db: db, inventory: inventory, webhook: sinks.webhookURL, smtp: sinks.smtpURL)
        #expect(third.status == 0 && third.err.contains("0 changes alerted"), "\(third.err)")
        #expect(try sinks.requests().count == 1 && sinks.mails().count == 2)

        // Resolved, then back while both sinks are away: retried, not delivered, the exit code
        // that of the findings alone (1: an open high finding, --fail-on high).
        try original.write(to: page, atomically: true, encoding: .utf8)
        #expect(try scan(db: db, inventory: inventory, webhook: sinks.webhookURL, smtp: sinks.smtpURL).status == 0)
        try injected.write(to: page, atomically: true, encoding: .utf8)
        let away = try scan(db: db, inventory: inventory, webhook: "http://127.0.0.1:9/hook", smtp: "smtp://127.0.0.1:9",
                            failOn: "high")
        #expect(away.status == 1, "\(away.err)")
        #expect(away.err.contains("NOT delivered to webhook after 3 tries") && away.err.contains("NOT delivered to mail"), "\(away.err)")
        // The sinks are back: the next scan (no new change) delivers what was kept.
        let back = try scan(db: db, inventory: inventory, webhook: sinks.webhookURL, smtp: sinks.smtpURL)
        #expect(back.status == 0 && back.err.contains("delivered: webhook, mail, mail:sotttt"), "\(back.err)")
        #expect(try sinks.requests().count == 2 && sinks.mails().count == 4)
        // No secret anywhere: outputs, the store.
        let all = [first, second, third, away, back].flatMap { [$0.out, $0.err] }.joined()
        #expect(!all.contains(Self.secret) && !all.contains(Self.token))
        var stored = try Data(contentsOf: URL(fileURLWithPath: db))
        if FileManager.default.fileExists(atPath: db + "-wal") { stored += try Data(contentsOf: URL(fileURLWithPath: db + "-wal")) }
        #expect(stored.range(of: Data(Self.secret.utf8)) == nil && stored.range(of: Data(Self.token.utf8)) == nil)
    }

    /// The first (plain-text) part's base64 of a received mail.
    func base64Part(_ mail: String) -> String {
        let parts = mail.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "Content-Transfer-Encoding: base64\n\n")
        guard parts.count > 1 else { return "" }
        return String(parts[1].prefix { $0 != "-" }).filter { !$0.isWhitespace }
    }
}
