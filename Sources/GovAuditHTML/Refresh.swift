extension HTMLDocument {
    /// The URL of a refresh declaration (`<meta http-equiv=refresh content>` or the `Refresh`
    /// HTTP header), read as the HTML standard's "shared declarative refresh steps" do: a time
    /// (digits and dots), an optional `;` or `,`, an optional `url=`, optional quotes. Nil when
    /// browsers ignore it (no time) or it only reloads the page (no URL).
    public static func refreshTarget(_ content: String) -> String? {
        let s = Array(content.unicodeScalars)
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
        func skipSpace() { while i < s.count, isSpace(s[i]) { i += 1 } }
        func lower(_ c: Unicode.Scalar) -> Unicode.Scalar { c.properties.lowercaseMapping.unicodeScalars.first ?? c }
        skipSpace()
        let timeStart = i
        while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
        let digits = i > timeStart
        while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "." { i += 1 }
        guard digits || i > timeStart else { return nil }
        skipSpace()
        if i < s.count, s[i] == ";" || s[i] == "," { i += 1 }
        skipSpace()
        guard i < s.count else { return nil }
        var urlStart = i
        var quoteCheck = true
        // "url" then optional spaces and "=": skipped when complete; otherwise the URL starts
        // where "url" did (the standard's jumps to "parse").
        if lower(s[i]) == "u" {
            var j = i + 1
            if j + 1 < s.count, lower(s[j]) == "r", lower(s[j + 1]) == "l" {
                j += 2
                while j < s.count, isSpace(s[j]) { j += 1 }
                if j < s.count, s[j] == "=" {
                    j += 1
                    while j < s.count, isSpace(s[j]) { j += 1 }
                    urlStart = j
                } else {
                    quoteCheck = false
                }
            } else {
                quoteCheck = false
            }
        }
        var body = Array(s[urlStart...])
        if quoteCheck, let q = body.first, q == "'" || q == "\"" {
            body.removeFirst()
            if let end = body.firstIndex(of: q) { body = Array(body[..<end]) }
        }
        var url = String(String.UnicodeScalarView(body))
        url = String(url.drop { $0.isWhitespace || ($0.asciiValue ?? 0x21) < 0x20 }.reversed().drop { $0.isWhitespace }.reversed())
        return url.isEmpty ? nil : url
    }
}
