import Foundation

/// WordprocessingML fragments, as strings: runs, paragraphs and tables with direct formatting.
/// Every text passes `text(_:)`, which makes untrusted text inert and XML-safe. Sizes are in
/// half-points (26 = 13 pt), lengths in twentieths of a point (567 ≈ 1 cm).
enum WordML {
    struct Font: Sendable {
        var size = 26
        var bold = false
        var italic = false
        var underline = false
    }

    struct Paragraph: Sendable {
        enum Align: String, Sendable { case left, center, right, both }
        var align: Align = .left
        var firstLine = 0
        var before = 0
        var after = 0
        /// 240 = single; 1.15 lines = 276.
        var line = 240
        var keepNext = false
        var pageBreakBefore = false
    }

    /// NFC, controls and bidi overrides shown as `\u{…}`, noncharacters XML forbids too, and
    /// the five XML specials escaped.
    static func text(_ s: String) -> String {
        var out = ""
        for scalar in ReportEscape.xmlInert(s).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func run(_ s: String, _ f: Font = Font()) -> String {
        var props = ""
        if f.bold { props += "<w:b/><w:bCs/>" }
        if f.italic { props += "<w:i/><w:iCs/>" }
        if f.underline { props += "<w:u w:val=\"single\"/>" }
        props += "<w:sz w:val=\"\(f.size)\"/><w:szCs w:val=\"\(f.size)\"/>"
        return "<w:r><w:rPr>\(props)</w:rPr><w:t xml:space=\"preserve\">\(text(s))</w:t></w:r>"
    }

    static func paragraph(_ runs: [String], _ p: Paragraph = Paragraph()) -> String {
        var props = ""
        if p.keepNext { props += "<w:keepNext/>" }
        if p.pageBreakBefore { props += "<w:pageBreakBefore/>" }
        props += "<w:spacing w:before=\"\(p.before)\" w:after=\"\(p.after)\" w:line=\"\(p.line)\" w:lineRule=\"auto\"/>"
        if p.firstLine > 0 { props += "<w:ind w:firstLine=\"\(p.firstLine)\"/>" }
        props += "<w:jc w:val=\"\(p.align.rawValue)\"/>"
        return "<w:p><w:pPr>\(props)</w:pPr>\(runs.joined())</w:p>"
    }

    /// The short solid line the form draws under the issuer and under the subject: an empty
    /// paragraph one line-gap high whose bottom border runs `length` long, centred in `within`.
    static func rule(length: Int, within: Int, after: Int = 0) -> String {
        let indent = max(0, (within - length) / 2)
        return "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>"
            + "<w:spacing w:before=\"0\" w:after=\"\(after)\" w:line=\"80\" w:lineRule=\"exact\"/>"
            + "<w:ind w:left=\"\(indent)\" w:right=\"\(indent)\"/><w:rPr><w:sz w:val=\"8\"/></w:rPr></w:pPr></w:p>"
    }

    /// One paragraph of one run.
    static func line(_ s: String, _ f: Font = Font(), _ p: Paragraph = Paragraph()) -> String {
        paragraph(s.isEmpty ? [] : [run(s, f)], p)
    }

    /// A table of fixed column widths. `bordered`: single lines around every cell (the attached
    /// list); otherwise none at all (the header and signature blocks, laid out side by side).
    /// `header`: the first row repeats on each page. Cells hold paragraphs.
    static func table(widths: [Int], rows: [[String]], bordered: Bool, header: Bool = false) -> String {
        let line = bordered ? "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"" : "w:val=\"nil\""
        let borders = ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(line)/>" }.joined()
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
            + "<w:tblBorders>\(borders)</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            + "<w:tblCellMar><w:left w:w=\"70\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        out += "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for (r, row) in rows.enumerated() {
            out += "<w:tr>" + (header && r == 0 ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>")
            for (c, cell) in row.enumerated() {
                let content = cell.isEmpty ? "<w:p/>" : cell
                out += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[c])\" w:type=\"dxa\"/></w:tcPr>\(content)</w:tc>"
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }
}
