import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditReports
import GovAuditScan
import GovAuditStore

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the stored scans, newest first; prune old ones.",
        discussion: """
        Each scan with its id, start, duration, kind, inventory and checks, systems stored, \
        status (complete, interrupted, resumed), open findings by severity and the headline \
        figures. Scan ids are what diff, evaluate --scan and scan --resume take.

        Examples:
          govaudit history
          govaudit history --limit 5 --format json
          govaudit history prune --keep 180d
        """,
        subcommands: [List.self, Prune.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the stored scans (the default).")

        @OptionGroup var database: DatabaseOption
        @OptionGroup var output: OutputOptions

        @Option(help: "Show at most this many scans.")
        var limit: Int = 20

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit: give 1 or more") }
        }

        func run() async throws {
            let store = try database.open(create: false)
            let target = try output.target(inputs: [store.location.path])
            let listings = try await mappingStoreErrors { try await store.scans(limit: limit) }
            try output.emit(to: target) { color in
                output.format == .json
                    ? try HistoryReport.json(listings, database: store.location.path)
                    : HistoryReport.table(listings, database: store.location.path, language: output.lang.language,
                                          style: Style(enabled: color))
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete scans older than the retention period; the latest complete scan of each series is always kept.",
            discussion: "The alert records of deleted scans go with them (messages delivered or refused); a scan an undelivered alert names is kept until it is delivered, and the alert state that keeps a change from being alerted twice is always kept.")

        @OptionGroup var database: DatabaseOption

        @Option(help: ArgumentHelp("Keep scans started within this many days, e.g. 180d (or 180).", valueName: "days"))
        var keep: String

        var days: Int? { Int(keep.hasSuffix("d") ? String(keep.dropLast()) : keep) }

        func validate() throws {
            guard let days, days >= 1 else { throw ValidationError("--keep: give a number of days such as 180d") }
        }

        func run() async throws {
            let store = try database.open(create: false)
            let report = try await mappingStoreErrors { try await store.prune(keepingDays: days!, now: Date()) }
            var parts = ["Deleted \(report.deleted.count) scans"]
            if !report.keptAsLatest.isEmpty { parts.append("kept \(report.keptAsLatest.count) older ones, each the latest complete scan of its series") }
            if !report.keptForAlerts.isEmpty { parts.append("kept \(report.keptForAlerts.count) older ones named by alerts not yet delivered") }
            if report.alertMessagesDeleted > 0 { parts.append("deleted \(report.alertMessagesDeleted) alert messages already delivered or refused") }
            Console.out(parts.joined(separator: "; ") + ".\n")
        }
    }
}

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two stored scans: new, resolved and changed findings, record changes.",
        discussion: """
        Without ids: the latest complete scan and the complete scan before it of the same series \
        (same kind, inventory name and checks; an audit or a narrowed scan is never the baseline \
        of a full one). With one id: that scan against the one before it. A finding is changed \
        when its severity or status changed; new findings show since when their key is open. \
        --fail-on exits 1 when something new or changed at or above it is open, so a timer can act.

        Examples:
          govaudit diff
          govaudit diff 2026-12-01T03-00-00Z-ab12 2026-12-01T09-00-00Z-cd34 --format json
          govaudit diff --fail-on high
        """)

    @Argument(help: ArgumentHelp("The older scan (or, alone, the newer one).", valueName: "old"))
    var old: String?

    @Argument(help: ArgumentHelp("The newer scan.", valueName: "new"))
    var new: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: OutputOptions

    @Option(help: "Exit 1 when a new or changed open finding is at or above this severity (critical, high, medium, low, info, none).")
    var failOn: FailOn = .none

    func run() async throws {
        let store = try database.open(create: false)
        let (a, b) = try await mappingStoreErrors { () async throws -> (String, String) in
            if let old, let new { return (old, new) }
            let newer: ScanRecord
            if let single = old {
                newer = try await store.scan(single)
            } else {
                guard let latest = try await store.scans().first(where: { $0.scan.status == .complete })?.scan else {
                    throw InputErrors([InputError(SourceLocation(file: store.location.path), "no complete scan to compare")])
                }
                newer = latest
            }
            guard let older = try await store.completeScans(in: newer.series, before: newer.startedAt, limit: 1).first else {
                throw InputErrors([InputError(SourceLocation(file: store.location.path),
                                              "scan \(newer.id) has no earlier complete scan of the same series (\(newer.series.kind.rawValue) of '\(newer.series.inventoryName)', checks \(newer.series.checks.joined(separator: ",")))")])
            }
            return (older.id, newer.id)
        }
        let target = try output.target(inputs: [store.location.path])
        let diff = try await mappingStoreErrors { try await ScanDiff.compare(a, b, store: store) }
        try output.emit(to: target) { color in
            output.format == .json
                ? try DiffReport.json(diff)
                : DiffReport.table(diff, language: output.lang.language, style: Style(enabled: color))
        }
        if let threshold = failOn.severity, !diff.worsened(atLeast: threshold).isEmpty {
            throw ExitCode(Exit.findings)
        }
    }
}

struct TriageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Record a person's verdict on a finding: false-positive or confirmed.",
        discussion: """
        A verdict is kept with who gave it and when, apart from waivers (which accept a real \
        risk and change the figures); every verdict given is kept, the latest is the one in force.

        Example:
          govaudit triage 3f1c9a0b2d4e5f60 false-positive --reason "Liên kết đối tác đã xác minh" --by nguyen.an
        """)

    @Argument(help: ArgumentHelp("The finding's key (JSON output, diff).", valueName: "key"))
    var key: String

    @Argument(help: ArgumentHelp("false-positive or confirmed.", valueName: "verdict"))
    var verdict: String

    @Option(help: "Why.")
    var reason: String

    @Option(help: ArgumentHelp("Who decides. Default: $USER.", valueName: "who"))
    var by: String?

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if TriageVerdict(rawValue: verdict) == nil { throw ValidationError("verdict: give false-positive or confirmed") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason: say why") }
        if key.isEmpty || !key.allSatisfy(\.isHexDigit) { throw ValidationError("key: '\(key)' is not a finding key") }
    }

    func run() async throws {
        let store = try database.open(create: false)
        let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let triage = Triage(key: key, verdict: TriageVerdict(rawValue: verdict)!, reason: reason, by: who, at: Date())
        var failure: StoreError?
        do { try await store.setTriage(triage) } catch { failure = error }
        if let error = failure {
            if case .unknownFindingKey = error {
                throw InputErrors([InputError(SourceLocation(file: store.location.path), field: "key",
                                              "no stored scan reported a finding with key \(key)")])
            }
            throw RunFailure(message: error.description)
        }
        Console.out("\(key): \(verdict) (\(TerminalText.sanitize(who)))\n")
    }
}
