import GovAuditCore
import GovAuditScan
import Testing

/// Drift's outbound domains by registrable domain (eTLD+1): subdomains of one site are one
/// domain, and a baseline stored as host names (before the list was used) is regrouped, so an
/// upgrade alone makes no "new outbound domain".
@Suite("drift: outbound domains by the Public Suffix List")
struct DriftGroupingTests {
    let grouping = DomainGrouping.registrable(PublicSuffixList(text: "vn\ngov.vn\ncom.vn\n"))
    let endpoint = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")

    func crawl(_ urls: [String]) -> LinkPages {
        let links = urls.map { PageLink(element: "a", attribute: "href", written: $0, url: $0, text: "", title: nil, alt: nil, hiding: nil,
                                        redirect: nil, external: true) }
        return LinkPages(pages: [PageContent(page: "/", url: endpoint.description, status: 200, title: "Sở Tư pháp", visibleText: "",
                                             hiddenText: "", links: links, template: [])])
    }

    @Test("subdomains fold into their registrable domain; a brand under com.vn stays its own")
    func snapshot() {
        let s = SiteSnapshot(crawl(["https://tin.chinhphu.vn/a", "https://www.chinhphu.vn/b", "https://m.kuwin88.com.vn/",
                                    "https://thanhtra.angiang.gov.vn/"]), grouping: grouping)
        #expect(s.outboundDomains == ["angiang.gov.vn", "chinhphu.vn", "kuwin88.com.vn"])
        #expect(SiteSnapshot(crawl(["https://tin.chinhphu.vn/a"])).outboundDomains == ["tin.chinhphu.vn"], "host names: only www. goes")
    }

    @Test("a baseline of host names is regrouped before it is compared: the same links are no new domain, a new one is")
    func baselineRegrouped() throws {
        let system = System(id: "stp", name: "Cổng Sở Tư pháp", agency: "stp", level: SecurityLevel(2)!, dossier: Dossier(status: .approved),
                            endpoints: [endpoint])
        let old = SiteSnapshot(crawl(["https://tin.chinhphu.vn/a", "https://www.baochinhphu.vn/"]))
        #expect(old.outboundDomains == ["baochinhphu.vn", "tin.chinhphu.vn"])
        let baseline = LinkDrift.Baseline(source: LinkDrift.Baseline.previousScan, scan: "s1", at: "2026-11-30T00:00:00Z", snapshot: old)
        let now = [Evidence(endpoint: endpoint, facts: crawl(["https://www.chinhphu.vn/b", "https://baochinhphu.vn/", "https://fb88.com.vn/"]))]
        let drift = try #require(DriftEvidence.make(system, now, baselines: [endpoint: baseline], grouping: grouping).first?.facts(as: LinkDrift.self))
        #expect(drift.baseline?.snapshot.outboundDomains == ["baochinhphu.vn", "chinhphu.vn"])
        let known = Set(drift.baseline?.snapshot.outboundDomains ?? [])
        #expect(drift.current.outboundDomains.filter { !known.contains($0) } == ["fb88.com.vn"])
    }
}
