import GovAuditCore
import GovAuditPolicy

/// The terminal report of `govaudit evaluate`: systems with their layer statuses, findings
/// grouped by rule (each with its basis and remedy once), then the province and agency figures.
public struct EvaluationTable {
    public var policy: Policy
    public var language: Language
    public var style: Style
    /// Findings listed per rule; the rest are counted, and are all in `--format json`.
    public var maxListedPerRule: Int
    /// Columns of one evidence value on a finding's line (JSON has it whole).
    public var maxValueWidth: Int

    public static let defaultMaxListedPerRule = 20
    public static let defaultMaxValueWidth = 160

    public init(policy: Policy, language: Language, style: Style, maxListedPerRule: Int = defaultMaxListedPerRule,
                maxValueWidth: Int = defaultMaxValueWidth) {
        self.policy = policy
        self.language = language
        self.style = style
        self.maxListedPerRule = maxListedPerRule
        self.maxValueWidth = maxValueWidth
    }

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    public func render(_ e: Evaluation) -> String {
        var out = ""
        let inv = e.inventory
        out += style.bold(t("GovAudit — đánh giá tuân thủ", "GovAudit — compliance evaluation")) + "\n"
        out += t("Chính sách", "Policy") + ": \(policy.name) (\(policy.version)), "
        out += t("ngày đánh giá", "as of") + " \(language == .vi ? e.asOf.vietnamese : e.asOf.description)\n"
        out += t("Danh mục", "Inventory") + ": \(TerminalText.sanitize(inv.name)), \(inv.systems.count) "
        out += t("hệ thống", inv.systems.count == 1 ? "system" : "systems")
        if inv.illustrative { out += style.yellow(t(" (dữ liệu minh họa)", " (illustrative records)")) }
        out += "\n\n"
        out += systemsTable(e) + "\n"
        if e.probed {
            out += IPv6Section(language: language, style: style).render(e)
            out += TLSSection(policy: policy, language: language, style: style).render(e)
            out += LinksSection(language: language, style: style).render(e)
        }
        out += findingsByRule(e)
        out += summary(e)
        return out
    }

    func statusCell(_ s: ComplianceStatus) -> String {
        switch s {
        case .pass: "✓"
        case .fail: "✗"
        case .unknown: "?"
        case .notApplicable: "–"
        }
    }

    private func colorStatus(_ s: String, _ padded: String) -> String {
        switch s {
        case "✓": style.green(padded)
        case "✗": style.red(padded)
        case "?": style.yellow(padded)
        default: padded
        }
    }

    private func systemsTable(_ e: Evaluation) -> String {
        var table = TextTable(headers: ["ID", t("Cấp", "Lvl"), t("Hồ sơ", "Dossier"), t("Lớp 1", "L1"),
                                        t("Lớp 2", "L2"), t("Lớp 3", "L3"), t("Lớp 4", "L4"),
                                        t("Phát hiện", "Findings"), t("Tên hệ thống", "Name")],
                              maxWidths: [24, 4, 10, 6, 6, 6, 6, 10, 56])
        for s in e.systems {
            let open = s.findings.filter(\.isOpen).count, waived = s.findings.count - open
            table.add([s.system.id, s.system.level.description, s.system.dossier.status.rawValue]
                      + s.layers.map { statusCell($0.status) }
                      + [waived > 0 ? "\(open)+\(waived)w" : "\(open)", s.system.name])
        }
        let header = style.bold(t("HỆ THỐNG", "SYSTEMS")) + "  "
            + style.dim(t("(✓ đạt, ✗ không đạt, ? chưa xác định, – không áp dụng)",
                          "(✓ pass, ✗ fail, ? unknown, – not applicable)")) + "\n"
        return header + table.render { i, raw, padded in
            (3...6).contains(i) ? colorStatus(raw, padded) : padded
        }
    }

    /// 99950 as "99,950" (en) or "99.950" (vi).
    func grouped(_ n: Int) -> String {
        var digits = Array(String(n))
        var i = digits.count - 3
        while i > 0 {
            digits.insert(language == .vi ? "." : ",", at: i)
            i -= 3
        }
        return String(digits)
    }

    func severityLabel(_ s: Severity) -> String {
        let text: String
        switch (language, s) {
        case (.en, _): text = s.rawValue.uppercased()
        case (.vi, .critical): text = "NGHIÊM TRỌNG"
        case (.vi, .high): text = "CAO"
        case (.vi, .medium): text = "TRUNG BÌNH"
        case (.vi, .low): text = "THẤP"
        case (.vi, .info): text = "THÔNG TIN"
        }
        switch s {
        case .critical: return style.magenta(text)
        case .high: return style.red(text)
        case .medium: return style.yellow(text)
        case .low, .info: return text
        }
    }

    private func findingsByRule(_ e: Evaluation) -> String {
        let all = e.systems.flatMap(\.findings)
        guard !all.isEmpty else { return style.green(t("Không có phát hiện.", "No findings.")) + "\n\n" }
        let open = all.filter(\.isOpen).count
        var out = style.bold(t("PHÁT HIỆN THEO QUY TẮC", "FINDINGS BY RULE"))
            + " (\(open) " + t("mở", "open") + ", \(all.count - open) " + t("miễn trừ", "waived") + ")\n"
        let ruleOrder = policy.rules.map(\.id)
        let groups = Dictionary(grouping: all, by: \.rule).sorted { a, b in
            let sa = a.value[0].severity, sb = b.value[0].severity
            return sa != sb ? sa > sb : (ruleOrder.firstIndex(of: a.key) ?? 0) < (ruleOrder.firstIndex(of: b.key) ?? 0)
        }
        for (ruleID, findings) in groups {
            let f0 = findings[0]
            let systems = Set(findings.map(\.system)).count
            var count = "\(systems) " + t("hệ thống", systems == 1 ? "system" : "systems")
            if findings.count > systems { count += ", \(findings.count) " + t("phát hiện", "findings") }
            out += "\n[\(severityLabel(f0.severity))] " + style.bold(ruleID) + " — \(f0.title[language]) (\(count))\n"
            let bases = Set(findings.map(\.legalBasis))
            for b in bases.sorted(by: { $0.regime < $1.regime }) {
                var line = "  " + t("Căn cứ", "Basis") + ": \(b.citation) [\(b.regime)]"
                if b.isFlagged { line += style.yellow(t(" ⚑ chưa xác nhận", " ⚑ unconfirmed")) }
                out += line + "\n"
            }
            out += "  " + t("Khắc phục", "Remedy") + ": \(f0.remedy[language])\n"
            let sorted = findings.sorted(by: { $0.system < $1.system })
            for f in sorted.prefix(maxListedPerRule) {
                var line = "  - \(f.system)"
                if let ep = f.endpoint { line += " \(TerminalText.truncate(TerminalText.sanitize(ep), to: maxValueWidth))" }
                line += "  " + style.dim(f.evidence.map {
                    "\($0.name)=\(TerminalText.truncate(TerminalText.sanitize($0.value), to: maxValueWidth))"
                }.joined(separator: ", "))
                if let w = f.waiver {
                    line += style.yellow(" [" + t("miễn trừ đến", "waived until") + " \(w.expires): \(TerminalText.sanitize(w.reason))]")
                }
                out += line + "\n"
            }
            if sorted.count > maxListedPerRule {
                let more = grouped(sorted.count - maxListedPerRule)
                out += "  " + style.dim(t("… và \(more) phát hiện nữa; xem --format json", "… and \(more) more; see --format json")) + "\n"
            }
        }
        return out + "\n"
    }

    /// The agency table, then the province figures last, where the reader's eye lands.
    private func summary(_ e: Evaluation) -> String {
        var out = ""
        if e.summary.agencies.count > 1 {
            out += style.bold(t("THEO CƠ QUAN", "BY AGENCY")) + "\n"
            var table = TextTable(headers: [t("Cơ quan", "Agency"), t("HT", "Sys")] + policy.figures.map(\.id),
                                  maxWidths: [48, 4] + policy.figures.map { _ in 16 })
            for g in e.summary.agencies {
                table.add([g.name, String(g.systems)] + g.figures.map { $0.applicable == 0 ? "–" : "\($0.passed)/\($0.applicable)" })
            }
            out += table.render() + "\n"
        }
        out += style.bold(t("TÓM TẮT", "SUMMARY")) + " — \(TerminalText.sanitize(e.summary.province.name))\n"
        let networkAreas: Set<Area> = [.ipv6, .dns, .tls, .https, .links]
        for (f, def) in zip(e.summary.province.figures, policy.figures) {
            if !e.probed && !def.areas.isEmpty && Set(def.areas).isSubset(of: networkAreas) {
                out += "  \(f.label[language]): " + style.dim(t("chưa quét (chạy govaudit scan)", "not scanned (run govaudit scan)")) + "\n"
                continue
            }
            if f.applicable == 0 && e.inventory.systems.count == 1 { continue }
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
