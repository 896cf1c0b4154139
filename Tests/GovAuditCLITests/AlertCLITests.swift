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
        ]
        for (flags, message) in cases {
            let r = try CLI.run(inventory + flags)
            #expect(r.status == 2, "\(flags): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(flags): \(r.stderr)")
            #expect(!r.stderr.contains("pw-in-url-77"))
        }
    }
}
