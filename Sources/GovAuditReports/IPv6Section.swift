import GovAuditCore
import GovAuditPolicy

/// The per-system list the monthly report attaches ("danh sách kèm theo"): for each web
/// endpoint, AAAA yes/no and reachable over IPv6 yes/no, with parity and DNSSEC beside them.
struct IPv6Section {
    var language: Language
    private var table: TextTable

    init(language: Language) {
        self.language = language
        table = TextTable(headers: [language == .vi ? "Hệ thống" : "System", language == .vi ? "Điểm cuối" : "Endpoint", "A", "AAAA",
                                    language == .vi ? "IPv6 truy cập" : "IPv6 reach", language == .vi ? "IPv4≈IPv6" : "v4≈v6", "DNSSEC"],
                          maxWidths: [22, 44, 16, 8, 26, 16, 22])
    }

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// The rows of one system: one per web endpoint.
    mutating func add(_ s: SystemEvaluation) {
        for ep in s.system.endpoints where ep.scheme != nil {
            let mine = s.evidence.filter { $0.endpoint == ep }
            table.add([s.system.id, ep.description] + cells(mine))
        }
    }

    func render(_ style: Style) -> String {
        guard !table.rows.isEmpty else { return "" }
        return style.bold(t("IPv6 VÀ DNS (danh sách kèm theo)", "IPv6 & DNS (attached list)")) + "\n" + table.render() + "\n"
    }

    private func cells(_ evidence: [Evidence]) -> [String] {
        let resolution = evidence.first { $0.kind == DNSResolution.kind }
        guard let resolution else { return ["?", "?", "?", "?", "?"] }
        switch resolution.outcome {
        case .failed(let r): return [t("lỗi DNS", "DNS error") + ": \(r.code)", "–", "–", "–", "–"]
        case .couldNotTest: return ["?", "?", "?", "?", "?"]
        case .notApplicable: return ["–", "–", "–", "–", "–"]
        case .collected: break
        }
        let r = resolution.facts(as: DNSResolution.self)!
        let aaaa = r.aaaaFailure.map { "? \($0.code)" } ?? (r.aaaa.isEmpty ? t("không", "no") : t("có", "yes"))
        var reach = "–"
        for e in evidence where e.kind == Reachability.kind {
            switch e.outcome {
            case .collected:
                if let f = e.facts(as: Reachability.self), f.family == .ipv6 {
                    // "yes" when every port answers; otherwise each port's outcome, which says
                    // whether it is a refusal or a stall.
                    reach = f.attempts.allSatisfy { $0.outcome == .open } ? t("có", "yes")
                        : f.attempts.map { "\($0.port):\($0.outcome.rawValue)" }.joined(separator: " ")
                }
            case .couldNotTest where !r.aaaa.isEmpty: reach = t("? không kiểm tra được", "? could not test")
            case .failed(let why) where why.isBudgetExhausted && !r.aaaa.isEmpty: reach = "? \(why.code)"
            default: break
            }
        }
        var parity = "–"
        if let p = evidence.first(where: { $0.kind == FamilyParity.kind })?.facts(as: FamilyParity.self) {
            if let f = p.ipv6.failure { parity = "IPv6 \(f)" }
            else if let f = p.ipv4.failure { parity = "IPv4 \(f)" }
            else {
                parity = p.similarity.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
                if p.ipv4.status != p.ipv6.status || p.ipv4.finalURL != p.ipv6.finalURL { parity += " ≠" }
            }
        }
        let zone = evidence.first { $0.kind == ZoneFacts.kind }?.facts(as: ZoneFacts.self)
        let dnssec = r.validation == .bogus ? "bogus" : r.validation == .secure ? "secure"
            : zone?.dnskeyFailure.map { "? \($0.code)" } ?? (zone?.signed == true ? t("đã ký", "signed") : t("chưa ký", "unsigned"))
        return [r.a.joined(separator: " "), aaaa, reach, parity, dnssec]
    }
}
