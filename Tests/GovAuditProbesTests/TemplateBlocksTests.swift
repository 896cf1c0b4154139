import Testing
import GovAuditHTML

/// Template blocks: what a page's layout is made of, the same from one day's articles to the next.
@Suite("HTML: template blocks")
struct TemplateBlocksTests {
    func page(_ articles: String) -> HTMLDocument {
        HTMLDocument(parsing: Array("""
            <html><head><title>Cổng thông tin</title></head><body>
            <header id="top" class="site-header"><nav class="menu main-menu"><ul class="nav"><li>Trang chủ</li></ul></nav></header>
            <div id="content" class="container row-12"><main>\(articles)</main><aside class="sidebar"></aside></div>
            <footer class="footer"><span>Địa chỉ</span></footer></body></html>
            """.utf8))
    }

    @Test("landmarks and named containers, digits dropped, sorted; the day's articles leave them as they were")
    func blocks() {
        let monday = page(#"<article class="post post-1201"><h2>Hội nghị</h2></article><article class="post post-1202"><p>x</p></article>"#)
        let tuesday = page(#"<article class="post post-1309"><h2>Đoàn công tác</h2></article>"#)
        let blocks = monday.templateBlocks()
        #expect(blocks == ["article.post.post-", "aside.sidebar", "div#content.container.row-", "footer.footer", "header#top.site-header",
                           "main", "nav.main-menu.menu", "ul.nav"])
        #expect(tuesday.templateBlocks() == blocks)
    }

    @Test("a defaced page has none of them; depth and count are bounded")
    func bounded() {
        let defaced = HTMLDocument(parsing: Array("<html><body><center><h1>Hacked by crew</h1></center></body></html>".utf8))
        #expect(defaced.templateBlocks().isEmpty)
        let deep = HTMLDocument(parsing: Array(("<html><body>" + (0..<10).map { "<div class=\"d\(String(UnicodeScalar(97 + $0)!))\">" }.joined()
            + (1...10).map { _ in "</div>" }.joined() + "</body></html>").utf8))
        #expect(deep.templateBlocks(maxDepth: 3) == ["div.da", "div.db", "div.dc"])
        let many = HTMLDocument(parsing: Array(("<html><body>" + (0..<50).map { "<section id=\"s\(String(UnicodeScalar(97 + $0 % 26)!))\($0 / 26 == 0 ? "" : "b")\"></section>" }.joined()
            + "</body></html>").utf8))
        #expect(many.templateBlocks(limit: 10).count == 10)
    }
}
