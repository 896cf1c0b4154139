import Foundation
import GovAuditHTML
import Testing
@testable import GovAuditProbes

/// Meta refresh in every form browsers follow, and the two sitemap sources, bounded.
@Suite("Refresh declarations and sitemaps")
struct RefreshAndSitemapTests {
    @Test("refresh content as browsers read it", arguments: [
        ("0; url=https://k.example/a", "https://k.example/a"), ("0; https://k.example/b", "https://k.example/b"),
        ("0;URL='https://k.example/c'", "https://k.example/c"), ("5 , url = \"https://k.example/d\" ", "https://k.example/d"),
        ("0.5;url=/e", "/e"), ("  3;  URL=https://k.example/f?x=1;y=2", "https://k.example/f?x=1;y=2"),
        ("0; urlx", "urlx"),
    ])
    func refresh(content: String, target: String) {
        #expect(HTMLDocument.refreshTarget(content) == target)
    }

    @Test("no time, or no URL: ignored or a reload, never a redirect", arguments: ["url=https://k.example/", "", "5", "5;", "abc; url=x"])
    func noRedirect(content: String) {
        #expect(HTMLDocument.refreshTarget(content) == nil)
    }

    @Test("the first refresh of the page counts, even without url=")
    func firstMeta() {
        let doc = HTMLDocument(parsing: Array(#"<meta http-equiv="Refresh" content="0; https://k.example/x"><meta http-equiv=refresh content="0;url=/y">"#.utf8))
        #expect(doc.metaRefresh == "https://k.example/x")
    }

    @Test("robots.txt: Sitemap lines in any case, comments dropped, bounded")
    func robots() {
        let text = "User-agent: *\nDisallow: /admin\nSitemap: https://s.gov.vn/a.xml # main\r\nsitemap:https://s.gov.vn/b.xml\nSITEMAP: https://s.gov.vn/c.xml\n"
        #expect(SitemapParsing.robotsSitemaps(text, max: 10) == ["https://s.gov.vn/a.xml", "https://s.gov.vn/b.xml", "https://s.gov.vn/c.xml"])
        #expect(SitemapParsing.robotsSitemaps(text, max: 2).count == 2)
    }

    @Test("a urlset and an index: locations with entities, CDATA and prefixes; beyond the bound counted")
    func sitemaps() {
        let urlset = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- generated -->
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc> https://s.gov.vn/tin?a=1&amp;b=2 </loc><lastmod>2026-01-01</lastmod></url>
              <url><loc><![CDATA[https://s.gov.vn/nha-cai.html]]></loc></url>
              <url><sm:loc>https://s.gov.vn/&#x111;a-ga</sm:loc></url>
              <url><location>https://s.gov.vn/not-a-loc</location></url>
            </urlset>
            """
        let m = SitemapParsing.parse(Array(urlset.utf8), maxLocations: 10)
        #expect(m.format == "urlset")
        #expect(m.locations == ["https://s.gov.vn/tin?a=1&b=2", "https://s.gov.vn/nha-cai.html", "https://s.gov.vn/đa-ga"])
        let bounded = SitemapParsing.parse(Array(urlset.utf8), maxLocations: 1)
        #expect(bounded.locations.count == 1 && bounded.dropped == 2)
        let index = SitemapParsing.parse(Array("<sitemapindex><sitemap><loc>https://s.gov.vn/s1.xml</loc></sitemap></sitemapindex>".utf8), maxLocations: 10)
        #expect(index.format == "sitemapindex" && index.locations == ["https://s.gov.vn/s1.xml"])
        // An HTML error page served as the sitemap is not one.
        #expect(SitemapParsing.parse(Array("<!doctype html><html><body><loc>x</loc></body></html>".utf8), maxLocations: 10).format == nil)
    }

    /// Strict on what is kept; how fast it parses is the benchmark's business, not a test's.
    @Test("a sitemap of 50,000 entries keeps its bound and counts the rest")
    func hugeSitemap() {
        let body = "<urlset>" + String(repeating: "<url><loc>https://s.gov.vn/p</loc></url>", count: 50_000) + "</urlset>"
        let m = SitemapParsing.parse(Array(body.utf8), maxLocations: 1_000)
        #expect(m.locations.count == 1_000 && m.dropped == 49_000)
    }
}
