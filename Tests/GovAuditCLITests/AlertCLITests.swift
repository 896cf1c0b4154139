import Foundation
import Testing

@Suite("scan --alert: flags, secrets")
struct AlertCLITests {
    let inventory = ["scan", "--inventory", "Policies/inventory/angiang.yaml", "--no-crawl"]

    @Test("a secrets file readable by others is refused (exit 2) before any probe, naming the file, never its content")
    func worldReadableSecret() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-cli-secret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "hunter2-value-31\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        let r = try CLI.run(inventory + ["--alert", "--webhook", "http://127.0.0.1:9/h", "--webhook-secret-file", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains(path) && r.stderr.contains("0644") && r.stderr.contains("chmod 600"), "\(r.stderr)")
        #expect(!r.stderr.contains("hunter2-value-31") && !r.stdout.contains("hunter2-value-31"))
    }

    @Test("bad alert flags are usage errors (exit 2); a password in a URL is refused without being echoed")
    func usage() throws {
        let cases: [([String], String)] = [
            (["--alert"], "give a channel"),
            (["--webhook", "http://127.0.0.1:9/h"], "give --alert too"),
            (["--alert", "--smtp", "smtp://alert:pw-in-url-77@127.0.0.1:9"], "no user or password in the URL"),
            (["--alert", "--smtp", "smtp://127.0.0.1:9", "--mail-to", "a@b.vn"], "--mail-from"),
            (["--alert", "--smtp", "smtp://127.0.0.1:9", "--mail-from", "g@b.vn"], "--mail-to ADDR or --mail-agencies"),
            (["--alert", "--webhook", "ftp://127.0.0.1/h"], "is not a https or http URL"),
            (["--alert", "--webhook", "http://127.0.0.1:9/h", "--no-store"], "drop --no-store"),
            (["--alert", "--webhook", "http://127.0.0.1:9/h", "--webhook-token-env", "GOVAUDIT_TEST_UNSET_TOKEN"], "GOVAUDIT_TEST_UNSET_TOKEN"),
            (["--alert", "--webhook", "http://127.0.0.1:9/h", "--webhook-secret-env", "K", "--webhook-secret-file", "/k"],
             "--webhook-secret-env: give --webhook-secret-env or --webhook-secret-file, not both"),
            (["--alert", "--smtp", "smtp://127.0.0.1:9", "--mail-from", "g@b.vn", "--mail-to", "a@b.vn", "--smtp-user", "u",
              "--smtp-password-env", "NOT-A-NAME"], "--smtp-password-env: 'NOT-A-NAME' is not an environment variable name"),
            (["--alert", "--smtp", "smtp://127.0.0.1:9", "--mail-from", "g@b.vn", "--mail-to", "a@b.vn", "--smtp-password-file", "/p"],
             "--smtp-user and --smtp-password-env (or -file) go together"),
            (["--alert", "--webhook-token-file", "/t"], "--webhook-token-* and --webhook-secret-*: give --webhook URL too"),
        ]
        for (flags, message) in cases {
            let r = try CLI.run(inventory + flags)
            #expect(r.status == 2, "\(flags): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(flags): \(r.stderr)")
            #expect(!r.stderr.contains("pw-in-url-77"))
        }
    }

    @Test("each secret's flags come as a pair, -env then -file, both help lines naming the same secret")
    func secretPairsInHelp() throws {
        let help = try CLI.run(["scan", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for (flag, secret) in [("webhook-token", "the webhook's bearer token"),
                               ("webhook-secret", "the key of the X-GovAudit-Signature HMAC-SHA256"),
                               ("smtp-password", "the SMTP password (STARTTLS is then required)")] {
            #expect(help.contains("--\(flag)-env <name> Environment variable holding \(secret). --\(flag)-file <file> Owner-only file (mode 0600) holding \(secret)."),
                    "\(flag)")
        }
    }
}
