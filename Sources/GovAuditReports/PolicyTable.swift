import GovAuditCore
import GovAuditPolicy

/// `govaudit policy list`: every rule with its area, severity, levels and legal basis per regime.
public enum PolicyListing {
    public static func table(_ policy: Policy, language: Language, style: Style) -> String {
        let vi = language == .vi
        var out = style.bold(policy.name) + " (\(policy.version)) — \(policy.rules.count) " + (vi ? "quy tắc" : "rules") + "\n"
        out += (vi ? "Chế độ pháp lý" : "Legal regimes") + ":\n"
        for r in policy.regimes.sorted(by: { $0.effective < $1.effective }) {
            out += "  \(r.id): \(r.name[language]), " + (vi ? "hiệu lực từ " : "in force from ") + "\(r.effective)"
            if let u = r.until { out += (vi ? " đến " : " to ") + "\(u)" }
            if let t = r.transition {
                out += vi ? "; chuyển tiếp \(t.months) tháng (\(t.citation))" : "; \(t.months)-month transition (\(t.citation))"
            }
            out += "\n"
        }
        out += "\n"
        // One row per rule, then one indented row per regime with its legal basis.
        var table = TextTable(headers: ["ID", vi ? "Lĩnh vực" : "Area", vi ? "Mức" : "Severity", vi ? "Cấp" : "Levels",
                                        vi ? "Tiêu đề / căn cứ pháp lý theo chế độ" : "Title / legal basis per regime"],
                              maxWidths: [34, 8, 8, 9, 110])
        let regimeOrder = policy.regimes.sorted { $0.effective < $1.effective }.map(\.id)
        for rule in policy.rules {
            table.add([rule.id, rule.area.rawValue, rule.severity.rawValue, levels(rule.levels), rule.title[language]])
            for id in regimeOrder {
                guard let b = rule.basis[id]?.legalBasis else { continue }
                table.add(["", "", "", "", "  \(id): \(b.citation)" + (b.isFlagged ? " ⚑" : "")])
            }
        }
        out += table.render()
        if !policy.disabledRules.isEmpty {
            out += "\n" + (vi ? "Quy tắc bị tắt trong policy.yaml" : "Rules disabled in policy.yaml") + ": "
                + policy.disabledRules.joined(separator: ", ") + "\n"
        }
        out += "\n⚑ " + (vi ? "căn cứ chưa được xác nhận: giá trị là tham số, xem ghi chú trong Policies/"
                               : "unconfirmed basis: its values are parameters, see the note in Policies/") + "\n"
        return out
    }

    /// "1–5", "3–5", "1, 3".
    static func levels(_ set: Set<Int>) -> String {
        let sorted = set.sorted()
        if let lo = sorted.first, let hi = sorted.last, sorted.count == hi - lo + 1, sorted.count > 1 { return "\(lo)–\(hi)" }
        return sorted.map(String.init).joined(separator: ", ")
    }

    struct RuleDTO: Encodable {
        var id: String
        var area: Area
        var layer: String?
        var severity: Severity
        var levels: [Int]
        var title, description, remedy: LocalizedText
        var parameters: [String: String]
        var basis: [BasisDTO]
    }

    struct BasisDTO: Encodable {
        var regime, citation: String
        var confidence: Confidence
        var note: String?
        var parameters: [String: String]
    }

    struct Document: Encodable {
        var schemaVersion: String
        var kind: String
        var policy: String
        var version: String
        var hash: String
        var rules: [RuleDTO]
    }

    public static func json(_ policy: Policy) throws -> String {
        let layerOf = Dictionary(policy.layerAreas.flatMap { l, areas in areas.map { ($0, l.code) } },
                                 uniquingKeysWith: { a, b in min(a, b) })
        let rules = policy.rules.map { r in
            RuleDTO(id: r.id, area: r.area, layer: layerOf[r.area], severity: r.severity, levels: r.levels.sorted(),
                    title: r.title, description: r.description, remedy: r.remedy,
                    parameters: r.parameters.values.mapValues(describe),
                    basis: r.basis.values.sorted { $0.legalBasis.regime < $1.legalBasis.regime }.map {
                        BasisDTO(regime: $0.legalBasis.regime, citation: $0.legalBasis.citation,
                                 confidence: $0.legalBasis.confidence, note: $0.legalBasis.note,
                                 parameters: $0.parameters.values.mapValues(describe))
                    })
        }
        return try EvaluationJSON.encode(Document(schemaVersion: EvaluationJSON.schemaVersion, kind: "policy",
                                                  policy: policy.name, version: policy.version,
                                                  hash: policy.hash, rules: rules))
    }

    static func describe(_ v: ParameterValue) -> String {
        switch v {
        case .number(let d): return d == d.rounded() ? String(Int(d)) : String(d)
        case .text(let s): return s
        case .flag(let b): return String(b)
        case .list(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0): \(describe(m[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
