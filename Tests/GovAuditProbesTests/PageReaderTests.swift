import GovAuditCore
import GovAuditHTML
import GovAuditNet
import Testing
@testable import GovAuditProbes

/// The crawler's page reading: every reference recorded as written and resolved, nothing judged,
/// and what a bound cuts counted.
@Suite("Page reading")
struct PageReaderTests {
    let html = """
        <html><head><title>Sở Tư pháp</title><base href="/tin-tuc/"></head><body>
        <a href="bai-1.html">Bài 1</a>
        <div style="display:none"><a href="https://kuwin88.example/x" title="Nhà cái">nhà cái uy tín</a> nổ hũ</div>
        <a href="mailto:vanthu@angiang.gov.vn">Liên hệ</a>
        <script src="http://cdn-thirdparty.example/a.js"></script>
        <meta http-equiv="refresh" content="5; url=https://kuwin88.example/m">
        </body></html>
        """

    func read(maxLinks: Int = 100, maxText: Int = 10_000, budget: Int = 100) -> (PageReader.Read, Int) {
        let reader = PageReader(siteHost: "sotuphap.angiang.gov.vn", includeSubdomains: false, maxTextCharacters: maxText, maxLinksPerPage: maxLinks)
        var left = budget
        let r = reader.read(HTMLDocument(parsing: Array(html.utf8)), pageURL: "https://sotuphap.angiang.gov.vn/", page: "/",
                            status: 200, linkBudget: &left)
        return (r, left)
    }

    @Test("every reference, as written and resolved, with hiding and redirect kind; only same-site pages are crawled next")
    func facts() throws {
        let (r, left) = read()
        let links = r.content.links
        #expect(links.map(\.element) == ["a", "a", "a", "script", "meta"] && left == 95)
        #expect(links[0].written == "bai-1.html" && links[0].url == "https://sotuphap.angiang.gov.vn/tin-tuc/bai-1.html" && !links[0].external)
        #expect(links[1].hiding == "display:none" && links[1].external && links[1].title == "Nhà cái" && links[1].text == "nhà cái uy tín")
        #expect(links[2].url == "mailto:vanthu@angiang.gov.vn" && !links[2].external)
        #expect(links[4].redirect == "meta-refresh" && links[4].attribute == "content")
        #expect(r.next == ["https://sotuphap.angiang.gov.vn/tin-tuc/bai-1.html"])
        #expect(r.content.title == "Sở Tư pháp" && r.content.hiddenText.contains("nổ hũ") && r.content.visibleText.contains("Bài 1"))
    }

    @Test("bounds: links past the page or site bound and text past the text bound are counted, not kept")
    func bounds() {
        let (few, _) = read(maxLinks: 2)
        #expect(few.content.links.count == 2 && few.content.linksDropped == 3)
        #expect(few.next.count == 1)   // crawling goes on past the recording bound
        let (site, left) = read(budget: 1)
        #expect(site.content.links.count == 1 && site.content.linksDropped == 4 && left == 0)
        let (short, _) = read(maxText: 4)
        #expect(short.content.visibleText.count == 4 && short.content.textCharactersDropped > 0)
    }

    @Test("a page of 5,000 links: only the page's bound is analysed (and crawled next), the rest counted")
    func manyReferences() {
        let rows = (0..<5_000).map { "<a href=\"/trang-\($0)\">\($0)</a>" }.joined(separator: "\n")
        let reader = PageReader(siteHost: "sotuphap.angiang.gov.vn", includeSubdomains: false, maxTextCharacters: 10_000, maxLinksPerPage: 100)
        var left = 20_000
        let r = reader.read(HTMLDocument(parsing: Array("<html><body>\(rows)</body></html>".utf8)),
                            pageURL: "https://sotuphap.angiang.gov.vn/", page: "/", status: 200, linkBudget: &left)
        #expect(r.content.links.count == 100 && r.content.linksDropped == 4_900 && left == 19_900)
        #expect(r.next.count == 100 && !r.cutShort)
    }

    @Test("a deadline already passed: no reference analysed, each counted, the meta refresh still kept, the read marked cut short")
    func deadline() {
        let reader = PageReader(siteHost: "sotuphap.angiang.gov.vn", includeSubdomains: false, maxTextCharacters: 10_000, maxLinksPerPage: 100)
        var left = 100
        let r = reader.read(HTMLDocument(parsing: Array(html.utf8)), pageURL: "https://sotuphap.angiang.gov.vn/", page: "/",
                            status: 200, linkBudget: &left, deadline: Deadline(seconds: 0, owner: "the crawl"))
        #expect(r.cutShort)
        #expect(r.content.links.map(\.element) == ["meta"] && r.content.linksDropped == 4)
    }
}
