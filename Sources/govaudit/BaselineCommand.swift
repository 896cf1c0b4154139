import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditReports
import GovAuditScan
import GovAuditStore

struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Accept a system's current state as expected (drift), or show the state drift is judged against.",
        discussion: """
        Drift: a new third-party script host, a new iframe source, a new outbound domain, or a \
        home page whose visible text and structure both changed beyond the policy's thresholds \
        (links.defacement) is a finding of the next scan, in diff and in alerts. Each scan is \
        compared with the baseline accepted here, or, while none is, with the previous complete \
        scan of its series. Every acceptance is kept; the latest is in force.

        Examples:
          govaudit baseline accept cong-ttdt --reason "Giao diện mới đã duyệt" --by nguyen.an
          govaudit baseline show cong-ttdt --format json
        """,
        subcommands: [Accept.self, Show.self])

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the system's state in its newest complete scan (or --scan ID) as expected.")

        @Argument(help: ArgumentHelp("The system's id in the inventory.", valueName: "system"))
        var system: String

        @Option(help: ArgumentHelp("The scan whose state is accepted. Default: the newest complete scan that crawled the system.",
                                   valueName: "id"))
        var scan: String?

        @Option(help: "Why (kept with the acceptance).")
        var reason: String = ""

        @Option(help: ArgumentHelp("Who accepts. Default: $USER.", valueName: "who"))
        var by: String?

        @OptionGroup var database: DatabaseOption

        func validate() throws {
            if system.isEmpty { throw ValidationError("system: give a system id") }
        }

        func run() async throws {
            let store = try database.open(create: false)
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
            let accepted: AcceptedBaseline
            do {
                accepted = try await mappingStoreErrors {
                    try await Baselines.accept(system: system, scan: scan, by: who, reason: reason, at: Date(), store: store,
                                               catalog: EvidenceCatalog.standard)
                }
            } catch let refusal as Baselines.Refusal {
                throw InputErrors([InputError(SourceLocation(file: store.location.path), field: "system", refusal.description)])
            }
            Console.out("\(TerminalText.sanitize(system)): baseline accepted from scan \(accepted.scan) "
                        + "(\(accepted.snapshots.count) endpoint\(accepted.snapshots.count == 1 ? "" : "s"), \(TerminalText.sanitize(who)))\n")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The accepted baseline of a system, and how its newest scan compares with what it was judged against.")

        @Argument(help: ArgumentHelp("The system's id in the inventory.", valueName: "system"))
        var system: String

        @OptionGroup var database: DatabaseOption
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try database.open(create: false)
            let target = try output.target(inputs: [store.location.path])
            let (accepted, latest) = try await mappingStoreErrors {
                (try await store.baseline(of: system), try await Baselines.latest(system: system, store: store, catalog: EvidenceCatalog.standard))
            }
            try output.emit(to: target) { color in
                output.format == .json
                    ? try BaselineReport.json(system: system, accepted: accepted, latest: latest)
                    : BaselineReport.table(system: system, accepted: accepted, latest: latest, style: Style(enabled: color))
            }
        }
    }
}
