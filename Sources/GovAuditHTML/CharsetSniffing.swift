import Foundation

/// Which character set a page says it is in, in the HTML standard's order: a byte-order mark,
/// then the HTTP Content-Type, then a `<meta>` in the head. Labels are the web's (WHATWG),
/// mapped to the names glibc's iconv knows.
public enum CharsetSniffing {
    /// Where the character set came from.
    public enum Source: String, Sendable, Codable { case bom, httpHeader = "http-header", meta, `default` }

    /// The BOM's charset and its length.
    static func bom(_ b: [UInt8]) -> (charset: String, length: Int)? {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", 3) }
        if b.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2) }
        if b.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2) }
        return nil
    }

    /// The `charset` parameter of a Content-Type value, unquoted.
    public static func charset(ofContentType value: String) -> String? {
        for param in value.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: CharacterSet(charactersIn: " \t")).lowercased() == "charset" else { continue }
            let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            return v.isEmpty ? nil : v
        }
        return nil
    }

    /// WHATWG labels → iconv names, for the sets Vietnamese sites serve (and the Latin-1 family,
    /// which the web reads as windows-1252). Other labels go to iconv as written, if plain.
    static let labels: [String: String] = {
        var m: [String: String] = [:]
        for l in ["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"] { m[l] = "UTF-8" }
        for l in ["windows-1258", "cp1258", "x-cp1258"] { m[l] = "CP1258" }
        for l in ["tcvn", "tcvn-5712", "tcvn5712-1", "tcvn5712-1:1993", "x-viet-tcvn5712", "tcvn3"] { m[l] = "TCVN5712-1" }
        for l in ["viscii", "csviscii", "x-viet-viscii"] { m[l] = "VISCII" }
        for l in ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252",
                  "x-cp1252", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "ansi_x3.4-1968"] { m[l] = "CP1252" }
        for l in ["utf-16", "utf-16le", "unicode", "ucs-2"] { m[l] = "UTF-16LE" }
        m["utf-16be"] = "UTF-16BE"
        return m
    }()

    /// The iconv name for a label; nil when the label is not a plain name (iconv must never see
    /// `//TRANSLIT` or a path from a page).
    public static func iconvName(_ label: String) -> String? {
        let l = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let known = labels[l] { return known }
        guard !l.isEmpty, l.count <= 40, l.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else { return nil }
        return l.uppercased()
    }

    /// How far into the page a `<meta>` charset is looked for: the standard's prescan reads
    /// 1,024 bytes, but browsers also switch on a later one in the head, so the whole head (to
    /// `<body`) is read, within this bound.
    static let metaScanBytes = 65_536

    /// The charset a `<meta charset>` or `<meta http-equiv=Content-Type content="…charset=…">`
    /// declares, comments skipped.
    public static func metaCharset(_ b: [UInt8]) -> String? {
        let end = min(b.count, metaScanBytes)
        var i = 0
        while i < end {
            guard b[i] == 0x3C else { i += 1; continue }                     // "<"
            if matches(b, i, "<!--") {
                i = find(b, i + 4, end, "-->").map { $0 + 3 } ?? end
                continue
            }
            if matches(b, i, "<body") { return nil }
            guard matches(b, i, "<meta"), i + 5 < end, [0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x2F].contains(b[i + 5]) else { i += 1; continue }
            let (attrs, next) = attributes(b, from: i + 5, end: end)
            i = next
            if let c = attrs["charset"], !c.isEmpty { return c }
            if attrs["http-equiv"]?.lowercased() == "content-type", let content = attrs["content"],
               let c = charset(ofContentType: "x;" + content.replacingOccurrences(of: ";", with: " ;")) { return c }
        }
        return nil
    }

    private static func matches(_ b: [UInt8], _ i: Int, _ s: String) -> Bool {
        let u = Array(s.utf8)
        guard i + u.count <= b.count else { return false }
        for (k, c) in u.enumerated() where (b[i + k] | (c >= 0x61 ? 0x20 : 0)) != c { return false }
        return true
    }

    private static func find(_ b: [UInt8], _ from: Int, _ end: Int, _ s: String) -> Int? {
        var i = from
        while i < end { if matches(b, i, s) { return i }; i += 1 }
        return nil
    }

    /// A tag's attributes from after its name to its `>`: names lower-cased, first one wins.
    private static func attributes(_ b: [UInt8], from start: Int, end: Int) -> ([String: String], Int) {
        var out: [String: String] = [:]
        var i = start
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C || c == 0x2F }
        while i < end {
            while i < end, isSpace(b[i]) { i += 1 }
            guard i < end, b[i] != 0x3E else { return (out, i + 1) }
            let nameStart = i
            while i < end, !isSpace(b[i]), b[i] != 0x3D, b[i] != 0x3E { i += 1 }
            let name = String(decoding: b[nameStart..<i], as: UTF8.self).lowercased()
            while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            var value = ""
            if i < end, b[i] == 0x3D {
                i += 1
                while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                if i < end, b[i] == 0x22 || b[i] == 0x27 {
                    let quote = b[i]
                    let vs = i + 1
                    i = vs
                    while i < end, b[i] != quote { i += 1 }
                    value = String(decoding: b[vs..<i], as: UTF8.self)
                    i += 1
                } else {
                    let vs = i
                    while i < end, !isSpace(b[i]) || b[i] == 0x2F, b[i] != 0x3E { i += 1 }
                    value = String(decoding: b[vs..<i], as: UTF8.self)
                }
            }
            if !name.isEmpty, out[name] == nil { out[name] = value }
        }
        return (out, end)
    }
}
