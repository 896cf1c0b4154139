import Foundation
import GovAuditCore
import Testing

@Suite("Trimming without Foundation")
struct TrimmingTests {
    static let samples = ["", " ", "\t", "abc", "  a b  ", "\tvalue\t ", "\u{00A0}nbsp\u{2003}", "\u{3000}全角\u{3000}",
                          "line\n", "\r\nboth\r\n", "\u{2028}sep\u{2029}", " \u{85}next ", "ca\u{0301} ", " \u{0301}mark",
                          "..host.vn..", ".", "max-age=1 ; includeSubDomains"]

    @Test("trimmingSpaces is trimmingCharacters(in: .whitespaces); trimmingWhitespace is .whitespacesAndNewlines")
    func sameAsFoundation() {
        for s in Self.samples {
            #expect(s.trimmingSpaces == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
            #expect(s.trimmingWhitespace == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.debugDescription)")
            #expect(s.trimming(".") == s.trimmingCharacters(in: CharacterSet(charactersIn: ".")), "\(s.debugDescription)")
        }
        #expect(Substring("  x  ").trimmingSpaces == "x")
    }
}
