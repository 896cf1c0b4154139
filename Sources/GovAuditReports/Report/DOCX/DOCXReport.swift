import Foundation
import GovAuditCore
import GovAuditPolicy

/// What an official report carries beside the model: who issues and signs it (the inventory's
/// `report:` section), its number ("12/BC-SKHCN", given per report) and its date.
public struct OfficialLetter: Sendable {
    public var issuer: ReportIssuer
    public var number: String
    public var date: CalendarDate

    public init(issuer: ReportIssuer, number: String, date: CalendarDate) {
        self.issuer = issuer
        self.number = number
        self.date = date
    }
}

/// The official report as a Word document in the administrative form of NĐ 30/2020/NĐ-CP:
/// the issuer and the Quốc hiệu side by side, number and place–date line, title, the figures
/// in the body, "Nơi nhận" beside the signer, then the attached IPv6 list.
///
/// Written as WordprocessingML directly rather than through pandoc: the form needs borderless
/// tables for the side-by-side blocks and a bordered one for the attached list, and pandoc gives
/// every table the reference document's one table style, so those blocks would have been raw
/// OpenXML inside pandoc's input anyway — with pandoc and a template to install and keep.
public struct DOCXReport: Sendable {
    public var text: ReportText

    public init(language: Language) {
        text = ReportText(language)
    }

    typealias W = WordML
    static let body = 28, small = 24
    /// The issuer's column of the heading (names in 12 pt, as NĐ 30/2020 allows 12–13); the
    /// Quốc hiệu (12 pt bold, about 9 cm) takes the rest.
    static let issuerWidth = 4100

    public func render(_ m: ReportModel, letter: OfficialLetter) -> Data {
        let t = text
        let subject = t.t("Kết quả đánh giá tuân thủ an toàn thông tin các hệ thống thông tin",
                          "Results of the information-security compliance assessment of the information systems")
        var out = heading(letter)
        out += W.line(t.t("BÁO CÁO", "REPORT"), .init(size: Self.body, bold: true), .init(align: .center, before: 360))
        out += W.line(subject, .init(size: Self.body, bold: true), .init(align: .center))
        out += W.rule(length: 2400, within: DOCXPackage.textWidth, after: 240)
        out += figures(m)
        out += findings(m)
        out += prose(t.t("Trên đây là báo cáo kết quả đánh giá tuân thủ an toàn thông tin các hệ thống thông tin./.",
                         "This concludes the report on the information-security compliance assessment./."))
        out += signature(letter)
        out += attachedList(m, letter: letter)
        return DOCXPackage.package(body: out, title: t.t("Báo cáo", "Report") + " " + letter.number + " — " + subject)
    }

    /// "An Giang, ngày 01 tháng 12 năm 2026": days below 10 and months 1–2 with a leading zero.
    func placeAndDate(_ letter: OfficialLetter) -> String {
        let d = letter.date
        guard text.language == .vi else {
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                          "October", "November", "December"]
            return "\(letter.issuer.place), \(d.day) \(months[d.month - 1]) \(d.year)"
        }
        let day = String(format: "%02d", d.day)
        let month = d.month <= 2 ? String(format: "%02d", d.month) : String(d.month)
        return "\(letter.issuer.place), ngày \(day) tháng \(month) năm \(d.year)"
    }

    /// The issuer (left) and the Quốc hiệu and Tiêu ngữ (right), then the number and the place–date
    /// line under each: a borderless table, as the form sets them side by side.
    func heading(_ letter: OfficialLetter) -> String {
        let centre = W.Paragraph(align: .center)
        var left = letter.issuer.parentBody.map { W.line($0.uppercased(), .init(size: 24), centre) } ?? ""
        left += W.line(letter.issuer.body.uppercased(), .init(size: 24, bold: true), centre)
        left += W.rule(length: 1400, within: Self.issuerWidth)
        let right = W.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", .init(size: 24, bold: true), centre)
            + W.line("Độc lập - Tự do - Hạnh phúc", .init(size: 26, bold: true, underline: true), centre)
        let number = W.line(text.t("Số: ", "No.: ") + letter.number, .init(size: 26), .init(align: .center, before: 120))
        let date = W.line(placeAndDate(letter), .init(size: 26, italic: true), .init(align: .center, before: 120))
        return W.table(widths: [Self.issuerWidth, DOCXPackage.textWidth - Self.issuerWidth], rows: [[left, right], [number, date]], bordered: false)
    }

    /// A body paragraph: justified, first line indented 1.27 cm, 6 pt after, 1.15 lines.
    func prose(_ s: String, bold: Bool = false, indent: Bool = true) -> String {
        W.line(s, .init(size: Self.body, bold: bold), .init(align: .both, firstLine: indent ? 720 : 0, after: 120, line: 276))
    }

    func figures(_ m: ReportModel) -> String {
        let t = text
        var out = prose(t.t("Căn cứ kết quả kiểm tra tự động bằng GovAudit (lần quét ", "On the automated checks made with GovAudit (scan ")
                        + m.scan.id + t.t(", ngày đánh giá ", ", as of ") + t.date(m.scan.asOf) + t.t(", chính sách ", ", policy ")
                        + m.scan.policyName + " " + m.scan.policyVersion + t.t("), báo cáo kết quả đánh giá tuân thủ an toàn thông tin các hệ thống thông tin của ",
                                                                              "), this reports the information-security compliance of the information systems of ")
                        + m.scan.inventory + t.t(" như sau:", " as follows:"))
        if m.scan.status != "complete" {
            out += prose(t.t("Lần quét chưa hoàn tất: đã đánh giá ", "The scan is not complete: ")
                         + "\(m.scan.systemsReported)/\(m.scan.systemsPlanned)" + t.t(" hệ thống.", " systems assessed."))
        }
        if m.scan.illustrative { out += prose(t.t("Dữ liệu hệ thống là dữ liệu minh họa.", "The system records are illustrative.")) }
        out += prose(t.t("I. KẾT QUẢ TỔNG HỢP", "I. SUMMARY"), bold: true)
        for f in m.figures {
            var line = "- " + f.label[t.language] + ": "
            line += f.applicable == 0 ? t.t("không áp dụng", "not applicable")
                : t.ratio(f.passed, f.applicable) + t.t(", đạt ", ", ") + t.percent(f.percent)
            var notes: [String] = []
            if let trend = f.trend {
                notes.append(t.trendWord(trend) + t.t(" so với lần trước (", " on the previous scan (")
                             + t.ratio(trend.previousPassed, trend.previousApplicable) + ")")
            }
            if f.unknown > 0 { notes.append("\(f.unknown)" + t.t(" hệ thống chưa xác định", " unknown")) }
            if f.notApplicable > 0 { notes.append("\(f.notApplicable)" + t.t(" hệ thống không áp dụng", " not applicable")) }
            out += prose(line + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")") + ";")
        }
        out += prose(t.t("Tình trạng IPv6 của từng hệ thống: theo danh sách kèm theo.",
                         "IPv6 per system: see the attached list."))
        return out
    }

    func findings(_ m: ReportModel) -> String {
        let t = text
        let all = m.systems.flatMap(\.findings)
        let open = all.filter { $0.status == .open }
        var out = prose(t.t("II. CÁC TỒN TẠI CẦN KHẮC PHỤC", "II. FINDINGS TO REMEDY"), bold: true)
        let bySeverity = Severity.allCases.reversed().compactMap { s -> String? in
            let n = open.filter { $0.severity == s }.count
            return n == 0 ? nil : t.severity(s) + ": \(n)"
        }
        out += prose(t.t("Số phát hiện chưa khắc phục: ", "Open findings: ") + "\(open.count)"
                     + (bySeverity.isEmpty ? "" : " (" + bySeverity.joined(separator: ", ") + ")")
                     + t.t("; được miễn trừ: ", "; waived: ") + "\(all.count - open.count)"
                     + t.t(", trên ", ", in ") + "\(m.systems.filter { $0.openFindings > 0 }.count)/\(m.systems.count)"
                     + t.t(" hệ thống.", " systems."))
        out += prose(t.t("Bằng chứng, biện pháp khắc phục và căn cứ pháp lý của từng phát hiện được nêu tại báo cáo chi tiết kèm theo.",
                         "The evidence, remedy and legal basis of every finding are in the attached detailed report."))
        out += prose(t.t("III. KIẾN NGHỊ", "III. RECOMMENDATIONS"), bold: true)
        out += prose(t.t("Đề nghị các cơ quan, đơn vị chủ quản hệ thống thông tin khắc phục các tồn tại nêu trên và báo cáo kết quả.",
                         "The owners of the systems are asked to remedy the findings above and report back."))
        return out
    }

    /// "Nơi nhận" (left) beside the signer (right), borderless, as the form places them.
    func signature(_ letter: OfficialLetter) -> String {
        let i = letter.issuer
        var left = W.line(text.t("Nơi nhận:", "Recipients:"), .init(size: 24, bold: true, italic: true), .init(before: 240))
        for r in i.recipients { left += W.line("- " + r + ";", .init(size: 22)) }
        left += W.line("- " + (i.archive ?? "Lưu: VT."), .init(size: 22))
        let centre = W.Paragraph(align: .center)
        var right = i.signer.onBehalf.map { W.line($0.uppercased(), .init(size: Self.body, bold: true), .init(align: .center, before: 240)) } ?? ""
        right += W.line(i.signer.title.uppercased(), .init(size: Self.body, bold: true),
                        i.signer.onBehalf == nil ? .init(align: .center, before: 240) : centre)
        right += String(repeating: W.line("", .init(), centre), count: 4)
        right += W.line(i.signer.name, .init(size: Self.body, bold: true), centre)
        let half = DOCXPackage.textWidth / 2
        return W.table(widths: [half, DOCXPackage.textWidth - half], rows: [[left, right]], bordered: false)
    }

    /// The attached list ("danh sách kèm theo"), on a page of its own: IPv6 per web endpoint.
    func attachedList(_ m: ReportModel, letter: OfficialLetter) -> String {
        let t = text
        var out = W.line(t.t("DANH SÁCH KÈM THEO", "ATTACHED LIST"), .init(size: Self.body, bold: true),
                         .init(align: .center, pageBreakBefore: true))
        out += W.line(t.t("Tình trạng IPv6 của các hệ thống thông tin", "IPv6 status of the information systems"),
                      .init(size: Self.body, bold: true), .init(align: .center))
        out += W.line(t.t("(Kèm theo Báo cáo số ", "(Attached to report no. ") + letter.number + t.t(" ngày ", " of ")
                      + t.date(letter.date) + t.t(" của ", " by ") + letter.issuer.body + ")",
                      .init(size: 26, italic: true), .init(align: .center, after: 240))
        let cell = { (s: String, bold: Bool) in W.line(s, .init(size: Self.small, bold: bold), .init(align: bold ? .center : .left)) }
        let header = [t.t("STT", "No."), t.t("Hệ thống", "System"), t.t("Điểm cuối", "Endpoint"), t.t("Bản ghi AAAA", "AAAA record"),
                      t.t("Truy cập qua IPv6", "Reachable over IPv6"), t.t("Kết quả", "Status")].map { cell($0, true) }
        let rows = m.ipv6.enumerated().map { n, r in
            [cell("\(n + 1)", false), cell(r.systemName, false), cell(r.endpoint, false), cell(t.observed(r.aaaa), false),
             cell(t.observed(r.reachable) + (r.detail.isEmpty ? "" : " (" + r.detail + ")"), false), cell(t.status(r.status), false)]
        }
        let width = DOCXPackage.textWidth
        return out + W.table(widths: [600, 2900, 2454, 1000, 1300, width - 8254], rows: [header] + rows, bordered: true, header: true)
    }
}
