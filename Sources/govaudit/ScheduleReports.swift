import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditReports
import GovAuditService
import GovAuditStore

/// `schedule --report-dir DIR --report-format LIST`: each complete scheduled scan writes its
/// report, as `govaudit report` would, and its alerts name the folder.
struct ScheduleReportOptions: ParsableArguments {
    @Option(name: .customLong("report-dir"), help: ArgumentHelp(
        "Write each complete scan's report into <dir>/<scan-id>/, and name that folder in its alerts.",
        discussion: "The folder (0700, files 0600) appears whole once every format is written, never half-written. Default: the config's reports.dir; neither: no report.",
        valueName: "dir"))
    var reportDir: String?

    @Option(name: .customLong("report-format"), help: ArgumentHelp(
        "Formats of those reports, comma-separated: html, xlsx, csv, md, json, pdf. Default: the config's reports.formats, else \(ReportFormat.standard.map(\.rawValue).joined(separator: ",")).",
        valueName: "list"))
    var reportFormat: String?

    func validate() throws { _ = try formats }

    /// The formats of --report-format, nil when not given.
    private var formats: [ReportFormat]? {
        get throws {
            guard let reportFormat else { return nil }
            switch ReportFormat.list(reportFormat.split(separator: ",").map(String.init)) {
            case .success(let formats):
                if let problem = formats.lazy.compactMap(ReportsConfig.unattendedProblem).first {
                    throw ValidationError("--report-format: \(problem)")
                }
                return formats
            case .failure(let error): throw ValidationError("--report-format: \(error.message)")
            }
        }
    }

    /// The flags over the config's `reports:`; nil when neither names a folder. The folder is
    /// created now and pdf's Chromium looked up now, so a mistake is exit 2 at start rather than
    /// a log line after every scan.
    func destination(config: ServiceConfig?) throws -> ScheduledReports? {
        guard let directory = reportDir ?? config?.reports?.directory else {
            if reportFormat != nil { throw ValidationError("--report-format: give --report-dir DIR too (or reports.dir in the config file)") }
            return nil
        }
        let formats = try formats ?? config?.reports?.formats ?? ReportFormat.standard
        var chromium: String?
        if formats.contains(.pdf) {
            guard let found = PDFPrint.chromium() else {
                throw ValidationError("pdf reports are printed by headless Chromium, which is not installed: install the Debian package \(PDFPrint.package)")
            }
            chromium = found
        }
        do { try ReportFiles.makeDirectory(directory) } catch let error as ReportWriteError {
            throw ValidationError("--report-dir: \(error.description)")
        }
        return ScheduledReports(directory: directory, formats: formats, chromium: chromium)
    }
}

/// Where and how a schedule writes its reports.
struct ScheduledReports: Sendable {
    var directory: String
    var formats: [ReportFormat]
    var chromium: String?

    /// Writes the report of stored scan `id` into `directory/id`; returns that folder.
    func write(scan id: String, store: HistoryStore, policy: Policy, language: Language) async throws -> String {
        let model = try await ReportModel.load(scan: id, store: store, policy: policy) {
            Evaluator(policy: policy, areas: Evaluate.areas($0))
        }
        return try ReportFiles.publish(model, formats: formats, language: language, in: directory, as: id, chromium: chromium).folder
    }
}
