import Foundation
import GovAuditCore
import GovAuditService
import GovAuditTestSupport
import Testing

/// The config file: a full example reads into values; every mistake is named by file, line and
/// field, all of them in one pass; secrets are read only from the environment or a private file.
@Suite("config file")
struct ServiceConfigTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("config")
    }

    func errors(_ text: String) -> [InputError] {
        do { _ = try ServiceConfig.parse(text, file: "/etc/govaudit/config.yaml"); return [] } catch { return error.errors }
    }

    @Test("the documented example (contrib/config.example.yaml) reads, relative paths from its folder")
    func example() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var text = try String(contentsOf: root.appendingPathComponent("contrib/config.example.yaml"), encoding: .utf8)
        // Its CA and anchor files exist only on a server: drop those two lines here.
        text = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("ca_file:") && !$0.hasPrefix("trust_anchor:") }.joined(separator: "\n")
        let config = try ServiceConfig.parse(text, file: "/etc/govaudit/config.yaml")
        #expect(config.inventory == "/etc/govaudit/inventory.yaml")
        #expect(config.database == "/var/lib/govaudit/history.sqlite")
        #expect(config.schedule == .cron(try CronExpression(parsing: "0 */6 * * *")))
        let alerts = try #require(config.alerts)
        #expect(alerts.minSeverity == .high && alerts.digest == .weekly)
        #expect(alerts.webhook?.token?.source == .environment("GOVAUDIT_WEBHOOK_TOKEN"))
        #expect(alerts.smtp?.to == ["attt@angiang.gov.vn", "ucsc@angiang.gov.vn"] && alerts.smtp?.mailAgencies == true)
        #expect(alerts.smtp?.password?.source == .file("/etc/govaudit/smtp.password"))
        #expect(config.reports == ReportsConfig(directory: "/var/lib/govaudit/reports", formats: [.html, .json]))
    }

    @Test("network fields, checked as the flags are, with relative paths from the config's folder")
    func network() throws {
        // A real certificate, made by openssl, since the file is parsed.
        let pem = folder.path("ca.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=Sở TT&TT CA",
                             "-days", "1", "-keyout", folder.path("ca.key"), "-out", pem]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        let config = try ServiceConfig.parse("""
            version: 1
            inventory: inventory.yaml
            resolver: "[fd10::1]:53"
            ca_file: ca.pem
            allow_net: [127.0.10.0/24, fd10::/16]
            contact: attt@angiang.gov.vn
            schedule: {every: 6h}
            """, file: folder.path("config.yaml"))
        #expect(config.inventory == folder.path("inventory.yaml"))
        #expect(config.caFile == pem && config.resolver == "[fd10::1]:53")
        #expect(config.allowNet == ["127.0.10.0/24", "fd10::/16"])
        #expect(config.schedule == .every(try Interval(parsing: "6h")))
        #expect(config.alerts == nil)
    }

    @Test("every mistake at once, each with file:line: field")
    func mistakes() {
        let found = errors("""
            version: 2
            resolver: "not an address"
            allow_net: [10.0.0.0/8, "10.0.0.0/33"]
            schedule: {every: 30s}
            alerts:
              min_severity: severe
              webhook: {url: "ftp://hooks.example.vn/x"}
              smtp:
                url: "smtps://govaudit:hunter2@mail.angiang.gov.vn"
                from: "govaudit"
                to: []
            databse: /tmp/x.sqlite
            """).map(\.description)
        let expected = [
            "/etc/govaudit/config.yaml:1: version: this GovAudit reads config version 1, not 2",
            "/etc/govaudit/config.yaml:2: resolver: 'not an address' is not ADDR[:PORT]",
            "/etc/govaudit/config.yaml:3: allow_net[1]: expected a network",
            "/etc/govaudit/config.yaml:4: schedule.every: '30s' is shorter than one minute",
            "/etc/govaudit/config.yaml:6: alerts.min_severity: expected one of info, low, medium, high, critical",
            "/etc/govaudit/config.yaml:7: alerts.webhook.url: 'ftp://hooks.example.vn/x' is not a https or http URL",
            "/etc/govaudit/config.yaml:9: alerts.smtp.url: no user or password in the URL ('smtps://***@mail.angiang.gov.vn')",
            "/etc/govaudit/config.yaml:10: alerts.smtp.from: expected an e-mail address",
            "/etc/govaudit/config.yaml:11: alerts.smtp.to: give at least one address",
            "/etc/govaudit/config.yaml:12: databse: unknown field",
        ]
        #expect(found.count == expected.count, "\(found)")
        for (line, prefix) in zip(found, expected) {
            #expect(line.hasPrefix(prefix), "\(line)")
        }
        // The password in the refused URL is not repeated in the message.
        #expect(!found.joined().contains("hunter2"))
    }

    @Test("a schedule has every or cron, exactly one; a bad cron names its field")
    func schedules() {
        #expect(errors("schedule: {every: 1h, cron: \"0 * * * *\"}").first?.description.contains("schedule.cron: give every or cron, not both") == true)
        #expect(errors("schedule: {}").first?.description.contains("schedule: give every") == true)
        #expect(errors("schedule: {cron: \"0 25 * * *\"}").first?.description
            == "/etc/govaudit/config.yaml:1: schedule.cron: hour '25': 25 is outside 0–23")
    }

    @Test("a secret is named by _env or _file, not both; a user needs a password and the reverse")
    func secretFields() {
        let both = errors("""
            alerts:
              webhook: {url: "https://h.example.vn/", token_env: T, token_file: /x}
            """)
        #expect(both.map(\.description) == ["/etc/govaudit/config.yaml:2: alerts.webhook.token_file: give token_env or token_file, not both"])
        let userOnly = errors("""
            alerts:
              smtp: {url: "smtp://mail.example.vn:587", from: a@example.vn, to: [b@example.vn], user: govaudit}
            """)
        #expect(userOnly.first?.description.contains("alerts.smtp.user: a user needs password_env or password_file") == true)
        #expect(errors("alerts: {smtp: {url: \"smtp://m.example.vn\", from: \"a@example.vn\\r\\nBcc: x@evil.example\", to: [b@example.vn]}}")
            .first?.description.contains("alerts.smtp.from: expected an e-mail address") == true, "no header injection through an address")
    }

    @Test("smtp.mail_agencies: the agencies' contacts, then to: may be left out; it must be a boolean; without it to: is required")
    func mailAgencies() throws {
        let agencies = try ServiceConfig.parse("""
            alerts:
              smtp: {url: "smtp://mail.example.vn:587", from: a@example.vn, mail_agencies: true}
            """, file: "/etc/govaudit/config.yaml")
        #expect(agencies.alerts?.smtp?.mailAgencies == true && agencies.alerts?.smtp?.to == [])
        let both = try ServiceConfig.parse("""
            alerts:
              smtp: {url: "smtp://mail.example.vn:587", from: a@example.vn, to: [b@example.vn], mail_agencies: true}
            """, file: "/etc/govaudit/config.yaml")
        #expect(both.alerts?.smtp?.mailAgencies == true && both.alerts?.smtp?.to == ["b@example.vn"])
        #expect(try ServiceConfig.parse("alerts: {smtp: {url: \"smtp://m.example.vn\", from: a@example.vn, to: [b@example.vn]}}",
                                        file: "c.yaml").alerts?.smtp?.mailAgencies == false)
        #expect(errors("alerts: {smtp: {url: \"smtp://m.example.vn\", from: a@example.vn, mail_agencies: sometimes}}")
            .first?.description.hasPrefix("/etc/govaudit/config.yaml:1: alerts.smtp.mail_agencies:") == true)
        #expect(errors("alerts: {smtp: {url: \"smtp://m.example.vn\", from: a@example.vn}}")
            .first?.description.contains("alerts.smtp.to:") == true)
    }

    @Test("a secrets file readable by group or others (0644, 0640) is refused, naming config line, field and file")
    func secretsFileMode() throws {
        let config = try ServiceConfig.parse("""
            alerts:
              smtp:
                url: "smtps://mail.angiang.gov.vn"
                from: govaudit@angiang.gov.vn
                to: [attt@angiang.gov.vn]
                user: govaudit
                password_file: smtp.password
            """, file: folder.path("config.yaml"))
        let reference = try #require(config.alerts?.smtp?.password)
        for mode in [0o644, 0o640, 0o604] {
            let path = try folder.write("smtp.password", "mật-khẩu-bí-mật\n", mode: mode)
            do {
                _ = try reference.read(environment: [:])
                Issue.record("mode \(String(mode, radix: 8)) was accepted")
            } catch {
                #expect(error.description.hasPrefix("\(folder.path)/config.yaml:7: alerts.smtp.password_file: \(path) is readable or writable by"))
                #expect(error.description.contains("chmod 600"))
                #expect(!error.description.contains("mật-khẩu"))
            }
        }
        try folder.write("smtp.password", "mật-khẩu-bí-mật\n", mode: 0o600)
        let secret = try reference.read(environment: [:])
        #expect(secret.reveal() == "mật-khẩu-bí-mật", "the trailing line break is dropped")
        #expect("\(secret)" == "<secret from \(folder.path)/smtp.password>", "never printed")
    }

    @Test("a secret from the environment; an unset variable is an error at its line")
    func secretFromEnvironment() throws {
        let config = try ServiceConfig.parse("alerts:\n  webhook: {url: \"https://h.example.vn/x\", secret_env: GOVAUDIT_HOOK_SECRET}\n",
                                             file: "c.yaml")
        let reference = try #require(config.alerts?.webhook?.secret)
        #expect(try reference.read(environment: ["GOVAUDIT_HOOK_SECRET": "k"]).reveal() == "k")
        #expect(throws: InputError.self) { try reference.read(environment: [:]) }
        do { _ = try reference.read(environment: [:]) } catch {
            #expect(error.description == "c.yaml:2: alerts.webhook.secret_env: the environment variable GOVAUDIT_HOOK_SECRET is not set (or empty)")
        }
    }

    @Test("which file is read: --config, then $GOVAUDIT_CONFIG, then /etc/govaudit/config.yaml only if present")
    func path() {
        #expect(ServiceConfig.path(flag: "a.yaml", environment: ["GOVAUDIT_CONFIG": "b.yaml"], exists: { _ in true }) == "a.yaml")
        #expect(ServiceConfig.path(flag: nil, environment: ["GOVAUDIT_CONFIG": "b.yaml"], exists: { _ in true }) == "b.yaml")
        #expect(ServiceConfig.path(flag: nil, environment: [:], exists: { _ in true }) == "/etc/govaudit/config.yaml")
        #expect(ServiceConfig.path(flag: nil, environment: [:], exists: { _ in false }) == nil)
    }
}

@Suite("redaction")
struct RedactionTests {
    @Test("credentials, query values and key-like path segments never survive into what is shown")
    func urls() {
        #expect(Redaction.url("smtps://govaudit:hunter2@mail.angiang.gov.vn:465") == "smtps://***@mail.angiang.gov.vn:465")
        #expect(Redaction.url("https://hooks.example.vn/in?token=abc&x=1") == "https://hooks.example.vn/in?token=***&x=***")
        #expect(Redaction.url("https://chat.example.vn/hooks/T0123/B0456/a1B2c3D4e5F6g7H8i9") == "https://chat.example.vn/hooks/T0123/B0456/***")
        #expect(Redaction.url("https://angiang.gov.vn/") == "https://angiang.gov.vn/")
        #expect(Redaction.text("curl: could not POST to https://u:p@h.example.vn/x?k=v: timeout") == "curl: could not POST to https://***@h.example.vn/x?k=***: timeout")
    }
}
