import GovAuditCore

/// Makes text safe to print on a terminal, through the core's `VisibleText` (the same escaping
/// every error message gets), and measures and cuts it to columns.
public enum TerminalText {
    public static func sanitize(_ text: String) -> String {
        VisibleText.escaped(text)
    }

    /// Columns a text takes: one per grapheme cluster, two for wide East Asian characters.
    /// Vietnamese letters with stacked marks are single clusters, so they count one each.
    public static func width(_ text: String) -> Int {
        text.reduce(0) { sum, c in
            guard let v = c.unicodeScalars.first?.value else { return sum }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0x1F300...0x1FAFF).contains(v)
            return sum + (wide ? 2 : 1)
        }
    }

    /// Cuts `text` to `max` columns, ending with "…" when cut.
    public static func truncate(_ text: String, to max: Int) -> String {
        guard width(text) > max else { return text }
        var out = ""
        for c in text {
            if width(out + String(c)) > max - 1 { break }
            out.append(c)
        }
        return out + "…"
    }
}

/// ANSI styling, on only when the output is a terminal and NO_COLOR is not set.
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public static let plain = Style(enabled: false)

    private func wrap(_ code: String, _ s: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { wrap("1", s) }
    public func dim(_ s: String) -> String { wrap("2", s) }
    public func red(_ s: String) -> String { wrap("31", s) }
    public func green(_ s: String) -> String { wrap("32", s) }
    public func yellow(_ s: String) -> String { wrap("33", s) }
    public func magenta(_ s: String) -> String { wrap("35", s) }
}

/// A plain-text table: columns padded to the widest cell, cells sanitized and cut to a limit.
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]] = []
    /// Per-column maximum width; cells beyond it are cut with "…".
    public var maxWidths: [Int]

    public init(headers: [String], maxWidths: [Int]? = nil) {
        self.headers = headers
        self.maxWidths = maxWidths ?? Array(repeating: 60, count: headers.count)
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// `colorize` styles a cell after padding (so escape codes do not upset the widths). Cells
    /// are cleaned twice (once for the widths, once to print) rather than held twice: a table of
    /// a large scan's endpoints then costs its rows and its text, not a copy of both.
    public func render(colorize: (Int, String, String) -> String = { _, _, s in s }) -> String {
        func cell(_ c: String, _ i: Int) -> String { TerminalText.truncate(TerminalText.sanitize(c), to: maxWidths[i]) }
        var widths = Array(repeating: 0, count: headers.count)
        for row in [headers] + rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], TerminalText.width(cell(c, i))) } }
        func line(_ row: [String], header: Bool) -> String {
            row.enumerated().map { i, raw -> String in
                let c = cell(raw, i)
                let padded = i == row.count - 1 ? c : c + String(repeating: " ", count: widths[i] - TerminalText.width(c))
                return header ? padded : colorize(i, c, padded)
            }.joined(separator: "  ") + "\n"
        }
        var out = line(headers, header: true)
        out += widths.enumerated().map { i, w in String(repeating: "─", count: i == widths.count - 1 ? min(w, 40) : w) }
            .joined(separator: "  ") + "\n"
        for row in rows { out += line(row, header: false) }
        return out
    }
}
