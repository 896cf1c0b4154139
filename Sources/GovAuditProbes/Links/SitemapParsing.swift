/// The two sitemap sources, read without an XML library: `Sitemap:` lines of robots.txt, and
/// the `<loc>` entries of a sitemap (urlset) or sitemap index. Bounded: at most `maxLocations`
/// entries are kept, the rest counted; the body itself is bounded by the HTTP client's cap.
enum SitemapParsing {
    /// The URLs of robots.txt's `Sitemap:` lines (the field name in any case; comments dropped).
    static func robotsSitemaps(_ text: String, max: Int) -> [String] {
        var out: [String] = []
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
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
    /// is one entry, entities and CDATA decoded, whitespace trimmed.
    static func parse(_ bytes: [UInt8], maxLocations: Int) -> Sitemap {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let format = rootElement(text), format == "urlset" || format == "sitemapindex" else {
            return Sitemap(format: nil, locations: [], dropped: 0)
        }
        var locations: [String] = [], dropped = 0
        var rest = text[...]
        while let open = rest.range(of: "loc>") {
            // "<loc>" or "<prefix:loc>": the character before "loc>" is "<" or ":".
            let before = rest[..<open.lowerBound].last
            guard before == "<" || before == ":", let close = rest[open.upperBound...].range(of: "</") else {
                rest = rest[open.upperBound...]
                continue
            }
            let value = decode(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
            guard !value.isEmpty else { continue }
            if locations.count < maxLocations { locations.append(value) } else { dropped += 1 }
        }
        return Sitemap(format: format, locations: locations, dropped: dropped)
    }

    /// The first element's local name, past the XML declaration, comments and doctype.
    static func rootElement(_ text: String) -> String? {
        var rest = text[...]
        while let lt = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: lt)...]
            if after.hasPrefix("?") || after.hasPrefix("!") {
                let end = after.hasPrefix("!--") ? after.range(of: "-->")?.upperBound : after.firstIndex(of: ">").map { after.index(after: $0) }
                guard let end else { return nil }
                rest = rest[end...]
                continue
            }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == ":" || $0 == "_" || $0 == "-" }
            return name.split(separator: ":").last.map { String($0).lowercased() }
        }
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
