import Foundation
import GovAuditService
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("scan lock")
struct ScanLockTests {
    let database: String

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = folder.appendingPathComponent("history.sqlite").path
    }

    @Test("a second holder is refused at once, naming the first (pid, start, command); free again after release")
    func exclusive() throws {
        let started = Date(timeIntervalSince1970: 1_796_000_000)
        let first = try ScanLock.acquire(database: database, command: "schedule", now: started)
        do {
            _ = try ScanLock.acquire(database: database, command: "scan")
            Issue.record("the lock was taken twice")
        } catch {
            guard case .busy(let path, let holder) = error else { Issue.record("\(error)"); return }
            #expect(path == database + ".lock")
            #expect(holder.pid == getpid() && holder.startedAt == started && holder.command == "schedule")
            #expect(error.description.contains("`govaudit schedule` (process \(getpid()), started 2026-11-30T00:53:20Z"))
        }
        first.release()
        let second = try ScanLock.acquire(database: database, command: "scan")
        #expect(second.holder.command == "scan")
        var info = stat()
        #expect(stat(second.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("a lock held by another process (flock(2) from Python) is refused too; its death frees it at once")
    func otherProcess() throws {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import fcntl, sys, time
            f = open(sys.argv[1], "w")
            fcntl.flock(f, fcntl.LOCK_EX)
            print("held", flush=True)
            time.sleep(30)
            """, database + ".lock"]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
        _ = try out.fileHandleForReading.read(upToCount: 5)
        do {
            _ = try ScanLock.acquire(database: database, command: "scan")
            Issue.record("the lock was taken while another process held it")
        } catch {
            guard case .busy(_, let who) = error else { Issue.record("\(error)"); return }
            #expect(who.pid == nil && error.description.contains("another process (it has not written its name yet)"))
        }
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(throws: Never.self) { try ScanLock.acquire(database: database, command: "scan") }
    }
}

/// A clock a test moves: sleeping jumps to the time asked for, and is recorded.
final class TestClock: ServiceClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private(set) var sleeps: [Date] = []

    init(_ start: Date) { current = start }

    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    func sleep(until date: Date) async throws {
        try Task.checkCancellation()
        lock.withLock { sleeps.append(date); current = max(current, date) }
    }
}

actor Recorder: AfterScanHook {
    var seen: [ScheduledScan] = []
    func afterScan(_ scan: ScheduledScan) async { seen.append(scan) }
}

final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite("scheduler loop")
struct SchedulerTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30 00:53:20 UTC

    @Test("--every: at once, then from each start; --max-runs ends it; the hook sees every scan; one line each")
    func every() async throws {
        let clock = TestClock(t0)
        let hook = Recorder()
        let lines = Lines()
        let scheduler = Scheduler(schedule: .every(try Interval(parsing: "1h")), maxRuns: 3, timeZone: TimeZone(identifier: "UTC")!,
                                  clock: clock, hook: hook, log: lines.add)
        let done = await scheduler.run {
            let start = clock.now()
            clock.advance(600)   // each scan takes ten minutes
            return ScheduledScan(scanID: "s\(Int(start.timeIntervalSince(self.t0)))", status: .complete, startedAt: start,
                                 finishedAt: clock.now(), systemsDone: 64, systemsPlanned: 64)
        }
        #expect(done.map(\.scanID) == ["s0", "s3600", "s7200"])
        #expect(clock.sleeps == [t0 + 3600, t0 + 7200])
        #expect(await hook.seen.map(\.scanID) == ["s0", "s3600", "s7200"])
        let scanLines = lines.all.filter { $0.hasPrefix("scan ") }
        #expect(scanLines == ["scan s0: complete, 64/64 systems in 600s", "scan s3600: complete, 64/64 systems in 600s",
                              "scan s7200: complete, 64/64 systems in 600s"])
        #expect(lines.all.contains("next scan at 2026-11-30 01:53:20 +00:00"))
    }

    @Test("cron: waits for the next matching minute; a failed scan is logged, redacted, and the loop goes on")
    func cronAndFailure() async throws {
        let clock = TestClock(t0)
        let lines = Lines()
        let scheduler = Scheduler(schedule: .cron(try CronExpression(parsing: "0 */6 * * *")), maxRuns: 2,
                                  timeZone: TimeZone(identifier: "UTC")!, clock: clock, log: lines.add)
        let done = await scheduler.run {
            ScheduledScan(scanID: nil, status: .failed("webhook https://u:secret@h.example.vn/x unreachable"),
                          startedAt: clock.now(), finishedAt: clock.now())
        }
        #expect(done.count == 2)
        #expect(clock.sleeps == [t0 + 18_400, t0 + 18_400 + 21_600])   // 06:00, then 12:00
        #expect(lines.all.contains("scan -: could not run: webhook https://***@h.example.vn/x unreachable"))
        #expect(!lines.all.joined().contains("secret"))
    }

    @Test("an interrupted scan ends the loop (the process is stopping); cancellation while waiting ends it at once")
    func stopping() async throws {
        let clock = TestClock(t0)
        let scheduler = Scheduler(schedule: .every(try Interval(parsing: "1m")), clock: clock, log: { _ in })
        let done = await scheduler.run {
            ScheduledScan(scanID: "x", status: .interrupted, startedAt: clock.now(), finishedAt: clock.now(), systemsDone: 3, systemsPlanned: 64)
        }
        #expect(done.count == 1)
        #expect(done[0].logLine.contains("interrupted, 3/64 systems stored") && done[0].logLine.contains("the next run resumes it"))

        let waiting = Task {
            await Scheduler(schedule: .every(try! Interval(parsing: "1h")), clock: SystemClock(), log: { _ in }).run {
                ScheduledScan(scanID: "y", status: .complete, startedAt: Date(), finishedAt: Date())
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        waiting.cancel()
        let ran = await waiting.value
        #expect(ran.count == 1, "the first scan ran; the wait for the second was cancelled")
    }
}

@Suite("policy location")
struct PolicyLocatorTests {
    func locator(_ exe: String, policies: Set<String>, checkouts: Set<String> = [], env: [String: String] = [:]) -> PolicyLocator {
        PolicyLocator(environment: env, executable: exe, isPolicyFolder: { policies.contains($0) }, isCheckout: { checkouts.contains($0) })
    }

    @Test("installed: <prefix>/bin/govaudit uses <prefix>/share/govaudit/Policies, from any working folder")
    func installed() throws {
        let found = try locator("/opt/ga/bin/govaudit", policies: ["/opt/ga/share/govaudit/Policies"]).locate()
        #expect(found.path == "/opt/ga/share/govaudit/Policies" && found.how == "installed")
    }

    @Test("in a checkout: .build/<triple>/debug/govaudit uses the checkout's Policies/")
    func checkout() throws {
        let found = try locator("/src/ga/.build/x86_64-unknown-linux-gnu/debug/govaudit", policies: ["/src/ga/Policies"],
                                checkouts: ["/src/ga"]).locate()
        #expect(found.path == "/src/ga/Policies" && found.how == "checkout")
    }

    @Test("$GOVAUDIT_POLICY first; nothing found says everything tried")
    func order() throws {
        #expect(try locator("/usr/bin/govaudit", policies: [], env: ["GOVAUDIT_POLICY": "/p"]).locate().how == "$GOVAUDIT_POLICY")
        do {
            _ = try locator("/usr/bin/govaudit", policies: []).locate()
            Issue.record("found a policy where there is none")
        } catch {
            #expect(error.description.contains("/usr/share/govaudit/Policies") && error.description.contains("$GOVAUDIT_POLICY (not set)"))
        }
    }
}
