import GovAuditCore
import GovAuditPolicy

/// Per https endpoint: the grade and what set it, protocols, the certificate, HSTS and redirect.
struct TLSSection {
    var policy: Policy
    var language: Language
    var style: Style

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    func render(_ e: Evaluation) -> String {
        var table = TextTable(headers: [t("Hệ thống", "System"), t("Điểm cuối", "Endpoint"), t("Điểm", "Grade"),
                                        t("Giao thức", "Protocols"), t("Chứng thư", "Certificate"), t("Còn (ngày)", "Days"),
                                        "HSTS", "HTTP→HTTPS", t("Giới hạn điểm", "Capped by")],
                              maxWidths: [22, 40, 5, 30, 24, 6, 10, 10, 48])
        var rows = 0
        for s in e.systems {
            for ep in s.system.endpoints where ep.scheme == "https" {
                let mine = s.evidence.filter { $0.endpoint == ep }
                guard let offerEvidence = mine.first(where: { $0.kind == TLSOffer.kind }) else { continue }
                rows += 1
                guard let offer = offerEvidence.facts(as: TLSOffer.self) else {
                    var why = "?"
                    if case .failed(let r) = offerEvidence.outcome { why = r.code }
                    if case .couldNotTest(let d) = offerEvidence.outcome { why = d }
                    table.add([s.system.id, ep.description, "–", why, "–", "–", "–", "–", ""])
                    continue
                }
                let cert = mine.first { $0.kind == TLSCertificate.kind }?.facts(as: TLSCertificate.self)
                let site = mine.first { $0.kind == HTTPSFacts.kind }?.facts(as: HTTPSFacts.self)
                // The grade under the system's regime; none when the policy disables tls.grade.
                let g = policy.parameters(of: "tls.grade", regime: s.regime.regime).map {
                    TLSGrade.compute(offer: offer, certificate: cert, https: site, parameters: $0)
                } ?? (grade: "–", reasons: [])
                var certText = "–"
                if let c = cert {
                    var flags: [String] = []
                    if !c.trusted { flags.append(c.selfSigned ? t("tự ký", "self-signed") : t("không tin cậy", "untrusted")) }
                    if !c.hostnameMatches { flags.append(t("sai tên", "mismatch")) }
                    if !c.chainComplete { flags.append(t("thiếu CA trung gian", "incomplete")) }
                    certText = "\(c.keyType)-\(c.keyBits)" + (flags.isEmpty ? " ✓" : " " + flags.joined(separator: ", "))
                }
                table.add([s.system.id, ep.description, g.grade, offer.protocols.joined(separator: " "), certText,
                           cert.map { String($0.daysLeft) } ?? "–", site?.hstsMaxAge.map(String.init) ?? t("không", "none"),
                           site.map { $0.redirectsToHTTPS ? "\($0.httpStatus ?? 0)" : t("không", "no") } ?? "–",
                           g.reasons.joined(separator: "; ")])
            }
        }
        guard rows > 0 else { return "" }
        return style.bold(t("TLS VÀ HTTPS", "TLS & HTTPS")) + "\n" + table.render() + "\n"
    }
}
