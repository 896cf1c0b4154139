// Evidence of the security.txt fetch of the TLS probe (RFC 9116): what
// https://host/.well-known/security.txt answered, the text kept as sent. Which fields are
// required and whether Expires has passed is the https rules' (on the as-of day).

/// The answer to `/.well-known/security.txt` over HTTPS, redirects followed.
public struct SecurityTxt: EvidenceFacts {
    public static let kind = "https.security-txt"
    public static let version = 1
    /// How much of the text is kept: RFC 9116 files are a few hundred bytes.
    public static let keptBytes = 16 * 1024

    /// The URL asked and the one that answered (after redirects).
    public var url: String
    public var finalURL: String
    public var status: Int
    public var contentType: String?
    /// The text (UTF-8, invalid bytes replaced) of a 2xx answer, at most `keptBytes`; empty otherwise.
    public var text: String
    /// The answer was longer than what is kept.
    public var truncated: Bool

    public init(url: String, finalURL: String, status: Int, contentType: String?, text: String, truncated: Bool) {
        self.url = url; self.finalURL = finalURL; self.status = status; self.contentType = contentType
        self.text = text; self.truncated = truncated
    }

    /// The fields as `Name: value` lines (names lowercased), comments and the PGP armour left out,
    /// in the order written.
    public var fields: [(name: String, value: String)] {
        var out: [(String, String)] = []
        var inSignature = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN PGP SIGNATURE") { inSignature = true }
            if line.hasPrefix("-----END PGP SIGNATURE") { inSignature = false; continue }
            guard !inSignature, !line.hasPrefix("#"), !line.hasPrefix("-"), let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, !name.contains(" ") else { continue }
            out.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return out
    }
}
