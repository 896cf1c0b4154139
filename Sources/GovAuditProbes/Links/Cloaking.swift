import GovAuditCore
import GovAuditHTML
import GovAuditNet

extension LinkHygieneProbe {
    static let browserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
    static let crawlerAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

    /// The visitors compared: a browser, Googlebot, and a browser coming from a Google search.
    static let visitors: [(name: String, agent: String, referer: String?)] = [
        ("browser", browserAgent, nil),
        ("crawler-user-agent", crawlerAgent, nil),
        ("search-referer", browserAgent, "https://www.google.com/"),
    ]

    /// Each sampled page as each visitor got it. What counts as a difference (another redirect,
    /// other outbound hosts, spam words only one visitor sees) is the links.cloaking rule's.
    func cloaking(_ urls: [String], family: AddressFamily, reader: PageReader) -> CloakingCheck {
        CloakingCheck(samples: urls.map { url in
            CloakingCheck.Sample(page: sitePath(of: url), views: Self.visitors.map { visitor in
                var client = context.http
                client.userAgent = visitor.agent
                switch client.fetch(url, family: family, extraHeaders: visitor.referer.map { ["Referer: \($0)"] } ?? []) {
                case .failure(let f):
                    return .init(visitor: visitor.name, finalURL: nil, status: nil,
                                 failure: FailureReason(code: f.code, detail: f.description), content: nil)
                case .success(let r):
                    var budget = options.maxLinksPerPage
                    let content = isHTML(r) ? reader.read(HTMLDocument(parsing: r.body), pageURL: r.finalURL, page: sitePath(of: url),
                                                          status: r.status, linkBudget: &budget).content : nil
                    return .init(visitor: visitor.name, finalURL: r.finalURL, status: r.status, failure: nil, content: content)
                }
            })
        })
    }
}
