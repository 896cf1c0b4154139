import Foundation
import Testing
import GovAuditCore

/// The home-page fingerprint and site snapshot drift compares (issue 14, item 6).
@Suite("Drift: text sketch, home fingerprint, site snapshot")
struct DriftFingerprintTests {
    static let menu = "Trang chủ Giới thiệu Tin tức Sự kiện Văn bản pháp luật Thủ tục hành chính Liên hệ Cổng thông tin điện tử tỉnh An Giang"
    static let footer = "Cơ quan chủ quản Ủy ban nhân dân tỉnh An Giang Địa chỉ số Lê Triệu Kiết thành phố Long Xuyên Chịu trách nhiệm chính"

    @Test("the same text is 1; counters, dates, case and diacritics do not count as change")
    func normalised() {
        let a = TextSketch(text: Self.menu + " Lượt truy cập: 123456 Cập nhật 01/12/2026")
        let b = TextSketch(text: Self.menu.uppercased() + " Lượt truy cập: 123999 Cập nhật 02/12/2026")
        #expect(a.similarity(to: a) == 1)
        #expect(a.similarity(to: b) == 1)
        #expect(TextSketch(text: "Sở Tư pháp").similarity(to: TextSketch(text: "so tu phap")) == 1)
        #expect(a.minima.count == 64 * 16 && a.minima.allSatisfy(\.isHexDigit))
        // Stable across processes and builds: a stored sketch stays comparable.
        #expect(TextSketch(text: "cổng thông tin").minima.prefix(16) == TextSketch(text: "Cổng Thông Tin").minima.prefix(16))
    }

    @Test("a replaced text is far; a news portal's new articles keep the template's share")
    func distances() throws {
        let monday = TextSketch(text: Self.menu + " Hội nghị tổng kết công tác chuyển đổi số năm 2026 của tỉnh được tổ chức tại Long Xuyên " + Self.footer)
        let tuesday = TextSketch(text: Self.menu + " Đoàn công tác của Bộ Khoa học và Công nghệ làm việc với tỉnh về phát triển hạ tầng số " + Self.footer)
        let defaced = TextSketch(text: "Hacked by some crew greetings to all members your security is very low we were here")
        let news = try #require(monday.similarity(to: tuesday))
        let replaced = try #require(monday.similarity(to: defaced))
        #expect(news > 0.3 && news < 1, "news \(news)")
        #expect(replaced < 0.1, "replaced \(replaced)")
    }

    @Test("texts without words, and malformed stored sketches")
    func edges() {
        let empty = TextSketch(text: "  123 456 ")
        #expect(empty.words == 0 && empty.minima.isEmpty)
        #expect(empty.similarity(to: TextSketch(text: "")) == 1)
        #expect(empty.similarity(to: TextSketch(text: "tin tức")) == 0)
        #expect(TextSketch(words: 3, minima: "zz").similarity(to: empty) == nil)
    }

    func link(_ element: String, _ url: String, external: Bool = true, redirect: String? = nil) -> PageLink {
        PageLink(element: element, attribute: "src", written: url, url: url, text: "", title: nil, alt: nil, hiding: nil,
                 redirect: redirect, external: external)
    }

    @Test("a snapshot: third-party script and frame hosts, outbound domains without www., the home page's structure")
    func snapshot() throws {
        let home = PageContent(page: "/", url: "https://sotuphap.angiang.gov.vn/", status: 200, title: "Sở Tư pháp", visibleText: Self.menu,
                               hiddenText: "", links: [link("script", "https://cdn.example/a.js?v=12"), link("script", "https://sotuphap.angiang.gov.vn/app.js", external: false),
                                                        link("iframe", "https://www.youtube.com/embed/x"), link("a", "https://www.chinhphu.vn/tin"),
                                                        link("meta", "https://kuwin88.example/", redirect: "meta-refresh"),
                                                        link("a", "https://sotuphap.angiang.gov.vn/tin-tuc", external: false)],
                               template: ["footer", "header#top"])
        let other = PageContent(page: "/tin-tuc", url: "https://sotuphap.angiang.gov.vn/tin-tuc", status: 200, title: "Tin tức", visibleText: "",
                                hiddenText: "", links: [link("script", "https://stats.example/s.js"), link("a", "https://baochinhphu.vn/x")])
        let s = SiteSnapshot(LinkPages(pages: [home, other]))
        #expect(s.scriptHosts == ["cdn.example", "stats.example"])
        #expect(s.frameHosts == ["www.youtube.com"])
        #expect(s.outboundDomains == ["baochinhphu.vn", "chinhphu.vn", "kuwin88.example"])
        let h = try #require(s.home)
        #expect(h.page == "/" && h.template == ["footer", "header#top"])
        #expect(h.scripts == ["https://cdn.example/a.js", "https://sotuphap.angiang.gov.vn/app.js"])
        #expect(h.structureSimilarity(to: h) == 1)
        var older = h
        older.template = nil
        #expect(h.structureSimilarity(to: older) == nil)
        var redesigned = h
        redesigned.template = ["div#wrapper", "div.hacked"]
        redesigned.scripts = []
        redesigned.title = "Hacked"
        #expect(try #require(h.structureSimilarity(to: redesigned)) < 0.2)
    }
}
