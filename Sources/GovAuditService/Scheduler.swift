import Foundation

/// What one scheduled scan did: what the log line says and what the alert step reads.
public struct ScheduledScan: Sendable {
    public enum Status: Sendable, Equatable {
        case complete
        /// Stopped by SIGTERM or Ctrl-C; what was committed is kept and the next tick resumes it.
        case interrupted
        /// The scan could not run or failed midway (resolver down, lock held, bad inventory,
        /// database error): the message says why, secrets redacted.
        case failed(String)
    }

    /// The stored scan; nil when it failed before one was begun.
    public var scanID: String?
    public var status: Status
    public var startedAt: Date
    public var finishedAt: Date
    public var systemsDone: Int
    public var systemsPlanned: Int
    /// Whether this tick finished an interrupted scan instead of starting a new one.
    public var resumed: Bool
    /// The folder the scan's report was written into; nil when none was (no report folder
    /// configured, a scan not complete, or the write failed, which is logged on its own).
    public var report: String?
    /// The scanner's own gauges for the run (threads, DNS cache, kept connections), as text.
    public var statistics: String?

    public init(scanID: String?, status: Status, startedAt: Date, finishedAt: Date, systemsDone: Int = 0,
                systemsPlanned: Int = 0, resumed: Bool = false, report: String? = nil,
                statistics: String? = nil) {
        self.scanID = scanID
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.systemsDone = systemsDone
        self.systemsPlanned = systemsPlanned
        self.resumed = resumed
        self.report = report
        self.statistics = statistics
    }

    /// The one line per scan the service writes to standard error (journald keeps it).
    public var logLine: String {
        let seconds = Int(finishedAt.timeIntervalSince(startedAt).rounded())
        let what = "scan \(scanID ?? "-")\(resumed ? " (resumed)" : "")"
        let gauges = statistics.map { " (\($0))" } ?? ""
        switch status {
        case .complete:
            return "\(what): complete, \(systemsDone)/\(systemsPlanned) systems in \(seconds)s\(gauges)" + (report.map { "; report \($0)" } ?? "")
        case .interrupted:
            return "\(what): interrupted, \(systemsDone)/\(systemsPlanned) systems stored in \(seconds)s\(gauges); the next run resumes it"
        case .failed(let why):
            return "\(what): could not run: \(Redaction.text(why))"
        }
    }
}

/// THE CALL POINT OF THE ALERT STEP: `Scheduler` calls `afterScan` once after every scheduled
/// scan, whatever its status, before waiting for the next one. The alerts work replaces
/// `NoAlertStep` with the step that diffs against the previous complete scan and sends.
/// It must not throw: a failed delivery is the alert step's to record and retry.
public protocol AfterScanHook: Sendable {
    func afterScan(_ scan: ScheduledScan) async
}

/// The hook until the alerts are built: does nothing, deliberately.
public struct NoAlertStep: AfterScanHook {
    public init() {}
    public func afterScan(_ scan: ScheduledScan) async {}
}

/// The clock the scheduler waits on: the system's, or a test's.
public protocol ServiceClock: Sendable {
    func now() -> Date
    /// Returns at `date`, or throws `CancellationError` when the task is cancelled first.
    func sleep(until date: Date) async throws
}

public struct SystemClock: ServiceClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until date: Date) async throws {
        // Short naps, so a clock set forward (NTP, suspend) is noticed within seconds.
        while Date() < date {
            try await Task.sleep(for: .seconds(min(5, max(0.01, date.timeIntervalSinceNow))))
        }
    }
}

/// `govaudit schedule`'s loop: wait for the schedule's next time, scan, log one line, call the
/// alert step, repeat; until `maxRuns` scans are done or the task is cancelled (SIGTERM).
public struct Scheduler: Sendable {
    public var schedule: Schedule
    /// Scans to run before returning; nil for no end (a service).
    public var maxRuns: Int?
    public var timeZone: TimeZone
    public var clock: any ServiceClock
    public var hook: any AfterScanHook
    public var log: @Sendable (String) -> Void

    public init(schedule: Schedule, maxRuns: Int? = nil, timeZone: TimeZone = .current, clock: any ServiceClock = SystemClock(),
                hook: any AfterScanHook = NoAlertStep(), log: @escaping @Sendable (String) -> Void) {
        self.schedule = schedule
        self.maxRuns = maxRuns
        self.timeZone = timeZone
        self.clock = clock
        self.hook = hook
        self.log = log
    }

    /// Runs scans; returns them. `scan` is one scan, never throwing (its failures are its result).
    /// A scan interrupted by cancellation ends the loop: the process is being stopped.
    @discardableResult
    public func run(_ scan: @Sendable () async -> ScheduledScan) async -> [ScheduledScan] {
        var done: [ScheduledScan] = []
        var lastStart: Date?
        while maxRuns.map({ done.count < $0 }) ?? true, !Task.isCancelled {
            let now = clock.now()
            guard let next = schedule.nextRun(lastStart: lastStart, now: now, timeZone: timeZone) else {
                log("schedule \(schedule) has no next time; stopping")
                break
            }
            if next > now {
                log("next scan at \(Self.stamp(next, timeZone))")
                do { try await clock.sleep(until: next) } catch { break }
            }
            lastStart = clock.now()
            let result = await scan()
            done.append(result)
            log(result.logLine)
            await hook.afterScan(result)
            if result.status == .interrupted || Task.isCancelled { break }
        }
        return done
    }

    /// `2026-12-01 18:00 +07:00`: the wall-clock time the operator reads, with its offset.
    static func stamp(_ date: Date, _ zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return f.string(from: date)
    }
}
