import GovAuditCore
import GovAuditPolicy

/// The report as Markdown for pasting into documents: the figures, the agency table, the
/// attached IPv6 list, TLS grades, the link-hygiene list and the findings per system. Names are
/// backslash-escaped; URLs and evidence are code spans, so nothing pasted becomes a link or markup.
public struct MarkdownReport: Sendable {
    public var text: ReportText

    public init(language: Language) {
        text = ReportText(language)
    }

    private typealias E = ReportEscape

    private func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + header.map { _ in " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }

    public func render(_ m: ReportModel) -> String {
        let t = text
        var out = "# " + E.markdown(t.title(m)) + "\n\n"
        out += "- " + t.t("Lần quét", "Scan") + ": " + E.markdownCode(m.scan.id) + " (" + t.time(m.scan.startedAt) + ")\n"
        out += "- " + t.t("Ngày đánh giá", "As of") + ": " + t.date(m.scan.asOf) + "\n"
        out += "- " + t.t("Chính sách", "Policy") + ": " + E.markdown("\(m.scan.policyName) (\(m.scan.policyVersion))") + "\n"
        if let p = m.previous {
            out += "- " + t.t("So với lần quét", "Compared with scan") + ": " + E.markdownCode(p.id) + " (" + t.time(p.startedAt) + ")"
            out += p.samePolicy ? "\n" : " — " + t.t("chính sách khác", "different policy") + "\n"
        }
        if m.scan.status != "complete" {
            out += "- **" + t.t("Lần quét chưa hoàn tất", "Scan not complete") + "**: \(m.scan.systemsReported)/\(m.scan.systemsPlanned)\n"
        }
        if m.scan.illustrative { out += "- " + t.t("Dữ liệu minh họa", "Illustrative records") + "\n" }

        out += "\n## " + t.t("Tổng hợp", "Summary") + "\n\n"
        out += table([t.t("Chỉ tiêu", "Figure"), t.t("Kết quả", "Result"), t.t("Tỷ lệ", "Share"), t.t("Xu hướng", "Trend"),
                      t.t("Chưa xác định", "Unknown"), t.t("Không áp dụng", "N/A")],
                     m.figures.map { f in
            [E.markdown(f.label[t.language]), t.ratio(f.passed, f.applicable), t.percent(f.percent), t.trendText(f.trend),
             String(f.unknown), String(f.notApplicable)]
        })

        if !m.agencies.isEmpty {
            out += "## " + t.t("Theo cơ quan", "By agency") + "\n\n"
            out += table([t.t("Cơ quan", "Agency"), t.t("Số hệ thống", "Systems")] + m.figures.map { E.markdown($0.id) },
                         m.agencies.map { a in [E.markdown(a.name), String(a.systems)] + a.figures.map { t.ratio($0.passed, $0.applicable) } })
        }

        out += "## " + t.t("Danh sách kèm theo: IPv6 theo hệ thống", "Attached list: IPv6 per system") + "\n\n"
        out += table([t.t("Hệ thống", "System"), t.t("Điểm cuối", "Endpoint"), "AAAA", t.t("Truy cập qua IPv6", "Reachable over IPv6"),
                      t.t("Ghi chú", "Note"), t.t("Kết quả", "Status")],
                     m.ipv6.map { r in
            [E.markdown(r.systemName), E.markdownCode(r.endpoint), t.observed(r.aaaa), t.observed(r.reachable),
             E.markdownCode(r.detail), t.status(r.status)]
        })

        if !m.tls.isEmpty {
            out += "## " + t.t("Điểm TLS", "TLS grades") + "\n\n"
            out += table([t.t("Hệ thống", "System"), t.t("Điểm cuối", "Endpoint"), t.t("Điểm", "Grade"), t.t("Giao thức", "Protocols"),
                          t.t("Giới hạn bởi", "Capped by")],
                         m.tls.map { r in
                [E.markdown(r.system), E.markdownCode(r.endpoint), r.grade.map(E.markdown) ?? "–",
                 E.markdown(r.protocols.joined(separator: " ")), E.markdownCode(r.cappedBy)]
            })
        }

        out += "## " + t.t("Liên kết trên trang", "Link hygiene") + "\n\n"
        if m.links.isEmpty {
            out += t.t("Không có phát hiện.", "No findings.") + "\n\n"
        } else {
            out += table([t.t("Hệ thống", "System"), t.t("Quy tắc", "Rule"), t.t("Mức độ", "Severity"), t.t("Trạng thái", "Status"),
                          t.t("Bằng chứng", "Evidence")],
                         m.links.map { l in
                [E.markdown(l.system), E.markdown(l.rule), t.severity(l.severity), t.findingStatus(l.status),
                 l.evidence.map { E.markdown($0.name) + ": " + E.markdownCode($0.value) }.joined(separator: "<br>")]
            })
        }

        out += "## " + t.t("Phát hiện theo hệ thống", "Findings per system") + "\n\n"
        for s in m.systems {
            out += "### " + E.markdown("\(s.name) (\(s.id))") + "\n\n"
            out += E.markdown(s.agencyName) + " — " + t.t("cấp độ", "level") + " \(s.level), " + t.t("hồ sơ", "dossier") + ": "
                + E.markdown(s.dossier) + "\n\n"
            guard !s.findings.isEmpty else { out += t.t("Không có phát hiện.", "No findings.") + "\n\n"; continue }
            out += table([t.t("Mức độ", "Severity"), t.t("Phát hiện", "Finding"), t.t("Bằng chứng", "Evidence"),
                          t.t("Khắc phục", "Remedy"), t.t("Căn cứ", "Legal basis")],
                         s.findings.map { f in
                var title = E.markdown(f.title[t.language]) + " (" + E.markdown(f.rule) + ")"
                if let w = f.waiver {
                    title += " — **" + t.t("miễn trừ đến", "waived until") + " " + t.date(w.expires) + "**: " + E.markdown(w.reason)
                }
                if let e = f.triage { title += " — *" + E.markdown(t.triage(e)) + "*: " + E.markdown(e.reason) }
                return [t.severity(f.severity), title,
                        ([f.endpoint].compactMap { $0 }.map(E.markdownCode)
                         + f.evidence.map { E.markdown($0.name) + ": " + E.markdownCode($0.value) }).joined(separator: "<br>"),
                        E.markdown(f.remedy[t.language]), E.markdown(f.legalBasis.citation) + (f.legalBasis.isFlagged ? " ⚑" : "")]
            })
        }
        return out.precomposedStringWithCanonicalMapping
    }
}
