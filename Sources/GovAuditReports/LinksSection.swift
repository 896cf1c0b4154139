import GovAuditCore
import GovAuditPolicy

/// Per web endpoint: how far the crawl went and how many findings each links rule made. The
/// findings themselves, with page, URL, anchor text and technique, are listed under their rules.
struct LinksSection {
    var language: Language
    private var table: TextTable
    /// Endpoints with crawl evidence (a not-applicable crawl counts, though it has no row).
    private var crawled = 0

    init(language: Language) {
        self.language = language
        let vi = language == .vi
        table = TextTable(headers: [vi ? "Hệ thống" : "System", vi ? "Điểm cuối" : "Endpoint", vi ? "Trang" : "Pages",
                                    "Spam", vi ? "Ẩn" : "Hidden", vi ? "Chuyển hướng" : "Redirects",
                                    "Cloaking", vi ? "Hỏng" : "Broken", vi ? "HTTP lẫn" : "Mixed", vi ? "Ghi chú" : "Note"],
                          maxWidths: [22, 44, 6, 5, 6, 9, 8, 6, 5, 30])
    }

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// The rows of one system: one per crawled web endpoint.
    mutating func add(_ s: SystemEvaluation) {
        for ep in s.system.endpoints where ep.scheme != nil {
            let mine = s.evidence.filter { $0.endpoint == ep }
            guard let crawl = mine.first(where: { $0.kind == LinkCrawl.kind }) else { continue }
            crawled += 1
            switch crawl.outcome {
            case .failed(let r):
                table.add([s.system.id, ep.description, "0", "–", "–", "–", "–", "–", "–", r.code])
                continue
            case .couldNotTest(let why):
                table.add([s.system.id, ep.description, "?", "?", "?", "?", "?", "?", "?", why])
                continue
            case .notApplicable:
                continue
            case .collected: break
            }
            let c = crawl.facts(as: LinkCrawl.self)!
            // Counts are the rules' findings on this endpoint, never a judgement of our own.
            let mineFound = s.findings.filter { $0.endpoint == ep.description }
            func count(_ rule: String) -> String { String(mineFound.filter { $0.rule == rule }.count) }
            var note = c.limitReached.map { t("dừng: ", "stopped: ") + $0 } ?? ""
            if !c.failures.isEmpty { note += (note.isEmpty ? "" : "; ") + "\(c.failures.count) " + t("trang lỗi", "pages failed") }
            if c.budgetCut != nil { note += (note.isEmpty ? "" : "; ") + t("hết thời gian (--crawl-seconds)", "cut short (--crawl-seconds)") }
            table.add([s.system.id, ep.description, String(c.pagesFetched), count("links.spam"), count("links.hidden-link"),
                       count("links.scripted-redirect"), count("links.cloaking"), count("links.broken"),
                       count("links.mixed-content"), note])
        }
    }

    func render(_ style: Style) -> String {
        guard crawled > 0 else { return "" }
        return style.bold(t("LIÊN KẾT TRÊN TRANG (.gov.vn)", "LINK HYGIENE")) + "\n" + table.render() + "\n"
    }
}
