import Foundation
import GovAuditService
import GovAuditTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// GovAudit as a service, as an operator meets it: the config file's mistakes (file:line:
/// field, exit 2), a secrets file others can read refused, the scan lock (a second scan exits 3
/// naming the holder), and `schedule` run to completion, stopped by SIGTERM and resumed.
@Suite("service: config, lock, schedule", .serialized)
struct ServiceCLITests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("service")
    }

    @Test("a bad config file: every mistake as file:line: field, exit 2, for scan and for history")
    func badConfig() throws {
        let config = try folder.write("config.yaml", """
            version: 1
            inventory: inventory.yaml
            resolver: "53.53.53"
            allow_net: [10.0.0.0/8, bogus]
            schedule: {cron: "0 */6 * *"}
            """, mode: 0o644)
        let r = try CLI.run(["scan", "--config", config, "--no-store"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("\(config):3: resolver: '53.53.53' is not ADDR[:PORT]"))
        #expect(r.stderr.contains("\(config):4: allow_net[1]: expected a network"))
        #expect(r.stderr.contains("\(config):5: schedule.cron: '0 */6 * *' has 4 fields"))
        let history = try CLI.run(["history"], environment: ["GOVAUDIT_CONFIG": config, "GOVAUDIT_DB": ""])
        #expect(history.status == 2 && history.stderr.contains("\(config):3: resolver"), "\(history.stderr)")
        let missing = try CLI.run(["history", "--config", folder.path("nope.yaml")])
        #expect(missing.status == 2 && missing.stderr.contains("nope.yaml: cannot read the file: no such file"), "\(missing.stderr)")
    }

    @Test("the config's resolver and networks are used when no flag gives them; a flag wins")
    func configUsed() throws {
        let server = try HostileServer.shared.get()
        let config = try folder.write("net.yaml", """
            resolver: "\(server.resolver)"
            allow_net: [127.0.0.1/32]
            contact: attt@angiang.gov.vn
            """, mode: 0o644)
        let target = "http://www.hostile.example:\(server.webPort)/landing"
        let r = try CLI.run(["audit", target, "--config", config, "--checks", "links", "--no-store", "--fail-on", "none", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSON.parse(r.stdout)["provenance"]?["resolver"] == .string(server.resolver))
        // --allow-net replaces the config's list: the site's own address is then refused.
        let flag = try CLI.run(["audit", target, "--config", config, "--allow-net", "10.0.0.0/8", "--checks", "links", "--no-store",
                                "--fail-on", "none", "--format", "json"])
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect(flag.stdout.contains("address 127.0.0.1 is loopback and not allowed"), "the flag's list was used")
        #expect(!r.stdout.contains("address 127.0.0.1 is loopback and not allowed"), "the config's list was used")
    }

    @Test("schedule refuses a secrets file readable by others (0644) at start, exit 2, and never prints the secret")
    func secretsFileMode() throws {
        let secret = try folder.write("smtp.password", "mật-khẩu-rất-bí-mật\n", mode: 0o644)
        let config = try folder.write("config.yaml", """
            inventory: \(CLI.root.path)/Tests/GovAuditCLITests/Fixtures/small.yaml
            schedule: {every: 6h}
            alerts:
              smtp:
                url: "smtps://mail.angiang.gov.vn:465"
                from: govaudit@angiang.gov.vn
                to: [attt@angiang.gov.vn]
                user: govaudit
                password_file: smtp.password
            """, mode: 0o644)
        let r = try CLI.run(["schedule", "--config", config, "--db", folder.path("h.sqlite")])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("\(config):9: alerts.smtp.password_file: \(secret) is readable or writable by everyone (mode 0644)"))
        #expect(r.stderr.contains("chmod 600"))
        #expect(!(r.stdout + r.stderr).contains("mật-khẩu"))
    }

    @Test("while one scan holds the lock, a second scan and a scheduled run exit 3 naming the holder; the store is untouched")
    func lock() throws {
        let db = folder.path("history.sqlite")
        let started = Date()
        // This test process is the holder, through the same lock the scans take.
        let held = try ScanLock.acquire(database: db, command: "schedule", now: started)
        let small = "Tests/GovAuditCLITests/Fixtures/small.yaml"
        let second = try CLI.run(["scan", "--inventory", small, "--db", db, "--checks", "links"])
        #expect(second.status == 3, "\(second.stderr)")
        #expect(second.stderr.contains("another scan of this history database is running: `govaudit schedule` (process \(getpid()), started "))
        #expect(second.stderr.contains(db + ".lock"))
        let resolver = try HostileServer.shared.get().resolver
        let scheduled = try CLI.run(["schedule", "--every", "1m", "--max-runs", "1", "--inventory", small, "--db", db, "--checks", "links",
                                     "--resolver", resolver])
        #expect(scheduled.status == 3, "\(scheduled.stderr)")
        #expect(scheduled.stderr.contains("could not run: another scan of this history database is running"))
        held.release()
        let listed = try CLI.run(["history", "--db", db, "--format", "json"])
        guard case .array(let scans)? = try JSON.parse(listed.stdout)["scans"] else { Issue.record("\(listed.stderr)"); return }
        #expect(scans.isEmpty, "nothing was begun while the lock was held")
    }

    @Test("schedule: a hand-started scan meanwhile exits 3 naming it; SIGTERM mid-scan stores what is finished and exits 0; the next run resumes and completes that scan")
    func stopAndResume() throws {
        let server = try BudgetServer.shared.get()
        let db = folder.path("history.sqlite")
        let two = try folder.write("two.yaml", BudgetInventory.yaml(server))
        let common = ["--inventory", two, "--db", db, "--resolver", server.resolver, "--allow-net", "127.0.0.1/32",
                      "--checks", "links", "--concurrency", "1", "--every", "1m"]
        let service = Process()
        service.executableURL = CLI.binary
        service.arguments = ["schedule"] + common + ["--crawl-seconds", "60"]
        service.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { _, b in b }
        let err = Pipe()
        service.standardError = err
        service.standardOutput = FileHandle.nullDevice
        try service.run()
        defer { if service.isRunning { kill(service.processIdentifier, SIGKILL); service.waitUntilExit() } }
        // Wait until the quick system is stored, the slow one still being crawled.
        var stored = 0
        for _ in 0..<200 where stored < 1 {
            usleep(100_000)
            let listed = try? CLI.run(["history", "--db", db, "--format", "json"])
            if case .array(let scans)? = listed.flatMap({ try? JSON.parse($0.stdout)["scans"] }),
               case .number(let n)? = scans.first?["systemsStored"] { stored = Int(n) }
        }
        #expect(stored == 1)
        // Two scans at once: a scan started by hand meanwhile is refused, naming the service.
        let second = try CLI.run(["scan", "--inventory", two, "--db", db, "--resolver", server.resolver,
                                  "--allow-net", "127.0.0.1/32", "--checks", "links"])
        #expect(second.status == 3, "\(second.stderr)")
        #expect(second.stderr.contains("`govaudit schedule` (process \(service.processIdentifier), started "), "\(second.stderr)")
        kill(service.processIdentifier, SIGTERM)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        service.waitUntilExit()
        #expect(service.terminationStatus == 0, "\(log)")
        #expect(log.contains(": interrupted, 1/2 systems stored in") && log.contains("schedule: stopped"), "\(log)")
        let id = try #require(log.components(separatedBy: ": scan ").dropFirst().first?.split(separator: ":").first.map(String.init))

        let next = try CLI.run(["schedule"] + common + ["--crawl-seconds", "2", "--max-runs", "1"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("scan \(id) (resumed): complete, 2/2 systems"), "\(next.stderr)")
        let scanLines = next.stderr.split(separator: "\n").filter { $0.contains(": scan ") }
        #expect(scanLines.count == 1, "one line per scan")
    }
}
