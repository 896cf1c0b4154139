import Foundation

/// A page's bytes as text, decoded the way a browser does it (`CharsetSniffing`'s order), with
/// what was used and what could not be read. Facts for the evidence; the rules say what an
/// unreadable page means (never "clean").
public struct PageDecoding: Sendable, Equatable {
    /// The iconv name of the character set used (UTF-8, CP1258, TCVN5712-1, VISCII, CP1252…).
    public var charset: String
    public var source: CharsetSniffing.Source
    /// Bytes that did not decode in that set (each became U+FFFD).
    public var replaced: Int
    /// Why the text cannot be read as written, when it cannot: a charset iconv does not know,
    /// or Vietnamese written through a legacy font encoding (VNI, TCVN3) that no charset
    /// declares. Nil when the text reads.
    public var unreadable: String?
    /// The text: UTF-8, NFC for the legacy sets (whose tone marks come as combining marks).
    public var text: String

    /// The font families whose glyphs, not their characters, carry Vietnamese: VNI-Times,
    /// .VnTime and their kin. A page set in them reads as Latin-1 nonsense.
    static let legacyFontPattern = try! NSRegularExpression(pattern: #"(?<![A-Za-z])(VNI[- ][A-Z][A-Za-z]*|\.Vn[A-Z][A-Za-z]*)"#)

    /// Decodes `bytes`, whose HTTP Content-Type is `contentType` (nil when the server sent none).
    public static func decode(_ bytes: [UInt8], contentType: String?) -> PageDecoding {
        var body = bytes
        let charset: String, source: CharsetSniffing.Source
        if let bom = CharsetSniffing.bom(bytes) {
            (charset, source) = (bom.charset, .bom)
            body.removeFirst(bom.length)
        } else if let label = contentType.flatMap(CharsetSniffing.charset(ofContentType:)) {
            guard let name = CharsetSniffing.iconvName(label) else { return unknown(label, .httpHeader, bytes) }
            (charset, source) = (name, .httpHeader)
        } else if let label = CharsetSniffing.metaCharset(bytes) {
            guard let name = CharsetSniffing.iconvName(label) else { return unknown(label, .meta, bytes) }
            // The prescan read ASCII bytes: a page that found it cannot be UTF-16 (the standard's rule).
            (charset, source) = (name.hasPrefix("UTF-16") ? "UTF-8" : name, .meta)
        } else {
            // Undeclared: UTF-8 when it is valid, else the HTML standard's default for a
            // Vietnamese reader, windows-1258.
            (charset, source) = (String(validating: bytes, as: UTF8.self) != nil ? "UTF-8" : "CP1258", .default)
        }
        var decoded: PageDecoding
        if charset == "UTF-8" {
            let text = String(decoding: body, as: UTF8.self)
            let replaced = String(validating: body, as: UTF8.self) == nil ? replacements(body) : 0
            decoded = PageDecoding(charset: charset, source: source, replaced: replaced, unreadable: nil, text: text)
        } else {
            switch Iconv.toUTF8(body, from: charset) {
            case .failure(.unknownCharset):
                return unknown(charset, source, bytes)
            case .failure(.noMemory):
                return PageDecoding(charset: charset, source: source, replaced: 0, unreadable: "out of memory while decoding", text: "")
            case .success(let r):
                decoded = PageDecoding(charset: charset, source: source, replaced: r.replaced, unreadable: nil,
                                       text: String(decoding: r.utf8, as: UTF8.self).precomposedStringWithCanonicalMapping)
            }
        }
        if let font = legacyFont(in: decoded.text) {
            decoded.unreadable = "written in the legacy font encoding of \(font) (VNI/TCVN3): the characters are not the text people see"
        }
        return decoded
    }

    /// A charset nobody here can decode: the text is kept as UTF-8 with replacements, so the
    /// references (ASCII URLs) are still seen, and the page is marked unreadable.
    private static func unknown(_ label: String, _ source: CharsetSniffing.Source, _ bytes: [UInt8]) -> PageDecoding {
        PageDecoding(charset: String(label.prefix(40)), source: source, replaced: replacements(bytes),
                     unreadable: "the character set '\(label.prefix(40))' is not one this build decodes",
                     text: String(decoding: bytes, as: UTF8.self))
    }

    /// How many U+FFFD the UTF-8 repair makes, less those written in the page.
    static func replacements(_ bytes: [UInt8]) -> Int {
        let written = String(decoding: bytes, as: UTF8.self).unicodeScalars.lazy.filter { $0 == "\u{FFFD}" }.count
        let genuine = bytes.indices.dropLast(2).lazy.filter { bytes[$0] == 0xEF && bytes[$0 + 1] == 0xBF && bytes[$0 + 2] == 0xBD }.count
        return written - genuine
    }

    /// The first legacy Vietnamese font the page names in a `face`, a `font-family` or a style
    /// sheet, searched in the first part of the page only (the head and the template name them).
    static func legacyFont(in text: String) -> String? {
        let ns = String(text.prefix(200_000)) as NSString
        var found: String?
        legacyFontPattern.enumerateMatches(in: ns as String, range: NSRange(location: 0, length: ns.length)) { m, _, stop in
            guard let m else { return }
            // Only where a font is named: after face= or font-family / font: within the same declaration.
            let before = ns.substring(with: NSRange(location: max(0, m.range.location - 80), length: min(80, m.range.location))).lowercased()
            if before.range(of: #"(face\s*=|font(-family)?\s*:)[^;>{}<]*$"#, options: .regularExpression) != nil {
                found = ns.substring(with: m.range(at: 1))
                stop.pointee = true
            }
        }
        return found
    }
}
