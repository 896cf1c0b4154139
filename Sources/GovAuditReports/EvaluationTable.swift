import GovAuditCore
import GovAuditPolicy

/// The terminal report of `govaudit evaluate`: systems with their layer statuses, findings
/// grouped by rule (each with its basis and remedy once), then the province and agency figures.
public struct EvaluationTable {
    public var policy: Policy
    public var language: Language
    public var style: Style

    public init(policy: Policy, language: Language, style: Style) {
        self.policy = policy
        self.language = language
        self.style = style
    }

    public func render(_ e: Evaluation) -> String {
        var content = Content(e.report, policy: policy, language: language)
        for s in e.systems { content.add(s) }
        return content.render(style)
    }

    /// Reads the report's systems once, keeping only the table's rows and lines (each system's
    /// evidence is dropped as soon as its rows are made); the result renders in any style.
    public static func gather(_ report: EvaluationReport, policy: Policy, language: Language) async throws -> Content {
        var content = Content(report, policy: policy, language: language)
        try await report.systems.forEach { content.add($0) }
        return content
    }

    /// What the table report prints, gathered system by system.
    public struct Content {
        var policy: Policy
        var language: Language
        var asOf: CalendarDate
        var inventory: (name: String, systems: Int, illustrative: Bool)
        var summary: Summary
        var probed: Bool
        var systems: TextTable
        var ipv6: IPv6Section
        var tls: TLSSection
        var links: LinksSection
        var findings: FindingsByRule

        init(_ report: EvaluationReport, policy: Policy, language: Language) {
            self.policy = policy
            self.language = language
            asOf = report.asOf
            inventory = (report.inventory.name, report.inventory.systems.count, report.inventory.illustrative)
            summary = report.summary
            probed = report.probed
            let vi = language == .vi
            systems = TextTable(headers: ["ID", vi ? "Cấp" : "Lvl", vi ? "Hồ sơ" : "Dossier", vi ? "Lớp 1" : "L1",
                                          vi ? "Lớp 2" : "L2", vi ? "Lớp 3" : "L3", vi ? "Lớp 4" : "L4",
                                          vi ? "Phát hiện" : "Findings", vi ? "Tên hệ thống" : "Name"],
                                maxWidths: [24, 4, 10, 6, 6, 6, 6, 10, 56])
            ipv6 = IPv6Section(language: language)
            tls = TLSSection(language: language, asOf: report.asOf)
            links = LinksSection(language: language)
            findings = FindingsByRule(policy: policy, language: language)
        }

        mutating func add(_ s: SystemEvaluation) {
            let open = s.findings.filter(\.isOpen).count, waived = s.findings.count - open
            systems.add([s.system.id, s.system.level.description, s.system.dossier.status.rawValue]
                        + s.layers.map { Self.statusCell($0.status) }
                        + [waived > 0 ? "\(open)+\(waived)w" : "\(open)", s.system.name])
            if probed {
                ipv6.add(s)
                tls.add(s)
                links.add(s)
            }
            findings.add(s)
        }

        private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

        public func render(_ style: Style) -> String {
            var out = style.bold(t("GovAudit — đánh giá tuân thủ", "GovAudit — compliance evaluation")) + "\n"
            out += t("Chính sách", "Policy") + ": \(policy.name) (\(policy.version)), "
            out += t("ngày đánh giá", "as of") + " \(language == .vi ? asOf.vietnamese : asOf.description)\n"
            out += t("Danh mục", "Inventory") + ": \(TerminalText.sanitize(inventory.name)), \(inventory.systems) "
            out += t("hệ thống", inventory.systems == 1 ? "system" : "systems")
            if inventory.illustrative { out += style.yellow(t(" (dữ liệu minh họa)", " (illustrative records)")) }
            out += "\n\n"
            out += systemsTable(style) + "\n"
            if probed {
                out += ipv6.render(style)
                out += tls.render(style)
                out += links.render(style)
            }
            out += findings.render(style)
            out += summaryText(style)
            return out
        }

        static func statusCell(_ s: ComplianceStatus) -> String {
            switch s {
            case .pass: "✓"
            case .fail: "✗"
            case .unknown: "?"
            case .notApplicable: "–"
            }
        }

        private func systemsTable(_ style: Style) -> String {
            let header = style.bold(t("HỆ THỐNG", "SYSTEMS")) + "  "
                + style.dim(t("(✓ đạt, ✗ không đạt, ? chưa xác định, – không áp dụng)",
                              "(✓ pass, ✗ fail, ? unknown, – not applicable)")) + "\n"
            return header + systems.render { i, raw, padded in
                guard (3...6).contains(i) else { return padded }
                switch raw {
                case "✓": return style.green(padded)
                case "✗": return style.red(padded)
                case "?": return style.yellow(padded)
                default: return padded
                }
            }
        }

        /// The agency table, then the province figures last, where the reader's eye lands.
        private func summaryText(_ style: Style) -> String {
            var out = ""
            if summary.agencies.count > 1 {
                out += style.bold(t("THEO CƠ QUAN", "BY AGENCY")) + "\n"
                var table = TextTable(headers: [t("Cơ quan", "Agency"), t("HT", "Sys")] + policy.figures.map(\.id),
                                      maxWidths: [48, 4] + policy.figures.map { _ in 16 })
                for g in summary.agencies {
                    table.add([g.name, String(g.systems)] + g.figures.map { $0.applicable == 0 ? "–" : "\($0.passed)/\($0.applicable)" })
                }
                out += table.render() + "\n"
            }
            out += style.bold(t("TÓM TẮT", "SUMMARY")) + " — \(TerminalText.sanitize(summary.province.name))\n"
            let networkAreas: Set<Area> = [.ipv6, .dns, .tls, .https, .links]
            for (f, def) in zip(summary.province.figures, policy.figures) {
                if !probed && !def.areas.isEmpty && Set(def.areas).isSubset(of: networkAreas) {
                    out += "  \(f.label[language]): " + style.dim(t("chưa quét (chạy govaudit scan)", "not scanned (run govaudit scan)")) + "\n"
                    continue
                }
                if f.applicable == 0 && inventory.systems == 1 { continue }
                var line = "  \(f.label[language]): \(f.ratio(language))"
                var apart: [String] = []
                if f.unknown > 0 { apart.append(t("chưa xác định", "unknown") + " \(f.unknown)") }
                if f.notApplicable > 0 { apart.append(t("không áp dụng", "not applicable") + " \(f.notApplicable)") }
                if !apart.isEmpty { line += style.dim(" (" + apart.joined(separator: "; ") + ")") }
                out += line + "\n"
            }
            return out
        }
    }
}
