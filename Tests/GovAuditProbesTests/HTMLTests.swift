import Foundation
import GovAuditCore
import Testing
@testable import GovAuditHTML

@Suite("Vietnamese folding")
struct VietnameseTextTests {
    @Test("diacritics, đ, case and separators fold away", arguments: [
        ("Nhà Cái Uy Tín", "nha cai uy tin"), ("ĐÁ GÀ trực tiếp", "da ga truc tiep"), ("soi-cau_mien/bac", "soi cau mien bac"),
        ("Tài xỉu", "tai xiu"), ("  cá   cược!! ", "ca cuoc"), ("Vie\u{0323}\u{0302}t", "viet"), ("xsmn2024", "xsmn2024"),
    ])
    func fold(input: String, folded: String) {
        #expect(VietnameseText.fold(input) == folded)
    }

    /// The definition `fold` implements scalar by scalar, through Foundation's decomposition of
    /// the whole string.
    static func foldedByDefinition(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "đ", with: "d")
        var out = "", space = true
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                out.unicodeScalars.append(scalar)
                space = false
            } else if !space {
                out.append(" ")
                space = true
            }
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }

    @Test("folding scalar by scalar gives what the definition gives, over Latin, Vietnamese, Greek, Cyrillic, CJK, Hangul and marks")
    func foldMatchesDefinition() {
        let ranges: [ClosedRange<UInt32>] = [0x20...0x24F, 0x300...0x36F, 0x370...0x3FF, 0x400...0x4FF, 0x1E00...0x1EFF,
                                             0x2000...0x206F, 0x3000...0x303F, 0x4E00...0x4E3F, 0xAC00...0xAC3F, 0xFF00...0xFF5F]
        let scalars = ranges.flatMap { $0.compactMap(Unicode.Scalar.init) }
        // Every scalar alone, and runs of them, so that separators and joined marks are seen too.
        for s in scalars { #expect(VietnameseText.fold(String(s)) == Self.foldedByDefinition(String(s)), "U+\(String(s.value, radix: 16))") }
        for start in stride(from: 0, to: scalars.count, by: 7) {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<min(scalars.count, start + 11)])
            #expect(VietnameseText.fold(String(text)) == Self.foldedByDefinition(String(text)))
        }
        let sentence = "Cổng thông tin điện tử Tỉnh AN GIANG — Sở Thông tin & Truyền thông; ĐẮK LẮK 2024!"
        #expect(VietnameseText.fold(sentence) == Self.foldedByDefinition(sentence))
    }

    @Test("keywords match whole words, with or without diacritics")
    func matching() {
        let keywords = ["cá cược", "nổ hũ", "slot", "soi cầu"]
        #expect(VietnameseText.matches("Trang ca cuoc bong da", keywords: keywords) == ["cá cược"])
        #expect(VietnameseText.matches("https://x.example/soi-cau-mien-bac", keywords: keywords) == ["soi cầu"])
        #expect(VietnameseText.matches("Slotted time for the meeting", keywords: keywords).isEmpty)
        #expect(VietnameseText.matches("Hội nghị tổng kết", keywords: keywords).isEmpty)
    }
}

@Suite("HTML parsing and page analysis")
struct HTMLTests {
    func doc(_ html: String) -> HTMLDocument { HTMLDocument(parsing: Array(html.utf8)) }

    @Test("references with anchor text, title and alt; base href; document order")
    func references() {
        let d = doc("""
        <html><head><base href="https://a.gov.vn/x/"><title>Trang</title></head><body>
        <a href="/tin" title="Tin tức">Tin <b>mới</b></a><a href="https://k.example/"><img src="l.png" alt="nhà cái"></a>
        <iframe src="https://f.example/" width="0" height="0"></iframe><form action="/tim"></form>
        <script src="http://cdn.example/a.js"></script><link rel="stylesheet" href="s.css"><img srcset="b.png 2x">
        </body></html>
        """)
        let refs = d.references
        #expect(refs.map(\.element) == ["a", "a", "img", "iframe", "form", "script", "link", "img"])
        #expect(refs[0].text == "Tin mới" && refs[0].title == "Tin tức")
        #expect(refs[1].alt == "nhà cái")
        #expect(refs[3].hiding == "zero-size")
        #expect(refs.last?.url == "b.png")
        #expect(d.baseHref == "https://a.gov.vn/x/" && d.title == "Trang")
    }

    @Test("hiding techniques on the element or an ancestor", arguments: [
        (#"<div style="display: none"><a href="x">a</a></div>"#, "display:none"),
        (#"<a href="x" style="visibility:hidden !important">a</a>"#, "visibility:hidden"),
        (#"<p style="font-size:0px"><span><a href="x">a</a></span></p>"#, "font-size:0"),
        (#"<div style="position:absolute;left:-9999px"><a href="x">a</a></div>"#, "off-screen"),
        (#"<div style="text-indent:-5000px"><a href="x">a</a></div>"#, "off-screen"),
        (#"<div style="height:0;overflow:hidden"><a href="x">a</a></div>"#, "zero-size"),
        (#"<div hidden><a href="x">a</a></div>"#, "hidden-attribute"),
        (#"<a href="x" style="opacity:0">a</a>"#, "opacity:0"),
    ])
    func hiding(html: String, technique: String) {
        #expect(doc(html).references.first?.hiding == technique)
    }

    @Test("visible links and ordinary styles are not hidden")
    func visible() {
        let d = doc(#"<div style="position:relative;left:-10px;font-size:12px;height:20px"><a href="x">a</a></div>"#)
        #expect(d.references.first?.hiding == nil)
    }

    @Test("meta refresh and script redirects")
    func redirects() {
        let d = doc("""
        <meta http-equiv="Refresh" content="0; URL='https://k.example/m'">
        <script>var a = 1; window.location.href = "https://k.example/j";</script>
        <script>setTimeout(function(){ location.replace('https://k.example/r') }, 10)</script>
        <script src="x.js">location = "https://ignored.example/"</script>
        """)
        #expect(d.metaRefresh == "https://k.example/m")
        #expect(d.scriptRedirects == ["https://k.example/j", "https://k.example/r"])
    }

    @Test("visible and hidden text are told apart; scripts and styles are not text")
    func texts() {
        let d = doc(#"<p>Tin tức</p><div style="display:none">nổ hũ</div><script>var casino=1</script><style>.x{}</style>"#)
        #expect(d.texts.visible == "Tin tức")
        #expect(d.texts.hidden == "nổ hũ")
    }

    @Test("hostile input: NUL bytes, invalid UTF-8, absurd nesting parse without crashing")
    func hostile() {
        let nul = HTMLDocument(parsing: Array("<a href=\"/a\">x</a>".utf8) + [0] + Array("<a href=\"/b\">y</a>".utf8))
        #expect(nul.references.map(\.url) == ["/a", "/b"])
        let bad = HTMLDocument(parsing: [0x3C, 0x61, 0x20, 0x68, 0x72, 0x65, 0x66, 0x3D, 0x22, 0xFF, 0xFE, 0x22, 0x3E, 0x78])
        #expect(bad.references.count == 1)
        // 20,000 nested elements (100 KB) would take gumbo seconds: containers past twice maxDepth
        // are flattened, and the link at the bottom is still there.
        let deep = HTMLDocument(parsing: Array((String(repeating: "<div>", count: 20_000) + "<a href=\"/z\">z</a>").utf8))
        #expect(deep.nodes.count < HTMLDocument.maxDepth + 40)
        #expect(deep.references.map(\.url) == ["/z"])
    }

    @Test("a gambling link under hundreds or thousands of nested divs is analysed, text and siblings too",
          arguments: [500, 1_700, 5_000])
    func deepLink(_ levels: Int) {
        let html = String(repeating: "<div><span>", count: levels / 2) + #"<a href="https://kuwin88.example/x">nhà cái uy tín</a>"#
            + #"<p>đá gà</p><a href="/after">sau</a>"# + String(repeating: "</span></div>", count: levels / 2)
            + #"<a href="/end">cuối</a>"#
        let d = HTMLDocument(parsing: Array(html.utf8))
        #expect(d.references.map(\.url) == ["https://kuwin88.example/x", "/after", "/end"])
        #expect(d.references.first?.text == "nhà cái uy tín")
        #expect(d.texts.visible.contains("đá gà"))
        let deepest = d.nodes.indices.map { d.ancestors(of: $0).count }.max() ?? 0
        #expect(deepest <= HTMLDocument.maxDepth + 20)
    }
}
