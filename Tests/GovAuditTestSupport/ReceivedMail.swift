import Foundation

/// Just enough of a mail the SMTP sink received, for the tests: its decoded subject and its
/// plain-text part.
public enum ReceivedMail {
    /// The Subject header unfolded, its RFC 2047 B-encoded words decoded.
    public static func subject(_ mail: String) -> String {
        let unfolded = mail.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        guard let line = unfolded.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("subject:") }) else { return "" }
        var bytes = Data()
        for word in line.dropFirst("subject:".count).split(separator: " ") {
            if word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?=") {
                bytes += Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data()
            } else {
                bytes += Data((bytes.isEmpty ? "" : " ").utf8) + Data(word.utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first (plain-text) part, from its base64.
    public static func plainText(_ mail: String) -> String {
        let parts = mail.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "Content-Transfer-Encoding: base64\n\n")
        guard parts.count > 1 else { return "" }
        let b64 = String(parts[1].prefix { $0 != "-" }).filter { !$0.isWhitespace }
        return String(decoding: Data(base64Encoded: b64) ?? Data(), as: UTF8.self)
    }
}
