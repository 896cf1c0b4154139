import Testing
@testable import GovAuditCore

@Suite("Visible text and UTF-8 positions")
struct VisibleTextTests {
    @Test("controls, bidi and invisible characters are escaped; Vietnamese is kept as it is")
    func escaping() {
        #expect(VisibleText.escaped("Tỉnh An Giang – Sở TT&TT") == "Tỉnh An Giang – Sở TT&TT")
        #expect(VisibleText.escaped("a\u{1B}[31mb\u{202E}c\u{200B}d\u{9B}e\u{FEFF}") == "a\\u{1B}[31mb\\u{202E}c\\u{200B}d\\u{9B}e\\u{FEFF}")
        #expect(VisibleText.escaped("one\ntwo\u{7}") == "one\\u{A}two\\u{7}")
        #expect(VisibleText.escaped("one\ntwo\u{7}", keepNewlines: true) == "one\ntwo\\u{7}")
    }

    @Test("an input error's message cannot carry a raw escape or forge a second line")
    func inputError() {
        let e = InputError(SourceLocation(file: "inv.yaml", line: 3), field: "systems[0].name", "'\u{1B}]0;x\u{7}\nfake:1: ok' is bad")
        #expect(e.description == "inv.yaml:3: systems[0].name: '\\u{1B}]0;x\\u{7}\\u{A}fake:1: ok' is bad")
    }

    @Test("the first byte that is not UTF-8, with its line and column")
    func positions() {
        #expect(UTF8Position.firstInvalid(Array("Tỉnh\nAn Giang\n".utf8)) == nil)
        let bad = UTF8Position.firstInvalid(Array("Tỉnh\nSở ".utf8) + [0xD5, 0x41])
        #expect(bad == UTF8Position.Invalid(line: 2, column: 6, byte: 0xD5))  // columns count bytes
        #expect(bad?.description == "byte 0xD5 at column 6")
        // A truncated sequence at the very end, and a lone continuation byte.
        #expect(UTF8Position.firstInvalid([0x61, 0xE1, 0xBB]) == UTF8Position.Invalid(line: 1, column: 2, byte: 0xE1))
        #expect(UTF8Position.firstInvalid([0x80]) == UTF8Position.Invalid(line: 1, column: 1, byte: 0x80))
    }
}
