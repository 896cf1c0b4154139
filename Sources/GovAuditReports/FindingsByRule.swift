import GovAuditCore
import GovAuditPolicy

/// The findings section of the table report, gathered one system at a time: per rule its
/// severity, title, bases and remedy once, then one line per finding. Only what is printed is
/// kept (the lines' text), never the findings with their evidence.
struct FindingsByRule {
    var policy: Policy
    var language: Language
    private var groups: [String: Group] = [:]
    private var total = 0
    private var open = 0

    init(policy: Policy, language: Language) {
        self.policy = policy
        self.language = language
    }

    /// At most this many findings of one rule are printed ("… and 980 more; see --format json"),
    /// and fact values are cut to this many columns: a report stays readable, however many
    /// findings a hostile page makes. The JSON keeps every finding.
    static let maxListedPerRule = 20
    static let maxValueWidth = 160

    private struct Group {
        var severity: Severity
        var title: String
        var remedy: String
        var bases: Set<LegalBasis> = []
        var systems: Set<String> = []
        /// The first `maxListedPerRule` lines in system order; only these are kept.
        var lines: [Line] = []
        var count = 0

        mutating func add(_ f: Finding, _ line: Line) {
            bases.insert(f.legalBasis)
            systems.insert(f.system)
            count += 1
            // Kept in system order (stable), cut to what is printed.
            let at = lines.firstIndex { $0.system > line.system } ?? lines.endIndex
            if at < FindingsByRule.maxListedPerRule {
                lines.insert(line, at: at)
                if lines.count > FindingsByRule.maxListedPerRule { lines.removeLast() }
            }
        }
    }

    /// One finding's line, without its style: "  - system endpoint", the facts (dim), the waiver (yellow).
    private struct Line {
        var system: String
        var head: String
        var facts: String
        var waiver: String?
    }

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    mutating func add(_ s: SystemEvaluation) {
        for f in s.findings {
            total += 1
            if f.isOpen { open += 1 }
            var head = "  - \(f.system)"
            if let ep = f.endpoint { head += " \(TerminalText.truncate(TerminalText.sanitize(ep), to: Self.maxValueWidth))" }
            let facts = f.evidence.map {
                "\($0.name)=\(TerminalText.truncate(TerminalText.sanitize($0.value), to: Self.maxValueWidth))"
            }.joined(separator: ", ")
            let waiver = f.waiver.map { " [" + t("miễn trừ đến", "waived until") + " \($0.expires): \(TerminalText.sanitize($0.reason))]" }
            groups[f.rule, default: Group(severity: f.severity, title: f.title[language], remedy: f.remedy[language])]
                .add(f, Line(system: f.system, head: head, facts: facts, waiver: waiver))
        }
    }

    func render(_ style: Style) -> String {
        guard total > 0 else { return style.green(t("Không có phát hiện.", "No findings.")) + "\n\n" }
        var out = style.bold(t("PHÁT HIỆN THEO QUY TẮC", "FINDINGS BY RULE"))
            + " (\(open) " + t("mở", "open") + ", \(total - open) " + t("miễn trừ", "waived") + ")\n"
        let ruleOrder = Dictionary(policy.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = groups.sorted { a, b in
            a.value.severity != b.value.severity ? a.value.severity > b.value.severity
                : (ruleOrder[a.key] ?? 0) < (ruleOrder[b.key] ?? 0)
        }
        for (ruleID, g) in sorted {
            var count = "\(g.systems.count) " + t("hệ thống", g.systems.count == 1 ? "system" : "systems")
            if g.count > g.systems.count { count += ", \(g.count) " + t("phát hiện", "findings") }
            out += "\n[\(severityLabel(g.severity, style))] " + style.bold(ruleID) + " — \(g.title) (\(count))\n"
            for b in g.bases.sorted(by: { $0.regime < $1.regime }) {
                var line = "  " + t("Căn cứ", "Basis") + ": \(b.citation) [\(b.regime)]"
                if b.isFlagged { line += style.yellow(t(" ⚑ chưa xác nhận", " ⚑ unconfirmed")) }
                out += line + "\n"
            }
            out += "  " + t("Khắc phục", "Remedy") + ": \(g.remedy)\n"
            for l in g.lines {
                out += l.head + "  " + style.dim(l.facts) + (l.waiver.map(style.yellow) ?? "") + "\n"
            }
            if g.count > g.lines.count {
                let more = grouped(g.count - g.lines.count)
                out += "  " + style.dim(t("… và \(more) phát hiện nữa; xem --format json", "… and \(more) more; see --format json")) + "\n"
            }
        }
        return out + "\n"
    }

    func severityLabel(_ s: Severity, _ style: Style) -> String {
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
}
