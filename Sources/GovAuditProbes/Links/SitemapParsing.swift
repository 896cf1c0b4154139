/// The two sitemap sources, read without an XML library: `Sitemap:` lines of robots.txt, and
/// the `<loc>` entries of a sitemap (urlset) or sitemap index. Bounded: at most `maxLocations`
/// entries are kept, the rest counted; the body itself is bounded by the HTTP client's cap.
enum SitemapParsing {
    /// The URLs of robots.txt's `Sitemap:` lines (the field name in any case; comments dropped).
    static func robotsSitemaps(_ text: String, max: Int) -> [String] {
        var out: [String] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "sitemap" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty, !out.contains(value) { out.append(value) }
            if out.count >= max { break }
        }
        return out
    }

    struct Sitemap: Equatable {
        /// urlset or sitemapindex; nil when the body is neither (an HTML error page, say).
        var format: String?
        var locations: [String]
        var dropped: Int
    }

    /// The root element decides the format; every `<loc>` (with or without a namespace prefix)
    /// is one entry, entities and CDATA decoded, whitespace trimmed. One pass over the bytes.
    static func parse(_ b: [UInt8], maxLocations: Int) -> Sitemap {
        var i = 0
        var format: String?
        var locations: [String] = [], dropped = 0
        while i < b.count {
            guard b[i] == 0x3C else { i += 1; continue }                    // "<"
            if starts(b, i, "<!--") { i = find(b, i + 4, "-->").map { $0 + 3 } ?? b.count; continue }
            if starts(b, i, "<![CDATA[") { i = find(b, i + 9, "]]>").map { $0 + 3 } ?? b.count; continue }
            if i + 1 < b.count, b[i + 1] == 0x3F || b[i + 1] == 0x21 || b[i + 1] == 0x2F {   // <? <! </
                i = find(b, i + 1, ">").map { $0 + 1 } ?? b.count
                continue
            }
            var j = i + 1
            while j < b.count, b[j] != 0x3E, b[j] != 0x20, b[j] != 0x09, b[j] != 0x0A, b[j] != 0x0D, b[j] != 0x2F, j - i < 64 { j += 1 }
            let qualified = String(decoding: b[(i + 1)..<j], as: UTF8.self).lowercased()
            let name = qualified.split(separator: ":").last.map(String.init) ?? qualified
            guard let close = find(b, j, ">") else { break }
            i = close + 1
            if format == nil {
                guard name == "urlset" || name == "sitemapindex" else { return Sitemap(format: nil, locations: [], dropped: 0) }
                format = name
                continue
            }
            guard name == "loc", b[close - 1] != 0x2F else { continue }
            // The content runs to the next "<" that is not a CDATA section's.
            var end = i
            while end < b.count, b[end] != 0x3C || starts(b, end, "<![CDATA[") {
                if starts(b, end, "<![CDATA[") { end = find(b, end + 9, "]]>").map { $0 + 3 } ?? b.count } else { end += 1 }
            }
            guard locations.count < maxLocations else { dropped += 1; i = end; continue }
            let value = decode(String(decoding: b[i..<end], as: UTF8.self)[...])
            if !value.isEmpty { locations.append(value) }
            i = end
        }
        return Sitemap(format: format, locations: locations, dropped: dropped)
    }

    private static func starts(_ b: [UInt8], _ i: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        return s.withUTF8Buffer { u in (0..<n).allSatisfy { b[i + $0] == u[$0] } }
    }

    private static func find(_ b: [UInt8], _ from: Int, _ s: StaticString) -> Int? {
        var i = from
        while i < b.count { if starts(b, i, s) { return i }; i += 1 }
        return nil
    }

    /// XML text: CDATA unwrapped, the five entities and numeric references decoded.
    static func decode(_ raw: Substring) -> String {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasPrefix("<![CDATA["), s.hasSuffix("]]>") { return String(s.dropFirst(9).dropLast(3)).trimmingCharacters(in: .whitespaces) }
        guard s.contains("&") else { return s }
        var out = ""
        while let amp = s.firstIndex(of: "&") {
            out += s[..<amp]
            guard let semi = s[amp...].firstIndex(of: ";"), s.distance(from: amp, to: semi) <= 10 else { out += "&"; s = String(s[s.index(after: amp)...]); continue }
            let entity = s[s.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                let digits = entity.dropFirst(hex ? 2 : 1)
                if entity.hasPrefix("#"), let n = UInt32(digits, radix: hex ? 16 : 10), let u = Unicode.Scalar(n) { out.unicodeScalars.append(u) }
                else { out += "&" + entity + ";" }
            }
            s = String(s[s.index(after: semi)...])
        }
        return out + s
    }
}
