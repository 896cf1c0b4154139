import Foundation
import GovAuditCore
import GovAuditPolicy

/// Words, numbers and dates of the report files in the reader's language: Vietnamese dates
/// dd/mm/yyyy and the decimal comma ("94,2%"); English ISO dates and the decimal point.
public struct ReportText: Sendable {
    public var language: Language

    public init(_ language: Language) {
        self.language = language
    }

    public func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// One decimal, dropped when whole: "94,2%", "100%"; "–" when nothing applies.
    public func percent(_ p: Double?) -> String {
        guard let p else { return "–" }
        let rounded = (p * 10).rounded() / 10
        var text = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        if language == .vi { text = text.replacingOccurrences(of: ".", with: ",") }
        return text + "%"
    }

    /// "N/M"; "–" when the figure applies to no system.
    public func ratio(_ passed: Int, _ applicable: Int) -> String {
        applicable == 0 ? "–" : "\(passed)/\(applicable)"
    }

    public func date(_ d: CalendarDate) -> String {
        language == .vi ? String(format: "%02d/%02d/%04d", d.day, d.month, d.year) : d.description
    }

    /// An instant in Asia/Ho_Chi_Minh, to the minute.
    public func time(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDate.vietnamTimeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let day = CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
        return date(day) + String(format: " %02d:%02d", c.hour!, c.minute!) + " (UTC+7)"
    }

    public func arrow(_ trend: ReportModel.Trend?) -> String {
        switch trend?.direction {
        case .up: "▲"
        case .down: "▼"
        case .same: "="
        case nil: ""
        }
    }

    /// The trend in words, for spreadsheets (where a leading "=" would be a formula).
    public func trendWord(_ trend: ReportModel.Trend?) -> String {
        switch trend?.direction {
        case .up: t("tăng", "up")
        case .down: t("giảm", "down")
        case .same: t("không đổi", "same")
        case nil: ""
        }
    }

    /// "▲ (trước: 60/64)", or "" when there is no previous scan.
    public func trendText(_ trend: ReportModel.Trend?) -> String {
        guard let trend else { return "" }
        return arrow(trend) + " (" + t("trước", "before") + ": " + ratio(trend.previousPassed, trend.previousApplicable) + ")"
    }

    public func status(_ s: ComplianceStatus) -> String {
        switch s {
        case .pass: t("đạt", "pass")
        case .fail: t("không đạt", "fail")
        case .unknown: t("chưa xác định", "unknown")
        case .notApplicable: t("không áp dụng", "n/a")
        }
    }

    public func observed(_ o: ReportModel.Observed) -> String {
        switch o {
        case .yes: t("có", "yes")
        case .no: t("không", "no")
        case .unknown: t("chưa xác định", "unknown")
        case .notApplicable: t("không áp dụng", "n/a")
        }
    }

    public func severity(_ s: Severity) -> String {
        switch (language, s) {
        case (.en, _): s.rawValue
        case (.vi, .critical): "nghiêm trọng"
        case (.vi, .high): "cao"
        case (.vi, .medium): "trung bình"
        case (.vi, .low): "thấp"
        case (.vi, .info): "thông tin"
        }
    }

    public func findingStatus(_ s: FindingStatus) -> String {
        s == .open ? t("mở", "open") : t("miễn trừ", "waived")
    }

    /// "Đánh giá: dương tính giả — Nguyễn Văn A, 01/12/2026 08:00" (the reason is shown apart).
    public func triage(_ e: ReportModel.TriageEntry) -> String {
        let verdict = e.verdict == "false-positive" ? t("dương tính giả", "false positive") : t("xác nhận", "confirmed")
        return t("Đánh giá", "Triage") + ": " + verdict + " — " + e.by + ", " + time(e.at)
    }

    public func title(_ m: ReportModel) -> String {
        t("Báo cáo tuân thủ an toàn thông tin", "Information-security compliance report") + " — " + m.scan.inventory
    }
}

/// Making untrusted text inert, per format. Text from the inventory or a scanned site may hold
/// markup, formulas, control characters (ANSI escapes) and bidi overrides.
public enum ReportEscape {
    /// Control and bidi/invisible formatting characters shown as visible `\u{…}` (as on the
    /// terminal), so an override cannot reorder what an official reads; the text is NFC.
    public static func inert(_ text: String) -> String {
        TerminalText.sanitize(text.precomposedStringWithCanonicalMapping)
    }

    /// `inert`, and the two noncharacters XML 1.0 forbids (U+FFFE, U+FFFF) shown as `\u{…}`
    /// too: the text of an XML part (XLSX cells, DOCX runs) that a reader would otherwise refuse.
    public static func xmlInert(_ text: String) -> String {
        let value = inert(text)
        guard value.unicodeScalars.contains(where: { $0 == "\u{FFFE}" || $0 == "\u{FFFF}" }) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar == "\u{FFFE}" || scalar == "\u{FFFF}" {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// For HTML text and double-quoted attribute values alike.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in inert(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// One CSV field, always quoted. A value starting with `=`, `+`, `-`, `@`, tab or CR gets a
    /// leading `'`, so a spreadsheet never reads it as a formula.
    public static func csv(_ text: String) -> String {
        var value = text.precomposedStringWithCanonicalMapping
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        value = TerminalText.sanitize(value)
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text in a Markdown table cell: markup characters backslash-escaped (CommonMark lets any
    /// ASCII punctuation be), so no link, emphasis, HTML tag or column break comes from it.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for c in inert(text) {
            if "\\`*_[]<>#!|~&".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// A URL or evidence value in Markdown: a code span (never autolinked, never markup), with
    /// pipes escaped for tables and a fence longer than any backtick run inside.
    public static func markdownCode(_ text: String) -> String {
        let value = inert(text).replacingOccurrences(of: "|", with: "\\|")
        guard !value.isEmpty else { return "" }
        var longest = 0, run = 0
        for c in value { run = c == "`" ? run + 1 : 0; longest = max(longest, run) }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + " " + value + " " + fence
    }
}
