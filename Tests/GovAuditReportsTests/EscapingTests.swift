import Foundation
import GovAuditCore
import Testing
@testable import GovAuditReports

@Suite("escaping and Vietnamese formatting")
struct EscapingTests {
    @Test("HTML: markup and quotes escaped for text and attributes; controls and bidi made visible")
    func html() {
        #expect(ReportEscape.html("<a href=\"x\" title='y'>&</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(ReportEscape.html("abc\u{202E}def") == "abc\\u{202E}def")
        #expect(ReportEscape.html("\u{1B}[31mđỏ") == "\\u{1B}[31mđỏ")
        // NFD input comes out NFC.
        #expect(ReportEscape.html("Vie\u{0302}\u{0323}t") == "Việt")
    }

    @Test("CSV: a leading =, +, -, @, tab or CR gets a quote mark; quotes doubled")
    func csv() {
        #expect(ReportEscape.csv("=1+1") == "\"'=1+1\"")
        #expect(ReportEscape.csv("+84 296") == "\"'+84 296\"")
        #expect(ReportEscape.csv("-2") == "\"'-2\"")
        #expect(ReportEscape.csv("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(ReportEscape.csv("\tx") == "\"'\\u{9}x\"")
        #expect(ReportEscape.csv("\r=x") == "\"'\\u{D}=x\"")
        #expect(ReportEscape.csv("Sở \"Tư pháp\", An Giang") == "\"Sở \"\"Tư pháp\"\", An Giang\"")
        #expect(ReportEscape.csv("a=1") == "\"a=1\"")
    }

    @Test("Markdown: pipes, brackets, tags escaped; newlines flattened; code spans fenced past backticks")
    func markdown() {
        #expect(ReportEscape.markdown("a | b") == "a \\| b")
        #expect(ReportEscape.markdown("[x](https://kuwin.example) <b>") == "\\[x\\](https://kuwin.example) \\<b\\>")
        // The visible escape's backslash is itself escaped, so Markdown shows it.
        #expect(ReportEscape.markdown("dòng 1\ndòng 2") == "dòng 1\\\\u{A}dòng 2")
        #expect(ReportEscape.markdownCode("a`b|c") == "`` a`b\\|c ``")
        #expect(ReportEscape.markdownCode("https://kuwin.example/") == "` https://kuwin.example/ `")
    }

    @Test("Vietnamese numbers with a decimal comma, English with a point; dates dd/mm/yyyy")
    func formatting() {
        let vi = ReportText(.vi), en = ReportText(.en)
        #expect(vi.percent(94.2) == "94,2%" && en.percent(94.2) == "94.2%")
        #expect(vi.percent(100) == "100%" && vi.percent(200.0 / 3) == "66,7%" && vi.percent(nil) == "–")
        #expect(vi.ratio(64, 64) == "64/64" && vi.ratio(0, 0) == "–")
        let d = CalendarDate(year: 2026, month: 2, day: 1)!
        #expect(vi.date(d) == "01/02/2026" && en.date(d) == "2026-02-01")
        // 2026-11-30T17:30Z is 01/12/2026 00:30 in Asia/Ho_Chi_Minh.
        #expect(vi.time(Date(timeIntervalSince1970: 1_796_059_800)) == "01/12/2026 00:30 (UTC+7)")
    }
}
