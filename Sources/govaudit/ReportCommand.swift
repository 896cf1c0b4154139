import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditReports
import GovAuditScan
import GovAuditStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the report files of a stored scan: HTML, XLSX, CSV, Markdown, JSON.",
        discussion: """
        The province's figures (N/M with unknown and not-applicable systems apart, each with \
        its trend against the previous complete scan of the same series), the agency table, the \
        attached IPv6 list, TLS grades, the link-hygiene list and every finding per system. The \
        stored scan is judged under --policy on its own day. Files go to Reports/<scan-id>/ \
        (or --out-dir), each written atomically, 0600 in a 0700 folder (the inventory holds \
        contacts' personal data); the paths written are printed, one per line.

        Examples:
          govaudit report
          govaudit report --scan 2026-12-01T09-30-00Z-3f9a --format html,csv --lang en
          govaudit report --format md --out-dir /tmp/bao-cao
        """)

    @Option(help: ArgumentHelp("The stored scan (see govaudit history), or latest: the newest complete scan.", valueName: "id"))
    var scan: String = "latest"

    @Option(help: ArgumentHelp("Formats, comma-separated: html, xlsx, csv, md, json.", valueName: "list"))
    var format: String = "html,xlsx,csv,md,json"

    @Option(help: "Language of the report: vi or en.")
    var lang: LanguageArgument = .vi

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for the files. Default: Reports/<scan-id>.", valueName: "dir"))
    var outDir: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var policyOptions: PolicyOptions

    var formats: [ReportFormat] {
        get throws {
            var chosen: [ReportFormat] = []
            for word in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
                guard let f = ReportFormat(rawValue: word) else {
                    throw ValidationError("--format: '\(word)' is not a report format (\(Self.formatList))")
                }
                if !chosen.contains(f) { chosen.append(f) }
            }
            if chosen.isEmpty { throw ValidationError("--format: give one or more of \(Self.formatList)") }
            return chosen
        }
    }

    static let formatList = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")

    func validate() throws {
        _ = try formats
        if scan.isEmpty { throw ValidationError("--scan: give a scan id or latest") }
    }

    func run() async throws {
        let formats = try formats
        let policy = try policyOptions.load()
        let store = try database.open(create: false)
        let model = try await mappingStoreErrors { () async throws -> ReportModel in
            let id = try await resolve(store)
            do {
                return try await ReportModel.load(scan: id, store: store, policy: policy) {
                    Evaluator(policy: policy, areas: Evaluate.areas($0))
                }
            } catch StoreError.unknownScan(let path, let id) {
                throw InputErrors([InputError(SourceLocation(file: path), field: "--scan", "no stored scan with id '\(id)'")])
            }
        }
        let directory = outDir ?? "Reports/\(model.scan.id)"
        let paths: [String]
        do {
            paths = try ReportFiles.write(model, formats: formats, language: lang.language, to: directory)
        } catch let error as ReportWriteError {
            throw RunFailure(message: error.description)
        }
        Console.out(paths.map { $0 + "\n" }.joined())
    }

    /// `latest`: the newest complete scan; otherwise the id as given.
    private func resolve(_ store: HistoryStore) async throws -> String {
        guard scan == "latest" else { return scan }
        guard let latest = try await store.scans().first(where: { $0.scan.status == .complete }) else {
            throw InputErrors([InputError(SourceLocation(file: store.location.path), field: "--scan",
                                          "no complete scan stored yet: run govaudit scan first, or name a scan with --scan")])
        }
        return latest.scan.id
    }
}
