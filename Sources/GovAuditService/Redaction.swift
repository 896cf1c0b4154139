/// URLs as they may be shown or stored: credentials taken out. Applied to every configured URL
/// (webhook, SMTP server) before it reaches a log line, a message or the database.
/// - `user:password@` (the whole user part) becomes `***@`;
/// - every query value becomes `***` (tokens travel there: `?token=…`, `?sig=…`);
/// - a path segment that looks like a key (16 characters or more, letters and digits mixed,
///   as chat webhooks put their token in the path) becomes `***`.
public enum Redaction {
    public static let mark = "***"

    public static func url(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let scheme = text[..<schemeEnd.upperBound]
        var rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        rest = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            authority = mark + authority[at...]
        }
        var fragment = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = "#" + mark
            rest = rest[..<hash]
        }
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            let pairs = rest[rest.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair.firstIndex(of: "=").map { "\(pair[..<$0])=\(mark)" } ?? String(pair)
            }
            query = "?" + pairs.joined(separator: "&")
            rest = rest[..<q]
        }
        let path = rest.split(separator: "/", omittingEmptySubsequences: false).map { looksLikeKey($0) ? mark : String($0) }
        return scheme + authority + path.joined(separator: "/") + query + fragment
    }

    /// `text` with every URL in it redacted (libraries quote URLs in their error messages).
    public static func text(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out = "", word = ""
        for ch in text {
            if ch.isWhitespace || ch == "\"" || ch == "'" || ch == "<" || ch == ">" {
                out += redactedWord(word) + String(ch)
                word = ""
            } else {
                word.append(ch)
            }
        }
        return out + redactedWord(word)
    }

    /// A word that may be a URL, its closing punctuation ("…/x?k=v:") kept outside.
    private static func redactedWord(_ word: String) -> String {
        var body = Substring(word), tail = ""
        while let last = body.last, ".,;:)".contains(last) {
            tail = String(last) + tail
            body = body.dropLast()
        }
        return url(String(body)) + tail
    }

    /// `text` with every secret's value replaced by `<secret>`: for error texts from libraries
    /// and servers, which may quote what they were sent. Very short values are left alone (a
    /// one-letter "secret" would blank every word).
    public static func secrets(_ text: String, _ secrets: [Secret?]) -> String {
        var out = text
        for s in secrets.compactMap({ $0 }) where s.reveal().count >= 4 {
            out = out.replacingOccurrences(of: s.reveal(), with: "<secret>")
        }
        return out
    }

    static func looksLikeKey(_ segment: Substring) -> Bool {
        segment.count >= 16 && segment.contains(where: \.isNumber) && segment.contains(where: \.isLetter)
    }
}
