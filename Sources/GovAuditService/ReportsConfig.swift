import GovAuditCore
import GovAuditYAML

/// The `reports:` section of the config file: where `govaudit schedule` writes the report of
/// each complete scan, and in which formats.
///
/// ```yaml
/// reports:
///   dir: /var/lib/govaudit/reports   # each scan in <dir>/<scan-id>/ (created 0700)
///   formats: [html, json]            # default: html, xlsx, csv, md, json
/// ```
/// The `--report-dir` and `--report-format` flags of `schedule` replace these values.
public struct ReportsConfig: Sendable, Hashable {
    public var directory: String
    public var formats: [ReportFormat]

    public init(directory: String, formats: [ReportFormat] = ReportFormat.standard) {
        self.directory = directory
        self.formats = formats
    }

    /// Why a schedule cannot write `format` on its own, or nil: the official letter (docx) needs
    /// a number a person gives, for one report at a time.
    public static func unattendedProblem(_ format: ReportFormat) -> String? {
        format == .docx ? "docx is the official report and needs its number: write it with govaudit report --format docx --number …" : nil
    }

    static func read(_ m: MappingReader, configFolder: String) -> ReportsConfig? {
        let dir = m.string("dir", required: true)
        var formats = ReportFormat.standard
        if let listed = m.strings("formats"), let node = m.node("formats") {
            switch ReportFormat.list(listed) {
            case .success(let chosen):
                if let problem = chosen.lazy.compactMap(unattendedProblem).first { m.diagnostics.report(node, problem) }
                formats = chosen
            case .failure(let error):
                m.diagnostics.report(node, error.message)
            }
        }
        m.finish()
        return dir.map { ReportsConfig(directory: ConfigPaths.resolve($0, in: configFolder), formats: formats) }
    }
}
