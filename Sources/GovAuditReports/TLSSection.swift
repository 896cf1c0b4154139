import GovAuditCore
import GovAuditPolicy

/// Per https endpoint: the grade and what set it (the tls.grade rule's result), protocols, the
/// certificate with the rules' verdicts on it, HSTS and redirect. Nothing is judged here.
struct TLSSection {
    var language: Language
    /// The day the certificates' remaining days are counted from.
    var asOf: CalendarDate
    private var table: TextTable

    init(language: Language, asOf: CalendarDate) {
        self.language = language
        self.asOf = asOf
        let vi = language == .vi
        table = TextTable(headers: [vi ? "Hệ thống" : "System", vi ? "Điểm cuối" : "Endpoint", vi ? "Điểm" : "Grade",
                                    vi ? "Giao thức" : "Protocols", vi ? "Chứng thư" : "Certificate", vi ? "Còn (ngày)" : "Days",
                                    "HSTS", "HTTP→HTTPS", vi ? "Giới hạn điểm" : "Capped by"],
                          maxWidths: [22, 40, 5, 30, 24, 6, 10, 10, 48])
    }

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// The rows of one system: one per https endpoint with TLS evidence.
    mutating func add(_ s: SystemEvaluation) {
        for ep in s.system.endpoints where ep.scheme == "https" {
            let mine = s.evidence.filter { $0.endpoint == ep }
            guard let offerEvidence = mine.first(where: { $0.kind == TLSOffer.kind }) else { continue }
            guard let offer = offerEvidence.facts(as: TLSOffer.self) else {
                table.add([s.system.id, ep.description, "–", why(offerEvidence.outcome), "–", "–", "–", "–", ""])
                continue
            }
            let fired = Set(s.findings.filter { $0.endpoint == ep.description }.map(\.rule))
            let grade = s.measurements.first { $0.rule == "tls.grade" && $0.endpoint == ep }
            let cert = mine.first { $0.kind == TLSCertificate.kind }?.facts(as: TLSCertificate.self)
            var certText = "–"
            if let c = cert {
                var flags: [String] = []
                if fired.contains("tls.cert-untrusted") { flags.append(c.selfSigned ? t("tự ký", "self-signed") : t("không tin cậy", "untrusted")) }
                if fired.contains("tls.cert-hostname") { flags.append(t("sai tên", "mismatch")) }
                if fired.contains("tls.cert-incomplete-chain") { flags.append(t("thiếu CA trung gian", "incomplete")) }
                certText = "\(c.keyType)-\(c.keyBits)" + (flags.isEmpty ? " ✓" : " " + flags.joined(separator: ", "))
            }
            let https = mine.first { $0.kind == HTTPSAnswer.kind }
            let plain = mine.first { $0.kind == PlainHTTPAnswer.kind }
            let hsts = https.map { a in a.facts(as: HTTPSAnswer.self).map { $0.strictTransportSecurity?.maxAge.map(String.init) ?? t("không", "none") }
                ?? why(a.outcome) } ?? "–"
            let redirect = plain.map { p in p.facts(as: PlainHTTPAnswer.self).map { fired.contains("https.no-redirect") ? t("không", "no") : String($0.status) }
                ?? why(p.outcome) } ?? "–"
            table.add([s.system.id, ep.description, grade?.fact("grade") ?? "–", offer.protocols.map(\.name).joined(separator: " "),
                       certText, cert.map { String($0.daysLeft(asOf: asOf)) } ?? "–", hsts, redirect, grade?.fact("caps") ?? ""])
        }
    }

    func render(_ style: Style) -> String {
        guard !table.rows.isEmpty else { return "" }
        return style.bold(t("TLS VÀ HTTPS", "TLS & HTTPS")) + "\n" + table.render() + "\n"
    }

    /// A step that produced no facts, in a cell: its failure code or why it could not be tested.
    private func why(_ outcome: Outcome) -> String {
        switch outcome {
        case .failed(let r): r.code
        case .couldNotTest(let d): d
        default: "–"
        }
    }
}
