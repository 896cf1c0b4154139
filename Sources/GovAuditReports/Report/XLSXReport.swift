import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditXLSX

/// The report as an Excel workbook: sheets Tổng hợp (summary), Hệ thống (systems), Phát hiện
/// (findings) and IPv6, each under a frozen, filtered header row. Counts are numbers, shares
/// numbers with a % format, dates real dates; every text is a string cell (never a formula),
/// made inert as on the terminal and cut visibly at Excel's 32,767 characters.
public struct XLSXReport: Sendable {
    public var text: ReportText

    public init(language: Language) {
        text = ReportText(language)
    }

    public func workbook(_ m: ReportModel) -> XLSXWorkbook {
        let t = text
        return XLSXWorkbook(sheets: [summary(m), systems(m), findings(m), ipv6(m)],
                            dateFormat: t.t("dd/mm/yyyy", "yyyy-mm-dd"), dateTimeFormat: t.t("dd/mm/yyyy hh:mm", "yyyy-mm-dd hh:mm"))
    }

    /// A text cell: NFC, controls and bidi overrides shown as `\u{…}`, at most Excel's length.
    func cell(_ s: String) -> XLSXCell {
        let value = ReportEscape.xmlInert(s)
        let limit = XLSXCell.maxTextLength
        guard value.utf16.count > limit else { return .text(value) }
        // Cut on a character boundary, leaving room for the note that says how much is missing.
        let total = value.count
        var kept = ""
        var units = 0
        let room = limit - 64
        for c in value {
            let n = String(c).utf16.count
            if units + n > room { break }
            kept.append(c)
            units += n
        }
        let dropped = total - kept.count
        return .text(kept + text.t(" … [cắt bớt \(dropped) ký tự]", " … [cut: \(dropped) more characters]"))
    }

    private func count(_ n: Int) -> XLSXCell { .number(Double(n)) }

    private func share(_ p: Double?) -> XLSXCell { p.map { .percent($0 / 100) } ?? .blank }

    private func date(_ d: CalendarDate) -> XLSXCell { .date(year: d.year, month: d.month, day: d.day) }

    func summary(_ m: ReportModel) -> XLSXSheet {
        let t = text
        return XLSXSheet(name: t.t("Tổng hợp", "Summary"), columns: [
            XLSXColumn(t.t("Mã", "Id"), width: 16), XLSXColumn(t.t("Chỉ tiêu", "Figure"), width: 48),
            XLSXColumn(t.t("Đạt", "Passed"), width: 8), XLSXColumn(t.t("Áp dụng", "Applicable"), width: 10),
            XLSXColumn(t.t("Tỷ lệ", "Share"), width: 9), XLSXColumn(t.t("Chưa xác định", "Unknown"), width: 12),
            XLSXColumn(t.t("Không áp dụng", "Not applicable"), width: 12), XLSXColumn(t.t("Xu hướng", "Trend"), width: 11),
            XLSXColumn(t.t("Đạt (lần trước)", "Passed before"), width: 12),
            XLSXColumn(t.t("Áp dụng (lần trước)", "Applicable before"), width: 12),
            XLSXColumn(t.t("Tỷ lệ (lần trước)", "Share before"), width: 12),
            XLSXColumn(t.t("Ngày đánh giá", "As of"), width: 13),
        ], rows: m.figures.map { f in
            [cell(f.id), cell(f.label[t.language]), count(f.passed), count(f.applicable), share(f.percent), count(f.unknown),
             count(f.notApplicable), cell(t.trendWord(f.trend)), f.trend.map { count($0.previousPassed) } ?? .blank,
             f.trend.map { count($0.previousApplicable) } ?? .blank, share(f.trend?.previousPercent), date(m.scan.asOf)]
        })
    }

    func systems(_ m: ReportModel) -> XLSXSheet {
        let t = text
        return XLSXSheet(name: t.t("Hệ thống", "Systems"), columns: [
            XLSXColumn(t.t("Mã hệ thống", "System"), width: 18), XLSXColumn(t.t("Tên", "Name"), width: 40),
            XLSXColumn(t.t("Cơ quan", "Agency"), width: 30), XLSXColumn(t.t("Cấp độ", "Level"), width: 8),
            XLSXColumn(t.t("Hồ sơ", "Dossier"), width: 11),
        ] + m.figures.map { XLSXColumn($0.label[t.language], width: 16) } + [
            XLSXColumn(t.t("Phát hiện mở", "Open findings"), width: 11), XLSXColumn(t.t("Miễn trừ", "Waived"), width: 10),
        ], rows: m.systems.map { s in
            [cell(s.id), cell(s.name), cell(s.agencyName), count(s.level), cell(s.dossier)]
                + s.statuses.map { cell(t.status($0.status)) } + [count(s.openFindings), count(s.waivedFindings)]
        })
    }

    func findings(_ m: ReportModel) -> XLSXSheet {
        let t = text
        return XLSXSheet(name: t.t("Phát hiện", "Findings"), columns: [
            XLSXColumn(t.t("Mã hệ thống", "System"), width: 18), XLSXColumn(t.t("Điểm cuối", "Endpoint"), width: 30),
            XLSXColumn(t.t("Quy tắc", "Rule"), width: 22), XLSXColumn(t.t("Lĩnh vực", "Area"), width: 10),
            XLSXColumn(t.t("Mức độ", "Severity"), width: 12), XLSXColumn(t.t("Trạng thái", "Status"), width: 10),
            XLSXColumn(t.t("Nội dung", "Title"), width: 44), XLSXColumn(t.t("Bằng chứng", "Evidence"), width: 50),
            XLSXColumn(t.t("Khắc phục", "Remedy"), width: 44), XLSXColumn(t.t("Căn cứ", "Legal basis"), width: 30),
            XLSXColumn(t.t("Miễn trừ đến", "Waived until"), width: 13), XLSXColumn(t.t("Đánh giá", "Triage"), width: 30),
            XLSXColumn(t.t("Lý do đánh giá", "Triage reason"), width: 30), XLSXColumn(t.t("Khóa", "Key"), width: 20),
        ], rows: m.systems.flatMap(\.findings).map { f in
            [cell(f.system), cell(f.endpoint ?? ""), cell(f.rule), cell(f.area.rawValue), cell(t.severity(f.severity)),
             cell(t.findingStatus(f.status)), cell(f.title[t.language]),
             cell(f.evidence.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")), cell(f.remedy[t.language]),
             cell(f.legalBasis.citation), f.waiver.map { date($0.expires) } ?? .blank,
             f.triage.map { cell(t.triage($0)) } ?? .blank, f.triage.map { cell($0.reason) } ?? .blank, cell(f.key)]
        })
    }

    func ipv6(_ m: ReportModel) -> XLSXSheet {
        let t = text
        return XLSXSheet(name: "IPv6", columns: [
            XLSXColumn(t.t("Mã hệ thống", "System"), width: 18), XLSXColumn(t.t("Tên", "Name"), width: 40),
            XLSXColumn(t.t("Điểm cuối", "Endpoint"), width: 30), XLSXColumn("A", width: 16), XLSXColumn("AAAA", width: 24),
            XLSXColumn(t.t("Có bản ghi AAAA", "AAAA record"), width: 12),
            XLSXColumn(t.t("Truy cập qua IPv6", "Reachable over IPv6"), width: 14),
            XLSXColumn(t.t("Ghi chú", "Note"), width: 24), XLSXColumn("DNSSEC", width: 12),
            XLSXColumn(t.t("Kết quả", "Status"), width: 14),
        ], rows: m.ipv6.map { r in
            [cell(r.system), cell(r.systemName), cell(r.endpoint), cell(r.ipv4Addresses.joined(separator: " ")),
             cell(r.ipv6Addresses.joined(separator: " ")), cell(t.observed(r.aaaa)), cell(t.observed(r.reachable)),
             cell(r.detail), cell(r.dnssec), cell(t.status(r.status))]
        })
    }
}
