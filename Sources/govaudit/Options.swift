import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditNet
import GovAuditPolicy
import GovAuditService

/// `--policy DIR`, shared by every verb that judges.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Policy directory (policy.yaml and rules/*.yaml).",
        discussion: "Default: $GOVAUDIT_POLICY, else the installed policy (<prefix>/share/govaudit/Policies beside <prefix>/bin/govaudit), else the Policies/ of the checkout the program was built in. `govaudit version` shows which.",
        valueName: "dir"))
    var policy: String?

    /// Loads the policy; bad policies throw `InputErrors` (exit 2).
    func load() throws -> Policy {
        let dir: String
        if let policy { dir = policy } else {
            do { dir = try PolicyLocator.current.locate().path } catch {
                throw InputErrors([InputError(SourceLocation(file: "Policies"), error.description)])
            }
        }
        return try PolicyLoader.load(directory: dir, digest: Digest.sha256Hex)
    }
}

/// `--as-of YYYY-MM-DD`: the day results are computed for, in Asia/Ho_Chi_Minh.
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Evaluate as on this day (Asia/Ho_Chi_Minh). Default: today.",
        discussion: "Also picks the legal regime in force that day (NĐ 85/2016 before 1/7/2026, Luật 116/2025 from then, with its transition).",
        valueName: "YYYY-MM-DD"))
    var asOf: String?

    func validate() throws {
        if let asOf, CalendarDate(parsing: asOf) == nil {
            throw ValidationError("--as-of: '\(asOf)' is not a date YYYY-MM-DD")
        }
    }

    var date: CalendarDate {
        asOf.flatMap { CalendarDate(parsing: $0) } ?? .today()
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

enum LanguageArgument: String, ExpressibleByArgument, CaseIterable {
    case vi, en
    var language: Language { self == .vi ? .vi : .en }
}

/// `--format` and `--lang`, for every verb that prints a report.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for people) or json (for machines; see Reports/schema/).")
    var format: OutputFormat = .table

    @Option(help: "Language of titles and remedies: vi or en.")
    var lang: LanguageArgument = .vi

    @Option(name: .long, help: ArgumentHelp(
        "Also write the report to this file (atomically, mode 0600).",
        discussion: "Only a regular file: a directory, device, FIFO, symbolic link or one of the run's input files is refused (exit 2).",
        valueName: "file"))
    var out: String?

    /// The checked `--out` target, nil without `--out`. Call it before the work, so a bad target
    /// is exit 2 at once; `inputs` are the files the run reads, which the report must not replace.
    func target(inputs: [String?]) throws -> OutputFile? {
        try out.map { try OutputFile($0, option: "--out", inputs: inputs.compactMap { $0 }) }
    }

    /// Prints the report, and writes it to `target` when given (without colour).
    func emit(to target: OutputFile?, _ render: (Bool) throws -> String) throws {
        let color = format == .table && Console.colorEnabled
        let text = try render(color)
        Console.out(text)
        if let target { try Console.write(color ? try render(false) : text, to: target) }
    }
}

/// `--fail-on`, for every verb that judges.
struct FailOnOption: ParsableArguments {
    @Option(help: "Exit 1 when an open finding is at or above this severity (critical, high, medium, low, info, none).")
    var failOn: FailOn = .high
}

/// The provenance every result carries.
func provenance(command: String, started: Date, asOf: CalendarDate, policy: Policy, inventory: String?,
                resolver: String?, families: [String]) -> ScanProvenance {
    ScanProvenance(id: UUID().uuidString.lowercased(), command: command, startedAt: started, finishedAt: Date(), asOf: asOf,
                   govauditVersion: GovAuditVersion.current, libcurlVersion: Libraries.curlVersion,
                   opensslVersion: Libraries.opensslVersion, policyName: policy.name, policyHash: policy.hash,
                   inventory: inventory, resolver: resolver, ipFamilies: families)
}

enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case critical, high, medium, low, info, none
    var severity: Severity? { Severity(rawValue: rawValue) }
}
