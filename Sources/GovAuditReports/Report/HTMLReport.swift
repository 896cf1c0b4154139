import GovAuditCore
import GovAuditPolicy

/// The report as one self-contained HTML file: no external script, style, font or image; inline
/// SVG charts; an A4 print stylesheet; a Content-Security-Policy that forbids script. Every
/// string from the inventory or a scanned site goes through `ReportEscape.html`, and no URL from
/// a scanned site becomes a link or a source: URLs are shown as text.
public struct HTMLReport: Sendable {
    public var text: ReportText

    public init(language: Language) {
        text = ReportText(language)
    }

    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    private func h(_ s: String) -> String { ReportEscape.html(s) }

    private func table(_ header: [String], _ rows: [[String]], classes: String = "") -> String {
        "<table\(classes.isEmpty ? "" : " class=\"\(classes)\"")><thead><tr>" + header.map { "<th>\($0)</th>" }.joined()
            + "</tr></thead><tbody>\n" + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }.joined()
            + "</tbody></table>\n"
    }

    private func status(_ s: ComplianceStatus) -> String {
        "<span class=\"st-\(s.rawValue)\">" + h(text.status(s)) + "</span>"
    }

    public func render(_ m: ReportModel) -> String {
        let t = text
        var body = "<header><h1>" + h(t.title(m)) + "</h1>\n<p class=\"meta\">"
        body += h(t.t("Lần quét", "Scan")) + " <code>" + h(m.scan.id) + "</code> · " + h(t.time(m.scan.startedAt))
        body += " · " + h(t.t("ngày đánh giá", "as of")) + " " + h(t.date(m.scan.asOf))
        body += " · " + h(t.t("chính sách", "policy")) + " " + h("\(m.scan.policyName) (\(m.scan.policyVersion))") + "<br>"
        body += "GovAudit " + h(m.scan.govauditVersion) + ", libcurl " + h(m.scan.libcurlVersion) + ", OpenSSL " + h(m.scan.opensslVersion)
        if let r = m.scan.resolver { body += ", resolver " + h(r) }
        if let p = m.previous {
            body += "<br>" + h(t.t("So với lần quét", "Compared with scan")) + " <code>" + h(p.id) + "</code> (" + h(t.time(p.startedAt)) + ")"
            if !p.samePolicy { body += " — " + h(t.t("chính sách khác", "different policy")) }
        }
        body += "</p>\n"
        if m.scan.status != "complete" {
            body += "<p class=\"warn\">" + h(t.t("Lần quét chưa hoàn tất", "Scan not complete")) + ": \(m.scan.systemsReported)/\(m.scan.systemsPlanned)</p>\n"
        }
        if m.scan.illustrative { body += "<p class=\"warn\">" + h(t.t("Dữ liệu minh họa", "Illustrative records")) + "</p>\n" }
        body += "</header>\n"

        let charts = HTMLCharts(text: t)
        body += "<section><h2>" + h(t.t("Tổng hợp", "Summary")) + "</h2>\n"
        body += table([h(t.t("Chỉ tiêu", "Figure")), h(t.t("Kết quả", "Result")), h(t.t("Tỷ lệ", "Share")), h(t.t("Xu hướng", "Trend")),
                       h(t.t("Chưa xác định", "Unknown")), h(t.t("Không áp dụng", "N/A")), h(t.t("Các lần quét", "Over the scans"))],
                      m.figures.map { f in
            [h(f.label[t.language]), h(t.ratio(f.passed, f.applicable)), h(t.percent(f.percent)),
             "<span class=\"trend-\(f.trend?.direction.rawValue ?? "none")\">" + h(t.trendText(f.trend)) + "</span>",
             String(f.unknown), String(f.notApplicable), charts.line(m.history, figure: f.id) ?? ""]
        }, classes: "figures")
        body += charts.bars(m.figures) + "</section>\n"

        if !m.agencies.isEmpty {
            body += "<section><h2>" + h(t.t("Theo cơ quan", "By agency")) + "</h2>\n"
            body += table([h(t.t("Cơ quan", "Agency")), h(t.t("Số hệ thống", "Systems"))] + m.figures.map { h($0.label[t.language]) },
                          m.agencies.map { a in [h(a.name), String(a.systems)] + a.figures.map { h(t.ratio($0.passed, $0.applicable)) } },
                          classes: "agencies")
            body += "</section>\n"
        }

        body += "<section class=\"annex\"><h2>" + h(t.t("Danh sách kèm theo: IPv6 theo hệ thống", "Attached list: IPv6 per system")) + "</h2>\n"
        body += table(["#", h(t.t("Hệ thống", "System")), h(t.t("Điểm cuối", "Endpoint")), "AAAA", h(t.t("Truy cập qua IPv6", "Reachable over IPv6")),
                       h(t.t("Ghi chú", "Note")), "DNSSEC", h(t.t("Kết quả", "Status"))],
                      m.ipv6.enumerated().map { i, r in
            [String(i + 1), h(r.systemName), "<code>" + h(r.endpoint) + "</code>", h(t.observed(r.aaaa)), h(t.observed(r.reachable)),
             h(r.detail), h(r.dnssec), status(r.status)]
        })
        body += "</section>\n"

        if !m.tls.isEmpty {
            body += "<section><h2>" + h(t.t("Điểm TLS", "TLS grades")) + "</h2>\n"
            body += table([h(t.t("Hệ thống", "System")), h(t.t("Điểm cuối", "Endpoint")), h(t.t("Điểm", "Grade")),
                           h(t.t("Giao thức", "Protocols")), h(t.t("Giới hạn bởi", "Capped by")), h(t.t("Phát hiện mở", "Open findings"))],
                          m.tls.map { r in
                [h(r.system), "<code>" + h(r.endpoint) + "</code>", "<b>" + h(r.grade ?? "–") + "</b>",
                 h(r.protocols.joined(separator: " ")), h(r.cappedBy), String(r.openFindings)]
            })
            body += "</section>\n"
        }

        body += "<section><h2>" + h(t.t("Liên kết trên trang", "Link hygiene")) + "</h2>\n"
        body += m.links.isEmpty ? "<p>" + h(t.t("Không có phát hiện.", "No findings.")) + "</p>\n"
            : table([h(t.t("Hệ thống", "System")), h(t.t("Quy tắc", "Rule")), h(t.t("Mức độ", "Severity")),
                     h(t.t("Trạng thái", "Status")), h(t.t("Bằng chứng", "Evidence"))],
                    m.links.map { l in
                [h(l.system), h(l.rule), h(t.severity(l.severity)), h(t.findingStatus(l.status)), facts(l.evidence)]
            }, classes: "links")
        body += "</section>\n"

        body += "<section><h2>" + h(t.t("Phát hiện theo hệ thống", "Findings per system")) + "</h2>\n"
        for s in m.systems { body += system(s, figures: m.figures) }
        body += "</section>\n"

        let page = """
            <!DOCTYPE html>
            <html lang="\(t.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <meta name="referrer" content="no-referrer">
            <title>\(h(t.title(m)))</title>
            <style>\(HTMLStyle.css)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
        return page.precomposedStringWithCanonicalMapping
    }

    /// Evidence as a list of name: value, values as inert text (never a link).
    private func facts(_ facts: [Fact]) -> String {
        guard !facts.isEmpty else { return "" }
        return "<ul class=\"evidence\">" + facts.map { "<li><span class=\"k\">" + h($0.name) + "</span> <code>" + h($0.value) + "</code></li>" }
            .joined() + "</ul>"
    }

    private func system(_ s: ReportModel.SystemEntry, figures: [ReportModel.Figure]) -> String {
        let t = text
        var out = "<article class=\"system\"><h3>" + h(s.name) + " <small>(" + h(s.id) + ")</small></h3>\n<p>"
        out += h(s.agencyName) + " · " + h(t.t("cấp độ", "level")) + " \(s.level) · " + h(t.t("hồ sơ", "dossier")) + " " + h(s.dossier)
        out += "<br>" + s.endpoints.map { "<code>" + h($0) + "</code>" }.joined(separator: " ") + "</p>\n"
        let labels = Dictionary(figures.map { ($0.id, $0.label[t.language]) }, uniquingKeysWith: { a, _ in a })
        out += "<p class=\"statuses\">" + s.statuses.map { h(labels[$0.figure] ?? $0.figure) + ": " + status($0.status) }
            .joined(separator: " · ") + "</p>\n"
        guard !s.findings.isEmpty else { return out + "<p>" + h(t.t("Không có phát hiện.", "No findings.")) + "</p></article>\n" }
        out += table([h(t.t("Mức độ", "Severity")), h(t.t("Phát hiện", "Finding")), h(t.t("Bằng chứng", "Evidence")),
                      h(t.t("Khắc phục", "Remedy")), h(t.t("Căn cứ", "Legal basis"))],
                     s.findings.map { f in
            var title = h(f.title[t.language]) + "<br><small>" + h(f.rule) + "</small>"
            if let w = f.waiver {
                title += "<br><span class=\"waived\">" + h(t.t("Miễn trừ đến", "Waived until") + " " + t.date(w.expires)) + ": "
                    + h(w.reason) + (w.decision.map { " (" + h($0) + ")" } ?? "") + "</span>"
            }
            if let e = f.triage {
                title += "<br><span class=\"triage\">" + h(t.triage(e)) + ": " + h(e.reason) + "</span>"
            }
            let endpoint = f.endpoint.map { "<code>" + h($0) + "</code>" } ?? ""
            return ["<span class=\"sev-\(f.severity.rawValue)\">" + h(t.severity(f.severity)) + "</span>", title,
                    endpoint + facts(f.evidence), h(f.remedy[t.language]),
                    h(f.legalBasis.citation) + (f.legalBasis.isFlagged ? " <span class=\"flag\">⚑ " + h(t.t("chưa xác nhận", "unconfirmed")) + "</span>" : "")]
        }, classes: "findings")
        return out + "</article>\n"
    }
}

/// The report's one stylesheet: screen and A4 print (margins of NĐ 30/2020: left 30 mm).
enum HTMLStyle {
    static let css = """
        @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
        body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; color: #000; margin: 2em; }
        h1 { font-size: 16pt; text-align: center; } h2 { font-size: 14pt; border-bottom: 1px solid #000; }
        h3 { font-size: 13pt; margin-bottom: 0.2em; } .meta { font-size: 11pt; }
        table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 11pt; }
        th, td { border: 1px solid #444; padding: 2px 4px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
        th { background: #eee; } code { font-size: 10pt; overflow-wrap: anywhere; }
        ul.evidence { margin: 0; padding-left: 1em; } .k { color: #333; }
        .st-pass { color: #064; } .st-fail { color: #a00; font-weight: bold; } .st-unknown { color: #850; }
        .trend-up { color: #064; } .trend-down { color: #a00; } .waived { color: #850; font-style: italic; } .triage { color: #345; }
        .sev-critical, .sev-high { color: #a00; font-weight: bold; } .flag { color: #850; } .warn { color: #a00; font-weight: bold; }
        svg .label, svg .value { font: 11px "Liberation Serif", serif; } svg .track { fill: #eee; stroke: #999; }
        svg .pass { fill: #2a7; } svg .unknown { fill: #bbb; } svg .trendline { fill: none; stroke: #246; stroke-width: 2; }
        @media print { body { margin: 0; } article.system, tr { page-break-inside: avoid; } section.annex { page-break-before: always; } }
        """
}
