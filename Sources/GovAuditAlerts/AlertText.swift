import Foundation
import GovAuditCore
import GovAuditReports

/// The alert in words, for people: a subject, a plain-text body and an HTML body, in the
/// message's language. Headline figures first ("TLS: 47/52 → 46/52"), then the changes per
/// system. Every text from the inventory or a scanned site is made inert (plain) or escaped (HTML).
public struct AlertText: Sendable {
    public var message: AlertMessage
    let text: ReportText

    /// Evidence facts shown per change, and the length of each value: a hostile page cannot
    /// make the e-mail huge.
    static let maxFacts = 4
    static let maxValue = 200

    public init(_ message: AlertMessage) {
        self.message = message
        text = ReportText(message.language)
    }

    public var subject: String {
        let where_ = message.agency.map { "\($0.name) — " } ?? ""
        switch message.kind {
        case .scanFailed:
            return "[GovAudit] " + where_ + message.inventory + ": " + text.t("lần quét không hoàn thành", "the scan did not complete")
        case .changes:
            let n = message.changeCount, systems = message.systems.count
            return "[GovAudit] " + where_ + message.inventory + ": "
                + text.t("\(n) thay đổi xấu đi ở \(systems) hệ thống", "\(n) change\(n == 1 ? "" : "s") for the worse in \(systems) system\(systems == 1 ? "" : "s")")
        case .digest:
            let n = message.changeCount, systems = message.systems.count
            return "[GovAudit] " + where_ + message.inventory + ": "
                + text.t("tổng hợp: \(n) vấn đề còn mở ở \(systems) hệ thống", "digest: \(n) still open in \(systems) system\(systems == 1 ? "" : "s")")
        }
    }

    /// "Label: 47/52 → 46/52" per figure that applies now or applied before.
    public var figureLines: [String] {
        message.figures.compactMap { f in
            guard f.applicable > 0 || (f.previousApplicable ?? 0) > 0 else { return nil }
            let before = f.previousPassed.map { text.ratio($0, f.previousApplicable ?? 0) } ?? "–"
            return "\(f.label[message.language]): \(before) → \(text.ratio(f.passed, f.applicable))"
        }
    }

    /// One change in one line, and its evidence: (line, facts), both untrusted text not yet escaped.
    func describe(_ c: AlertMessage.Change) -> (String, [String]) {
        let sev = text.severity(c.severity)
        let label: String
        switch c.change {
        case .new: label = text.t("mới", "new") + ", " + sev
        case .stillOpen: label = text.t("còn mở", "still open") + ", " + sev
        case .factsChanged: label = text.t("thay đổi", "changed") + ", " + sev
        case .reopened: label = text.t("hết miễn trừ", "waiver ended") + ", " + sev
        case .severityRose: label = text.t("mức độ tăng", "severity rose") + ": " + text.severity(c.previousSeverity ?? .info) + " → " + sev
        case .certificateExpiry:
            label = text.t("chứng thư số", "certificate") + ", " + sev
                + (c.thresholdDays.map { text.t(", ngưỡng \($0) ngày", ", \($0)-day threshold") } ?? "")
        }
        let line = "[\(label)] \(c.title[message.language]) (\(c.rule))" + (c.endpoint.map { " — \($0)" } ?? "")
        func cut(_ v: String) -> String { v.count > Self.maxValue ? String(v.prefix(Self.maxValue)) + "…" : v }
        let facts = (c.changedFacts ?? []).map { "\($0.field): \(cut($0.old)) → \(cut($0.new))" }
            + c.evidence.prefix(Self.maxFacts).map { "\($0.name) = " + cut($0.value) }
        return (line, facts)
    }

    private var header: [String] {
        var lines: [String] = []
        switch message.kind {
        case .scanFailed:
            lines.append(text.t("Lần quét \(message.inventory) không hoàn thành.", "The scan of \(message.inventory) did not complete."))
            if let scan = message.scan { lines.append(text.t("Lần quét: ", "Scan: ") + scan) }
            lines.append(text.t("Lý do: ", "Reason: ") + (message.failure ?? "?"))
        case .changes, .digest:
            if message.kind == .digest {
                lines.append(text.t("Tổng hợp định kỳ các vấn đề còn mở (đã cảnh báo trước đây).", "Periodic digest of what is still open (alerted before)."))
            }
            lines.append(text.t("Lần quét ", "Scan ") + (message.scan ?? "?")
                         + (message.scanStartedAt.map { " (\(text.time($0)))" } ?? ""))
            lines.append(text.t("So với lần quét trước ", "Compared with the previous scan ") + (message.previousScan ?? "–")
                         + (message.previousStartedAt.map { " (\(text.time($0)))" } ?? ""))
        }
        return lines
    }

    private var footer: [String] {
        (message.report.map { [text.t("Báo cáo: ", "Report: ") + $0] } ?? []) + [text.t("Mã cảnh báo: ", "Alert id: ") + message.id]
    }

    public var plain: String {
        let inert = ReportEscape.inert
        var out = header.map(inert)
        if !figureLines.isEmpty {
            out += ["", text.t("Chỉ số chính (trước → nay):", "Headline figures (before → now):")] + figureLines.map { "  " + inert($0) }
        }
        if !message.systems.isEmpty {
            out += ["", message.kind == .digest ? text.t("Còn mở theo hệ thống:", "Still open per system:") : text.t("Thay đổi theo hệ thống:", "Changes per system:")]
            for s in message.systems {
                out.append("• " + inert("\(s.name) (\(s.system))"))
                for c in s.changes {
                    let (line, facts) = describe(c)
                    out.append("  - " + inert(line))
                    out += facts.map { "      " + inert($0) }
                }
            }
        }
        return (out + [""] + footer.map(inert)).joined(separator: "\n") + "\n"
    }

    public var html: String {
        let e = ReportEscape.html
        var out = ["<!DOCTYPE html>", "<html lang=\"\(message.language.rawValue)\"><head><meta charset=\"utf-8\"><title>\(e(subject))</title></head><body>"]
        out += header.map { "<p>\(e($0))</p>" }
        if !figureLines.isEmpty {
            out.append("<h2>\(e(text.t("Chỉ số chính (trước → nay)", "Headline figures (before → now)")))</h2><ul>")
            out += figureLines.map { "<li>\(e($0))</li>" }
            out.append("</ul>")
        }
        if !message.systems.isEmpty {
            out.append("<h2>\(e(message.kind == .digest ? text.t("Còn mở theo hệ thống", "Still open per system") : text.t("Thay đổi theo hệ thống", "Changes per system")))</h2>")
            for s in message.systems {
                out.append("<h3>\(e(s.name)) <small>(\(e(s.system)))</small></h3><ul>")
                for c in s.changes {
                    let (line, facts) = describe(c)
                    out.append("<li>\(e(line))" + (facts.isEmpty ? "" : "<ul>" + facts.map { "<li><code>\(e($0))</code></li>" }.joined() + "</ul>") + "</li>")
                }
                out.append("</ul>")
            }
        }
        out += footer.map { "<p><small>\(e($0))</small></p>" }
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }
}
