import Foundation
import GovAuditAlerts
import GovAuditService
import GovAuditTestSupport
import Testing

/// Issue 12's acceptance path, as a new user meets it: `make install` into a fresh prefix, then
/// the installed `govaudit schedule --every 1m` on the lab, its alerts configured in the config
/// file (a webhook sink and an SMTP sink with STARTTLS and a login, secrets in owner-only files
/// and the environment). A lab host of its own (schedule.lab, 127.0.10.176) is broken between
/// the first and the second run: exactly one alert per channel, in Vietnamese, naming the host
/// and the change; the third run sends nothing; no secret anywhere it could leak.
@Suite("schedule, installed, alerting on the lab (integration)", .serialized)
struct ScheduleLabTests {
    let folder: TemporaryFolder
    let page = Lab.root.appendingPathComponent("Tests/Lab/state/www/schedule.lab.angiang.gov.vn/index.html")
    static let hookSecret = "lab-hmac-5e0c2b91d7"
    static let hookToken = "lab-token-33a8f10c"
    static let smtpPassword = "lab-smtp-pw-8c41e7d2"

    init() throws {
        folder = try TemporaryFolder("schedule-lab")
    }

    @Test("installed schedule --every 1m: baseline, one lab host broken → one Vietnamese alert per channel naming it, then none; no secret leaks")
    func scheduledAlerts() throws {
        let lab = try Lab.running()
        let original = try String(contentsOf: page, encoding: .utf8)
        defer { try? original.write(to: page, atomically: true, encoding: .utf8) }
        defer { try? folder.remove() }

        // The program as `make install` puts it, run from another folder.
        let prefix = folder.path("prefix")
        let install = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/make"), ["install", "PREFIX=\(prefix)"], directory: Lab.root)
        try #require(install.status == 0, "\(install.err)")
        let bin = URL(fileURLWithPath: prefix + "/bin/govaudit")
        let man = try String(contentsOfFile: prefix + "/share/man/man1/govaudit.schedule.1", encoding: .utf8)
        // mdoc writes a flag as `Fl -lang` (rendered --lang).
        #expect(["Fl -lang", "Fl -webhook", "Fl -smtp", "Fl -mail-agencies"].allSatisfy(man.contains), "the page lists the alert flags")

        // The SMTP sink speaks STARTTLS with a certificate of its own and wants a login; the CA
        // file the config names holds the lab's root (for the scans) and that certificate.
        let cert = folder.path("sink.pem"), key = folder.path("sink.key")
        let made = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/openssl"),
                                      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                                       "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        try #require(made.status == 0, "\(made.err)")
        try folder.write("ca-bundle.pem", try String(contentsOfFile: lab.caFile, encoding: .utf8) + String(contentsOfFile: cert, encoding: .utf8))
        let sinks = try AlertSinks(webhook: true, smtp: true, starttls: (cert, key), auth: ("govaudit", Self.smtpPassword), root: Lab.root)
        defer { sinks.stop() }

        try folder.write("webhook.secret", Self.hookSecret + "\n", mode: 0o600)
        try folder.write("smtp.password", Self.smtpPassword + "\n", mode: 0o600)
        try folder.write("inventory.yaml", """
            version: 1
            name: "Tỉnh An Giang (lịch quét)"
            agencies:
              - {id: sotttt, name: "Sở Thông tin và Truyền thông"}
              - {id: soyt, name: "Sở Y tế"}
            systems:
              - {id: cong-lichquet, name: "Cổng thử nghiệm lịch quét", agency: sotttt, level: 2, dossier: {status: approved},
                 endpoints: ["https://schedule.lab.angiang.gov.vn/"], contacts: [{name: "Lê Thị Thu", email: "thu@stttt.angiang.gov.vn"}]}
              - {id: cong-dvc, name: "Cổng dịch vụ công", agency: soyt, level: 2, dossier: {status: approved},
                 endpoints: ["https://dichvucong.angiang.gov.vn/"], contacts: [{name: "Phạm Văn An", email: "an@soyt.angiang.gov.vn"}]}
            """)
        let config = try folder.write("config.yaml", """
            version: 1
            inventory: inventory.yaml
            database: history.sqlite
            resolver: "\(lab.resolver)"
            ca_file: ca-bundle.pem
            allow_net: [127.0.10.0/24, fd10::/16]
            alerts:
              min_severity: high
              webhook:
                url: "\(sinks.webhookURL)"
                token_env: GA_SCHEDULE_TOKEN
                secret_file: webhook.secret
              smtp:
                url: "\(sinks.smtpURL)"
                from: govaudit@stttt.angiang.gov.vn
                to: [ucsc@angiang.gov.vn]
                mail_agencies: true
                user: govaudit
                password_file: smtp.password
            """)

        let service = Process()
        service.executableURL = bin
        service.arguments = ["schedule", "--every", "1m", "--max-runs", "3", "--config", config, "--checks", "links"]
        service.currentDirectoryURL = URL(fileURLWithPath: "/")
        var env = ProcessInfo.processInfo.environment
        env["GOVAUDIT_POLICY"] = nil
        env["GOVAUDIT_DB"] = nil
        env["NO_COLOR"] = "1"
        env["GA_SCHEDULE_TOKEN"] = Self.hookToken
        service.environment = env
        let log = Log(), out = Log()
        let errPipe = Pipe(), outPipe = Pipe()
        errPipe.fileHandleForReading.readabilityHandler = { log.append($0.availableData) }
        outPipe.fileHandleForReading.readabilityHandler = { out.append($0.availableData) }
        service.standardError = errPipe
        service.standardOutput = outPipe
        try service.run()
        defer { if service.isRunning { kill(service.processIdentifier, SIGKILL); service.waitUntilExit() } }
        let commandLine = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(service.processIdentifier)/cmdline")), as: UTF8.self)

        // Run 1, at once: the baseline; nothing sent.
        try #require(log.wait(for: "baseline recorded, nothing sent", seconds: 55), "\(log.text)")
        #expect(try sinks.requests().isEmpty && sinks.mails().isEmpty)
        // Between the runs, the host starts linking to a gambling site.
        let injected = original.replacingOccurrences(of: "</body>",
            with: #"<a href="https://kubet77.example/nha-cai">nhà cái uy tín, cá cược bóng đá</a></body>"#)
        try #require(injected != original)
        try injected.write(to: page, atomically: true, encoding: .utf8)
        // Run 2, a minute later: one alert per channel. Run 3, a minute after: nothing.
        try #require(log.wait(for: "alerted; delivered: webhook, mail, mail:sotttt", seconds: 90), "\(log.text)")
        service.waitUntilExit()
        let lines = log.text
        #expect(service.terminationStatus == 0, "\(lines)")
        let steps = lines.split(separator: "\n").filter { $0.contains(": alerts: ") }
        #expect(steps.count == 3 && steps.last?.hasSuffix("alerts: 0 changes alerted") == true, "\(steps)")
        #expect(lines.split(separator: "\n").filter { $0.contains(": complete, 2/2 systems") }.count == 3, "\(lines)")

        // The webhook: exactly one POST, per the schema, signed, naming the host and the change.
        let requests = try sinks.requests()
        try #require(requests.count == 1, "\(requests.count) POSTs")
        let request = requests[0]
        let body = try JSON.parse(String(decoding: request.body, as: UTF8.self))
        let schema = try JSON.parse(String(contentsOf: Lab.root.appendingPathComponent("Reports/schema/alert.schema.json"), encoding: .utf8))
        #expect(JSONSchemaValidator(root: schema).validate(body) == [])
        #expect(body["kind"] == .string("changes") && body["language"] == .string("vi"))
        #expect(request.headers["x-govaudit-signature"] == AlertSender.signature(request.body, secret: Secret(Self.hookSecret, source: "test")))
        #expect(request.headers["authorization"] == "Bearer \(Self.hookToken)")
        guard case .array(let systems)? = body["systems"], case .array(let changes)? = systems.first?["changes"] else {
            Issue.record("no systems or changes in \(body)"); return
        }
        #expect(systems.count == 1 && systems[0]["system"] == .string("cong-lichquet"))
        // Every change is the broken host's; the link itself is among them (the page's other
        // spam signals are findings of their own).
        #expect(changes.allSatisfy { $0["endpoint"] == .string("https://schedule.lab.angiang.gov.vn/") })
        let spam = changes.filter { $0["rule"] == .string("links.spam") }
        #expect(spam.contains { change in
            guard case .array(let facts)? = change["evidence"] else { return false }
            return facts.contains { $0["name"] == .string("url") && $0["value"] == .string("https://kubet77.example/nha-cai") }
        }, "\(spam.count) links.spam changes")

        // The mail: the response team (the whole province) and the changed system's agency,
        // nobody else; over STARTTLS with the login; a Vietnamese subject and text.
        let mails = try sinks.mails()
        #expect(mails.count == 2)
        #expect(mails.allSatisfy { $0.contains("X-Sink-TLS: yes\r\n") && $0.contains("X-Sink-Auth: govaudit\r\n") })
        #expect(mails.contains { $0.contains("X-Sink-To: thu@stttt.angiang.gov.vn\r\n") } && !mails.contains { $0.contains("an@soyt") })
        let team = try #require(mails.first { $0.contains("X-Sink-To: ucsc@angiang.gov.vn\r\n") })
        let subject = ReceivedMail.subject(team)
        #expect(subject.contains("thay đổi xấu đi ở 1 hệ thống"), "\(subject)")
        let text = ReceivedMail.plainText(team)
        #expect(text.contains("Cổng thử nghiệm lịch quét") && text.contains("schedule.lab.angiang.gov.vn") && text.contains("links.spam")
                && text.contains("Chỉ số chính"), "\(text)")
        #expect(!text.contains("Cổng dịch vụ công"), "only the system that got worse")

        // No secret in any output, message, stored byte or the process's command line.
        let db = folder.path("history.sqlite")
        let history = try Subprocess.run(bin, ["history", "--config", config, "--format", "json"], directory: URL(fileURLWithPath: "/"),
                                         environment: ["GOVAUDIT_DB": ""])
        #expect(history.status == 0, "\(history.err)")
        #expect(history.out.contains("\"provenance\"") || history.out.contains("\"scans\""), "\(history.out.prefix(300))")
        var stored = try Data(contentsOf: URL(fileURLWithPath: db))
        if FileManager.default.fileExists(atPath: db + "-wal") { stored += try Data(contentsOf: URL(fileURLWithPath: db + "-wal")) }
        let seen = [lines, out.text, history.out, history.err, commandLine, mails.joined(), String(decoding: request.body, as: UTF8.self),
                    try String(contentsOfFile: config, encoding: .utf8)]
        for secret in [Self.hookSecret, Self.smtpPassword, Self.hookToken] {
            #expect(!seen.contains { $0.contains(secret) }, "a secret leaked")
            #expect(stored.range(of: Data(secret.utf8)) == nil, "a secret is in the store")
        }
        #expect(!request.headers.contains { $0.value.contains(Self.hookSecret) })
    }
}

/// Standard output or error of a running program, as it comes; waited on line by line.
final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    /// Whether `needle` appeared within `seconds`.
    func wait(for needle: String, seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if text.contains(needle) { return true }
            usleep(200_000)
        }
        return text.contains(needle)
    }
}
