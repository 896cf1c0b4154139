import GovAuditCore
import GovAuditPolicy

/// The report's tables as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads
/// Vietnamese), CRLF rows, every text field quoted and neutralised (`ReportEscape.csv`).
public struct CSVReport: Sendable {
    public var text: ReportText

    public init(language: Language) {
        text = ReportText(language)
    }

    /// File name → content: summary, systems, findings, ipv6.
    public func render(_ m: ReportModel) -> [(name: String, content: String)] {
        [("summary.csv", summary(m)), ("systems.csv", systems(m)), ("findings.csv", findings(m)), ("ipv6.csv", ipv6(m))]
    }

    private func table(_ header: [String], _ rows: [[Cell]]) -> String {
        let lines = [header.map(ReportEscape.csv).joined(separator: ",")]
            + rows.map { $0.map(\.field).joined(separator: ",") }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Numbers are written bare (a spreadsheet sums them); everything else is quoted text.
    enum Cell {
        case text(String), int(Int), number(Double?)
        var field: String {
            switch self {
            case .text(let s): ReportEscape.csv(s)
            case .int(let n): String(n)
            case .number(let d): d.map { String(format: "%.1f", $0) } ?? ""
            }
        }
    }

    func summary(_ m: ReportModel) -> String {
        let t = text
        return table([t.t("Mã", "Id"), t.t("Chỉ tiêu", "Figure"), t.t("Đạt", "Passed"), t.t("Áp dụng", "Applicable"),
                      t.t("Tỷ lệ (%)", "Percent"), t.t("Chưa xác định", "Unknown"), t.t("Không áp dụng", "Not applicable"),
                      t.t("Xu hướng", "Trend"), t.t("Đạt (lần trước)", "Passed before"), t.t("Áp dụng (lần trước)", "Applicable before")],
                     m.figures.map { f in
            [.text(f.id), .text(f.label[t.language]), .int(f.passed), .int(f.applicable), .number(f.percent), .int(f.unknown),
             .int(f.notApplicable), .text(t.trendWord(f.trend)),
             f.trend.map { .int($0.previousPassed) } ?? .text(""), f.trend.map { .int($0.previousApplicable) } ?? .text("")]
        })
    }

    func systems(_ m: ReportModel) -> String {
        let t = text
        return table([t.t("Mã hệ thống", "System"), t.t("Tên", "Name"), t.t("Cơ quan", "Agency"), t.t("Cấp độ", "Level"),
                      t.t("Hồ sơ", "Dossier")] + m.figures.map { $0.label[t.language] }
                     + [t.t("Phát hiện mở", "Open findings"), t.t("Miễn trừ", "Waived")],
                     m.systems.map { s in
            [.text(s.id), .text(s.name), .text(s.agencyName), .int(s.level), .text(s.dossier)]
                + s.statuses.map { .text(t.status($0.status)) } + [.int(s.openFindings), .int(s.waivedFindings)]
        })
    }

    func findings(_ m: ReportModel) -> String {
        let t = text
        return table([t.t("Mã hệ thống", "System"), t.t("Điểm cuối", "Endpoint"), t.t("Quy tắc", "Rule"), t.t("Lĩnh vực", "Area"),
                      t.t("Mức độ", "Severity"), t.t("Trạng thái", "Status"), t.t("Nội dung", "Title"),
                      t.t("Bằng chứng", "Evidence"), t.t("Khắc phục", "Remedy"), t.t("Căn cứ", "Legal basis"),
                      t.t("Miễn trừ đến", "Waived until"), t.t("Đánh giá", "Triage"), t.t("Lý do đánh giá", "Triage reason"),
                      t.t("Khóa", "Key")],
                     m.systems.flatMap(\.findings).map { f in
            [.text(f.system), .text(f.endpoint ?? ""), .text(f.rule), .text(f.area.rawValue), .text(t.severity(f.severity)),
             .text(t.findingStatus(f.status)), .text(f.title[t.language]),
             .text(f.evidence.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")), .text(f.remedy[t.language]),
             .text(f.legalBasis.citation), .text(f.waiver.map { t.date($0.expires) } ?? ""),
             .text(f.triage.map(t.triage) ?? ""), .text(f.triage?.reason ?? ""), .text(f.key)]
        })
    }

    func ipv6(_ m: ReportModel) -> String {
        let t = text
        return table([t.t("Mã hệ thống", "System"), t.t("Tên", "Name"), t.t("Điểm cuối", "Endpoint"), "A", "AAAA",
                      t.t("Có bản ghi AAAA", "AAAA record"), t.t("Truy cập qua IPv6", "Reachable over IPv6"),
                      t.t("Ghi chú", "Note"), "DNSSEC", t.t("Kết quả", "Status")],
                     m.ipv6.map { r in
            [.text(r.system), .text(r.systemName), .text(r.endpoint), .text(r.ipv4Addresses.joined(separator: " ")),
             .text(r.ipv6Addresses.joined(separator: " ")), .text(t.observed(r.aaaa)), .text(t.observed(r.reachable)),
             .text(r.detail), .text(r.dnssec), .text(t.status(r.status))]
        })
    }
}
