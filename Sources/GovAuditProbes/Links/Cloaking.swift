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
}

extension Crawl {
    /// Each sampled page as each visitor got it. What counts as a difference (another redirect,
    /// other outbound hosts, spam words only one visitor sees) is the links.cloaking rule's. A
    /// view the deadline cut is a failed view (`budget-exhausted`), counted in `budgetCut`.
    func cloaking(_ urls: [String], family: AddressFamily, _ s: inout State) -> CloakingCheck {
        var cut = 0
        var analysisCut = false
        let reader = s.reader
        var captured: [RawCapture] = []
        let check = CloakingCheck(samples: urls.map { url in
            // A view whose answer is another view's, byte for byte, reads the same: that read is reused.
            var reads: [(answer: ViewAnswer, read: PageReader.Read)] = []
            return CloakingCheck.Sample(page: sitePath(of: url), views: LinkHygieneProbe.visitors.map { visitor in
                var client = http
                client.userAgent = visitor.agent
                switch client.fetch(url, family: family, extraHeaders: visitor.referer.map { ["Referer: \($0)"] } ?? []) {
                case .failure(let f):
                    if case .budgetExhausted = f { cut += 1 }
                    return .init(visitor: visitor.name, finalURL: nil, status: nil,
                                 failure: FailureReason(code: f.code, detail: f.description), content: nil)
                case .success(let r):
                    captured.append(capture(r, page: sitePath(of: url), visitor: visitor.name))
                    var budget = options.maxLinksPerPage
                    var content: PageContent?
                    if probe.isHTML(r) {
                        let answer = ViewAnswer(r)
                        let read: PageReader.Read
                        if let known = reads.first(where: { $0.answer == answer })?.read {
                            read = known
                        } else {
                            read = reader.read(r, page: sitePath(of: url), linkBudget: &budget, deadline: deadline)
                            reads.append((answer, read))
                        }
                        analysisCut = analysisCut || read.cutShort
                        content = read.content
                    }
                    return .init(visitor: visitor.name, finalURL: r.finalURL, status: r.status, failure: nil, content: content)
                }
            })
        })
        s.captures += captured
        if cut > 0 { s.budgetCut.append("cloaking: \(cut) of \(urls.count * LinkHygieneProbe.visitors.count) views not fetched") }
        if analysisCut { s.budgetCut.append("cloaking: the analysis of a view stopped early") }
        return check
    }
}

/// What a page's analysis reads of an answer (`PageReader.read`): equal answers read the same.
private struct ViewAnswer: Equatable {
    var finalURL: String
    var status: Int
    var contentType: String?
    var refresh: String?
    var body: [UInt8]

    init(_ r: HTTPResponse) {
        (finalURL, status, contentType, refresh, body) = (r.finalURL, r.status, r.header("Content-Type"), r.header("Refresh"), r.body)
    }
}
