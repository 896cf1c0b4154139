/// Untrusted text made visible. Inventories, policies, spreadsheets and scanned sites are
/// untrusted: an escape sequence could rewrite the screen, a bidi override could reverse what an
/// official reads, a line break could forge a second error line. Control characters and
/// bidi/invisible formatting characters become `\u{…}` escapes; everything else, Vietnamese
/// included, is kept as it is. The terminal renderers and every error message go through here.
public enum VisibleText {
    /// `text` with every dangerous scalar escaped; `keepNewlines` leaves `\n` alone (for
    /// messages of several lines whose lines are each escaped).
    public static func escaped(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isDangerous($0) && !(keepNewlines && $0 == "\n") }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isDangerous(scalar), !(keepNewlines && scalar == "\n") {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 and C1 controls (ESC included), zero-width and bidi formatting characters, the BOM.
    public static func isDangerous(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: true          // C0 and C1 controls, ESC included
        case 0x200B...0x200F, 0x2028...0x202E: true  // zero-width, marks, separators, embeddings
        case 0x2060...0x2069: true                   // word joiner, isolates
        case 0xFEFF, 0xFFF9...0xFFFB: true           // BOM, annotation characters
        default: false
        }
    }
}

/// Where bytes stop being UTF-8, for messages that name the line and the byte.
public enum UTF8Position {
    public struct Invalid: Sendable, Hashable {
        /// 1-based line and column (in bytes from the line's start) of the first bad byte.
        public var line: Int
        public var column: Int
        public var byte: UInt8

        /// `byte 0xD5 at column 4`.
        public var description: String {
            "byte 0x\(String(byte, radix: 16, uppercase: true)) at column \(column)"
        }
    }

    /// The first byte that does not start a valid UTF-8 sequence; nil when all of `bytes` is UTF-8.
    public static func firstInvalid(_ bytes: some Collection<UInt8>) -> Invalid? {
        var line = 1, column = 1
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        // The decoder reports an error without saying which byte; walk the bytes alongside it.
        var consumed = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                for _ in 0..<UTF8.width(s) { _ = consumed.next() }
                if s == "\n" { line += 1; column = 1 } else { column += UTF8.width(s) }
            case .emptyInput:
                return nil
            case .error:
                return Invalid(line: line, column: column, byte: consumed.next() ?? 0)
            }
        }
    }
}
