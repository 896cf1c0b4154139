import Foundation
import GovAuditService
import GovAuditTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `schedule` with its alert channels given as flags (the config's are replaced by them), the
/// language of its alerts (`--lang`), and SIGTERM while alerts are configured: the service stops
/// within seconds, the interrupted scan is not alerted on, the next run resumes it and alerts.
@Suite("schedule: alert flags, --lang, SIGTERM", .serialized)
struct ScheduleAlertCLITests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("schedule-alerts")
    }

    func channels(_ sinks: AlertSinks) -> [String] {
        ["--webhook", sinks.webhookURL, "--webhook-secret-env", "GA_TEST_HOOK_KEY",
         "--smtp", sinks.smtpURL, "--mail-from", "govaudit@angiang.gov.vn", "--mail-to", "ucsc@angiang.gov.vn"]
    }

    @Test("a run that cannot scan (the lock is held) is alerted on every flag-given channel, in the language of --lang (vi by default)")
    func failedRunInLanguage() throws {
        let db = folder.path("h.sqlite")
        let held = try ScanLock.acquire(database: db, command: "scan", now: Date())
        defer { held.release() }
        let sinks = try AlertSinks(webhook: true, smtp: true, root: CLI.root)
        defer { sinks.stop() }
        let resolver = try HostileServer.shared.get().resolver
        let common = ["schedule", "--every", "1m", "--max-runs", "1", "--inventory", "Tests/GovAuditCLITests/Fixtures/small.yaml",
                      "--db", db, "--checks", "links", "--resolver", resolver] + channels(sinks)
        let key = ["GA_TEST_HOOK_KEY": "cli-hook-key-71f0"]
        let english = try CLI.run(common + ["--lang", "en"], environment: key)
        #expect(english.status == 3, "\(english.stderr)")
        #expect(english.stderr.contains("could not run: another scan of this history database is running"), "\(english.stderr)")
        #expect(english.stderr.contains("alerts: 0 changes alerted; delivered: webhook, mail"), "\(english.stderr)")
        let vietnamese = try CLI.run(common, environment: key)
        #expect(vietnamese.status == 3, "\(vietnamese.stderr)")

        let bodies = try sinks.requests().map { try JSON.parse(String(decoding: $0.body, as: UTF8.self)) }
        #expect(bodies.map { $0["kind"] } == [.string("scan-failed"), .string("scan-failed")])
        #expect(bodies.map { $0["language"] } == [.string("en"), .string("vi")])
        let subjects = try sinks.mails().map(ReceivedMail.subject)
        #expect(subjects.count == 2)
        #expect(subjects.first?.hasSuffix(": the scan did not complete") == true, "\(subjects)")
        #expect(subjects.last?.hasSuffix(": lần quét không hoàn thành") == true, "\(subjects)")
        #expect(ReceivedMail.plainText(try sinks.mails()[0]).contains("another scan of this history database is running"))
        #expect(!(english.stderr + vietnamese.stderr).contains("cli-hook-key-71f0"))
    }

    @Test("SIGTERM mid-scan with alerts configured: stopped within seconds, nothing sent for the interrupted scan; the next run resumes it and runs the alert step")
    func stopWithAlerts() throws {
        let server = try BudgetServer.shared.get()
        let sinks = try AlertSinks(webhook: true, smtp: true, root: CLI.root)
        defer { sinks.stop() }
        let db = folder.path("history.sqlite")
        let two = try folder.write("two.yaml", BudgetInventory.yaml(server))
        let common = ["--inventory", two, "--db", db, "--resolver", server.resolver, "--allow-net", "127.0.0.1/32",
                      "--checks", "links", "--concurrency", "2", "--every", "1m"] + channels(sinks)
        let key = ["GA_TEST_HOOK_KEY": "cli-hook-key-2c9e"]
        // The baseline of the series.
        let first = try CLI.run(["schedule"] + common + ["--crawl-seconds", "2", "--max-runs", "1"], environment: key)
        #expect(first.status == 0 && first.stderr.contains("baseline recorded, nothing sent"), "\(first.stderr)")

        let service = Process()
        service.executableURL = CLI.binary
        service.arguments = ["schedule"] + common + ["--crawl-seconds", "60"]
        service.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"].merging(key) { a, _ in a }) { _, b in b }
        let err = Pipe()
        service.standardError = err
        service.standardOutput = FileHandle.nullDevice
        try service.run()
        defer { if service.isRunning { kill(service.processIdentifier, SIGKILL); service.waitUntilExit() } }
        // Wait until the quick system of the second scan is stored, the slow one still crawled.
        // Both run at once: the second scan starts the system slow in the first one first.
        var stored = 0
        for _ in 0..<300 where stored < 1 {
            usleep(100_000)
            let listed = try? CLI.run(["history", "--db", db, "--format", "json"])
            if case .array(let scans)? = listed.flatMap({ try? JSON.parse($0.stdout)["scans"] }), scans.count == 2,
               case .number(let n)? = scans.first?["systemsStored"] { stored = Int(n) }
        }
        #expect(stored == 1)
        kill(service.processIdentifier, SIGTERM)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        service.waitUntilExit()
        // The slow page would hold the crawl for a minute: "interrupted, 1/2" (not "complete")
        // is what proves SIGTERM cut it, with no clock in the test.
        #expect(service.terminationStatus == 0, "\(log)")
        #expect(log.contains(": interrupted, 1/2 systems stored in"), "\(log)")
        #expect(log.contains("alerts: scan interrupted; its changes are alerted once the next run has resumed and completed it"), "\(log)")
        #expect(try sinks.requests().isEmpty && sinks.mails().isEmpty, "nothing is sent about a scan stopped on purpose")

        let next = try CLI.run(["schedule"] + common + ["--crawl-seconds", "2", "--max-runs", "1"], environment: key)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("(resumed): complete, 2/2 systems"), "\(next.stderr)")
        #expect(next.stderr.contains("alerts: 0 changes alerted"), "the resumed scan's alert step ran: \(next.stderr)")
        #expect(try sinks.requests().isEmpty, "nothing got worse")
    }
}
