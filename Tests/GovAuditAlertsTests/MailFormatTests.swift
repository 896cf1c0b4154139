import Foundation
import GovAuditCore
import Testing
@testable import GovAuditAlerts

@Suite("Alert e-mail format")
struct MailFormatTests {
    @Test("a Vietnamese subject becomes RFC 2047 words of at most 75 characters that decode back, split between characters")
    func rfc2047() throws {
        let subject = "[GovAudit] Tỉnh An Giang: 2 thay đổi xấu đi ở 1 hệ thống — Sở Văn hóa, Thể thao và Du lịch"
        let encoded = MailFormat.encodedWord(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var bytes: [UInt8] = []
        for w in words {
            #expect(w.count <= 75)
            #expect(w.hasPrefix("=?UTF-8?B?") && w.hasSuffix("?="))
            let b64 = String(w.dropFirst(10).dropLast(2))
            let chunk = try #require(Data(base64Encoded: b64))
            // Each word decodes on its own: no character is cut between two words.
            #expect(String(data: chunk, encoding: .utf8) != nil)
            bytes += chunk
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
        #expect(MailFormat.encodedWord("GovAudit: all clear") == "GovAudit: all clear")
        #expect(MailFormat.encodedWord("a\r\nBcc: x@y.z").contains("=?UTF-8?B?"))
    }
}
