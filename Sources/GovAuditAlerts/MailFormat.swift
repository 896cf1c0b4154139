import Foundation

/// An alert as an RFC 5322 message: multipart/alternative with a plain-text and an HTML part
/// (UTF-8, base64, so no line is too long and no body line can end the SMTP data), the subject
/// RFC 2047-encoded, the Message-ID built from the idempotency id.
public enum MailFormat {
    /// The whole message, CRLF line ends.
    public static func message(_ text: AlertText, from: String, to: [String], date: Date) -> [UInt8] {
        let id = text.message.id
        let boundary = "govaudit-" + String(UInt64(truncatingIfNeeded: id.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }), radix: 16)
        let headers = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(encodedWord(text.subject))",
            "Date: \(rfc5322(date))",
            "Message-ID: \(messageID(id, from: from))",
            "X-GovAudit-Alert-Id: \(id.filter { $0.isASCII && !$0.isNewline })",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        var lines = headers + [""]
        for (type, body) in [("text/plain", text.plain), ("text/html", text.html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += base64Lines(Array(body.utf8))
        }
        lines += ["--\(boundary)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// `<id@domain>`: the idempotency id with only the characters a Message-ID may carry, at the
    /// sender's domain, so a retried delivery is recognisable as the same message.
    public static func messageID(_ id: String, from: String) -> String {
        let local = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0)) ? $0 : "." })
        let domain = from.split(separator: "@").last.map(String.init) ?? "govaudit.invalid"
        return "<\(local)@\(domain)>"
    }

    /// RFC 2047 encoded words for a header value: plain printable ASCII is left as is; anything
    /// else becomes `=?UTF-8?B?…?=` words of at most 75 characters, split between characters
    /// (never inside one's UTF-8 bytes), folded onto continuation lines.
    public static func encodedWord(_ value: String) -> String {
        if value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) && value.count <= 900 {
            return value
        }
        // 45 bytes give 60 base64 characters: 12 more for "=?UTF-8?B?" and "?=" make 72.
        var words: [[UInt8]] = [], chunk: [UInt8] = []
        for c in value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") {
            let bytes = Array(String(c).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// Whether `address` is a plain `local@domain` that is safe in a header and an SMTP command:
    /// no space, control character, angle bracket, comma or quote; one `@`.
    public static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.count <= 254 else { return false }
        return address.unicodeScalars.allSatisfy { s in
            s.value > 0x20 && s.value < 0x7F && !"<>()[]\\,;:\"'`".unicodeScalars.contains(s)
        }
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let text = Array(Data(bytes).base64EncodedString().utf8)
        return stride(from: 0, to: text.count, by: 76).map { String(decoding: text[$0 ..< min($0 + 76, text.count)], as: UTF8.self) }
    }

    static func rfc5322(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: date)
    }
}
