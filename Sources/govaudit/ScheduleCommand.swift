import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditPolicy
import GovAuditScan
import GovAuditService

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Scan the inventory on a timer, as a long-running service (systemd runs it; see contrib/).",
        discussion: """
        Each run is one `scan` of the whole inventory, stored in the history database, under the \
        scan lock: a `scan` started by hand meanwhile exits 3 naming this process. The inventory \
        is read afresh at each run. One line per scan goes to standard error (journald keeps it). \
        SIGTERM or Ctrl-C stops the scan in flight within \
        seconds, stores what is finished and marks it interrupted; the next run, after a restart, \
        finishes it first.

        Reports: with --report-dir (or the config's `reports:`), each complete scan's report is \
        written as `govaudit report` writes it, in the formats of --report-format, into \
        <dir>/<scan-id>/; the folder appears only once every file is written (a crash leaves at \
        most a hidden .<scan-id>.partial-* folder), and the scan's alerts name it. Without it, \
        reports come from `govaudit report`.
          govaudit schedule --every 6h --config /etc/govaudit/config.yaml \\
            --report-dir /var/lib/govaudit/reports --report-format html,json

        The timer: --every (the first scan at once) or --cron (the first at its next match, in \
        the server's time zone), else the config file's `schedule:`.
          govaudit schedule --every 6h --inventory /etc/govaudit/inventory.yaml
          govaudit schedule --cron "0 */6 * * *" --config /etc/govaudit/config.yaml

        After each scan, when a channel is configured (the config's `alerts:` section, or the \
        flags below, which replace the config's channel of the same kind): the alert step of \
        `scan --alert`, what got worse since the previous complete scan, one message per channel, \
        in the language of --lang. A scan stopped by a signal is alerted on once resumed.
          govaudit schedule --every 6h --config /etc/govaudit/config.yaml --lang en \\
            --webhook https://soc.angiang.gov.vn/hooks/govaudit \\
            --webhook-secret-file /etc/govaudit/webhook.secret

        Exit codes: 0 when stopped by a signal or after --max-runs with the last scan complete; \
        2 bad input or configuration; 3 when the last of --max-runs scans could not run.
        """)

    @Option(help: ArgumentHelp("Scan at this interval, the first at once: 30m, 6h, 1d, 1h30m (at least 1m).", valueName: "interval"))
    var every: String?

    @Option(help: ArgumentHelp("Scan at the times of this cron expression: minute hour day-of-month month day-of-week.",
                               discussion: "Lists, ranges, steps and names: \"0 */6 * * *\", \"30 7 * * mon-fri\".", valueName: "expression"))
    var cron: String?

    @Option(name: .customLong("max-runs"), help: ArgumentHelp("Stop after this many scans (for tests and one-off runs).", valueName: "n"))
    var maxRuns: Int?

    @Option(help: ArgumentHelp("Inventory file (YAML). Default: the config's inventory.", valueName: "file"))
    var inventory: String?

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup var crawl: CrawlOptions
    @OptionGroup var bounds: BoundsOptions
    @OptionGroup var checks: ChecksOption
    @OptionGroup var storage: StorageOptions

    @Option(help: "Endpoints probed at the same time.")
    var concurrency: Int = 8

    @Option(help: "Language of the alerts (e-mail text, the webhook's `language`) and of the reports: vi or en.")
    var lang: LanguageArgument = .vi

    @OptionGroup(title: "Reports") var reports: ScheduleReportOptions

    @OptionGroup(title: "Alerts") var alerts: AlertChannelOptions

    func validate() throws {
        if every != nil && cron != nil { throw ValidationError("give --every or --cron, not both") }
        if let every { do { _ = try Interval(parsing: every) } catch { throw ValidationError("--every: \(error.message)") } }
        if let cron { do { _ = try CronExpression(parsing: cron) } catch { throw ValidationError("--cron: \(error.message)") } }
        if let maxRuns, maxRuns < 1 { throw ValidationError("--max-runs: give 1 or more") }
        if storage.noStore { throw ValidationError("schedule stores every scan: drop --no-store") }
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency: give 1–64") }
    }

    func run() async throws {
        let config = try storage.database.config.load()
        let schedule: Schedule
        if let every { schedule = .every(try Interval(parsing: every)) }
        else if let cron { schedule = .cron(try CronExpression(parsing: cron)) }
        else if let configured = config?.schedule { schedule = configured }
        else { throw ValidationError("give --every or --cron, or `schedule:` in the config file") }
        let inventoryPath = inventory ?? config?.inventory
        guard let inventoryPath else {
            throw ValidationError("--inventory: give the inventory file to scan (or `inventory:` in the config file)")
        }
        // Mistakes that would fail every run are exit 2 now, not a log line every six hours.
        _ = try job(config: config, inventoryPath: inventoryPath).policy
        _ = try InventoryLoader.load(path: inventoryPath)
        // The channels (the config's `alerts:`, the flags over it) and their secrets, read now:
        // an unset variable or a secrets file others can read is exit 2 at start.
        let settings = try alerts.settings(config: config, language: lang.language, caFile: network.merged(with: config).caFile)
        try network.merged(with: config).checkResolver()
        let reports = try reports.destination(config: config)

        // The alert step after every scan, when a channel is configured.
        let hook: any AfterScanHook
        if let settings {
            let inventory = try InventoryLoader.load(path: inventoryPath)
            hook = ScheduleAlertStep(settings: settings, database: storage.database,
                                     policy: try job(config: config, inventoryPath: inventoryPath).policy, inventoryName: inventory.name)
        } else {
            hook = NoAlertStep()
        }
        let scheduler = Scheduler(schedule: schedule, maxRuns: maxRuns, hook: hook, log: Self.log)
        Self.log("started: \(schedule), database \(try storage.database.location.path)\(maxRuns.map { ", at most \($0) scans" } ?? "")")
        let tick = { @Sendable [self] in await self.tick(config: config, inventoryPath: inventoryPath, reports: reports) }
        let (scans, stopped) = try await Interruption.cancellingOnSignal {
            let scans = await scheduler.run(tick)
            return (scans, Task.isCancelled)
        }
        if stopped || scans.last?.status == .interrupted { throw ServiceStopped(message: "schedule: stopped") }
        if case .failed? = scans.last?.status { throw ExitCode(Exit.runFailed) }
    }

    /// One scheduled scan; whatever goes wrong is its result, never the end of the service.
    /// A complete scan's report is written under the scan lock, before the alert step names it.
    func tick(config: ServiceConfig?, inventoryPath: String?, reports: ScheduledReports?) async -> ScheduledScan {
        let started = Date()
        do {
            let (plan, lock) = try await job(config: config, inventoryPath: inventoryPath).plan()
            defer { lock?.release() }
            let prepared = try plan.prepare()
            let outcome = try await prepared.run(progress: { _ in })
            var report: String?
            if outcome.status == .complete, let reports, let id = outcome.scanID, let store = plan.store {
                do { report = try await reports.write(scan: id, store: store, policy: plan.policy, language: lang.language) } catch {
                    Self.log("report of scan \(id): \(Self.describe(error)); the scan itself is stored, its alerts name no report")
                }
            }
            return ScheduledScan(scanID: outcome.scanID, status: outcome.status == .complete ? .complete : .interrupted,
                                 startedAt: started, finishedAt: Date(), systemsDone: outcome.systemsDone,
                                 systemsPlanned: outcome.systemsPlanned, resumed: plan.resume != nil, report: report,
                                 statistics: prepared.statistics(outcome).description)
        } catch is CancellationError {
            return ScheduledScan(scanID: nil, status: .interrupted, startedAt: started, finishedAt: Date())
        } catch {
            return ScheduledScan(scanID: nil, status: .failed(Self.describe(error)), startedAt: started, finishedAt: Date())
        }
    }

    /// The scan of one tick, on today's date (a service runs for months).
    func job(config: ServiceConfig?, inventoryPath: String?) -> InventoryScanJob {
        InventoryScanJob(options: self, config: config, inventoryPath: inventoryPath)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as RunFailure: e.message
        case let e as InputErrors: e.errors.map(\.description).joined(separator: "; ")
        case let e as InputError: e.description
        default: String(describing: error)
        }
    }

    static func log(_ line: String) {
        Console.error("govaudit schedule \(ISO8601DateFormatter().string(from: Date())): \(VisibleText.escaped(line))")
    }
}

/// The schedule's options turned into one `InventoryScan` per tick.
struct InventoryScanJob {
    var options: ScheduleCommand
    var config: ServiceConfig?
    var inventoryPath: String?

    var policy: Policy { get throws { try options.policyOptions.load() } }

    func plan() async throws -> (ScanPlan, ScanLock?) {
        try await InventoryScan(command: "schedule", policy: try policy, network: options.network.merged(with: config),
                                crawl: options.crawl, bounds: options.bounds,
                                checks: options.checks.selected(network: options.network, crawl: options.crawl),
                                storage: options.storage, inventoryPath: inventoryPath, asOf: .today(), resume: .ifUnfinished,
                                concurrency: options.concurrency).plan()
    }
}

/// The service was stopped by a signal after storing what was finished: exit 0 at once.
struct ServiceStopped: Error {
    var message: String
}
