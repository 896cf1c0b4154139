import GovAuditCore
import GovAuditService
import Testing

/// The config's `reports:` section: where a schedule writes each scan's report, and in which
/// formats; each mistake named by file, line and field.
@Suite("config file: reports")
struct ReportsConfigTests {
    func errors(_ text: String) -> [String] {
        do { _ = try ServiceConfig.parse(text, file: "/etc/govaudit/config.yaml"); return [] } catch { return error.errors.map(\.description) }
    }

    @Test("a relative dir is read from the config's folder; formats default to report's own, in the order given, each once")
    func values() throws {
        let given = try ServiceConfig.parse("reports: {dir: bao-cao, formats: [json, html, json]}", file: "/etc/govaudit/config.yaml")
        #expect(given.reports == ReportsConfig(directory: "/etc/govaudit/bao-cao", formats: [.json, .html]))
        let bare = try ServiceConfig.parse("reports: {dir: /srv/reports}", file: "/etc/govaudit/config.yaml")
        #expect(bare.reports?.formats == ReportFormat.standard)
        #expect(try ServiceConfig.parse("version: 1", file: "c.yaml").reports == nil)
    }

    @Test("a missing dir, an unknown format, docx (it needs its number) and a misspelt key are errors at their lines")
    func mistakes() {
        #expect(errors("reports: {formats: [html]}") == ["/etc/govaudit/config.yaml:1: reports.dir: missing required field"])
        #expect(errors("reports:\n  dir: r\n  formats: [html, word]") == [
            "/etc/govaudit/config.yaml:3: reports.formats: 'word' is not a report format (html, xlsx, csv, md, json, docx, pdf)",
        ])
        #expect(errors("reports:\n  dir: r\n  formats: [docx]").first?.hasPrefix(
            "/etc/govaudit/config.yaml:3: reports.formats: docx is the official report and needs its number") == true)
        #expect(errors("reports: {dir: r, formats: []}") == ["/etc/govaudit/config.yaml:1: reports.formats: give one or more of html, xlsx, csv, md, json, docx, pdf"])
        #expect(errors("reports:\n  dir: r\n  format: [html]").first?.hasPrefix("/etc/govaudit/config.yaml:3: reports.format: unknown field") == true)
    }
}
