import Foundation
import GovAuditCore
import Testing
@testable import GovAuditHTML

/// Pages read as the character set they declare, in the HTML standard's order, through glibc's
/// iconv for the legacy Vietnamese sets; an unreadable page says so.
@Suite("Page decoding")
struct PageDecodingTests {
    /// "Nhà cái uy tín – cá cược" in windows-1258, written as glibc writes it (base letters and
    /// combining tone marks: 0xFD ư, 0xF5 ơ, 0xF2 dot below…).
    let cp1258: [UInt8] = Array("Nh".utf8) + [0xE0] + Array(" c".utf8) + [0xE1] + Array("i uy t".utf8) + [0xED] + Array("n".utf8)
        + Array(" - c".utf8) + [0xE1] + Array(" c".utf8) + [0xFD, 0xF5, 0xF2] + Array("c".utf8)

    func html(_ head: String, _ body: [UInt8]) -> [UInt8] {
        Array("<html><head>\(head)<title>t</title></head><body><p>".utf8) + body + Array("</p></body></html>".utf8)
    }

    @Test("iconv: windows-1258, TCVN 5712 and VISCII to UTF-8; a bad byte becomes U+FFFD and is counted; an unknown set is an error")
    func iconv() throws {
        let r = try Iconv.toUTF8(cp1258, from: "CP1258").get()
        #expect(String(decoding: r.utf8, as: UTF8.self).precomposedStringWithCanonicalMapping == "Nhà cái uy tín - cá cược")
        #expect(r.replaced == 0)
        // The other two sets through a round trip: glibc's iconv(1) encodes, the wrapper decodes.
        for set in ["TCVN5712-1", "VISCII"] {
            let encoded = try #require(Self.encode("Tiếng Việt, đá gà", to: set))
            let back = try Iconv.toUTF8(encoded, from: set).get()
            #expect(String(decoding: back.utf8, as: UTF8.self).precomposedStringWithCanonicalMapping == "Tiếng Việt, đá gà", "\(set)")
        }
        let bad = try Iconv.toUTF8([0x61, 0xFF, 0x62], from: "UTF-8").get()
        #expect(String(decoding: bad.utf8, as: UTF8.self) == "a\u{FFFD}b" && bad.replaced == 1)
        guard case .failure(let f) = Iconv.toUTF8([0x61], from: "NO-SUCH-SET") else { Issue.record("decoded"); return }
        #expect(f == .unknownCharset("NO-SUCH-SET"))
    }

    @Test("the order: a BOM beats the header, the header beats <meta>, <meta> beats the default")
    func order() {
        let page = html(#"<meta charset="windows-1258">"#, cp1258)
        let meta = PageDecoding.decode(page, contentType: "text/html")
        #expect(meta.charset == "CP1258" && meta.source == .meta && meta.text.contains("Nhà cái uy tín - cá cược"))
        let header = PageDecoding.decode(page, contentType: "text/html; charset=UTF-8")
        #expect(header.source == .httpHeader && header.charset == "UTF-8" && header.replaced > 0)
        let bom = PageDecoding.decode([0xEF, 0xBB, 0xBF] + Array("<p>Việt</p>".utf8), contentType: "text/html; charset=windows-1258")
        #expect(bom.source == .bom && bom.charset == "UTF-8" && bom.text == "<p>Việt</p>")
        // Undeclared: UTF-8 when valid, else windows-1258 (the standard's default for Vietnamese).
        #expect(PageDecoding.decode(Array("<p>Việt</p>".utf8), contentType: nil).charset == "UTF-8")
        let guessed = PageDecoding.decode(html("", cp1258), contentType: "text/html")
        #expect(guessed.source == .default && guessed.charset == "CP1258" && guessed.text.contains("cá cược"))
    }

    @Test("<meta http-equiv=Content-Type>, quotes, comments, case; a meta inside a comment or after <body> is not one")
    func metaForms() {
        #expect(CharsetSniffing.metaCharset(Array(#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1258">"#.utf8)) == "windows-1258")
        #expect(CharsetSniffing.metaCharset(Array("<meta charset=tcvn>".utf8)) == "tcvn")
        #expect(CharsetSniffing.metaCharset(Array("<!-- <meta charset=viscii> --><meta charset='utf-8'>".utf8)) == "utf-8")
        #expect(CharsetSniffing.metaCharset(Array("<body><meta charset=viscii>".utf8)) == nil)
        #expect(CharsetSniffing.metaCharset(Array("<metadata charset=viscii>".utf8)) == nil)
        #expect(CharsetSniffing.charset(ofContentType: #"text/html;charset="x-cp1258""#) == "x-cp1258")
        #expect(CharsetSniffing.iconvName("x-cp1258") == "CP1258" && CharsetSniffing.iconvName("TCVN") == "TCVN5712-1")
        #expect(CharsetSniffing.iconvName("utf-8//TRANSLIT") == nil)
    }

    @Test("keywords of a windows-1258 page are found in its decoded text")
    func keywordsAfterDecoding() {
        let d = PageDecoding.decode(html(#"<meta charset="windows-1258">"#, cp1258), contentType: "text/html")
        let doc = HTMLDocument(decoded: d)
        #expect(VietnameseText.matches(doc.texts.visible, keywords: ["nhà cái uy tín", "cá cược"]) == ["nhà cái uy tín", "cá cược"])
        // Read as UTF-8, as before, the same page has no keyword left.
        #expect(VietnameseText.matches(HTMLDocument(parsing: html("", cp1258)).texts.visible, keywords: ["cá cược"]).isEmpty)
    }

    @Test("could not decode: a charset nobody decodes, a page set in VNI or TCVN3 fonts; never silently read")
    func unreadable() {
        let unknown = PageDecoding.decode(html(#"<meta charset="x-no-such-set">"#, Array("abc".utf8)), contentType: nil)
        #expect(unknown.unreadable?.lowercased().contains("x-no-such-set") == true && unknown.text.contains("abc"))
        let vni = PageDecoding.decode(Array(#"<html><head><style>body { font-family: "VNI-Times", serif }</style></head><body>Vieät Nam</body></html>"#.utf8),
                                      contentType: "text/html; charset=iso-8859-1")
        #expect(vni.charset == "CP1252" && vni.unreadable?.contains("VNI-Times") == true)
        let tcvn3 = PageDecoding.decode(Array(#"<font face=".VnTime">Ch\#u{00AD}¬ng tr×nh</font>"#.utf8), contentType: nil)
        #expect(tcvn3.unreadable?.contains(".VnTime") == true)
        // A domain ending in .vn in a style is not a font.
        let clean = PageDecoding.decode(Array(#"<div style="background:url(https://angiang.gov.vn/Vnlogo.png)">Việt</div>"#.utf8), contentType: nil)
        #expect(clean.unreadable == nil)
    }

    static func encode(_ s: String, to set: String) -> [UInt8]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", set]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        guard (try? p.run()) != nil else { return nil }
        input.fileHandleForWriting.write(Data(s.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? Array(data) : nil
    }
}
