/// Compact JSON laid out as `JSONEncoder`'s `.prettyPrinted` lays it out, by bytes: two spaces
/// per level, `"key" : value`, one member or element per line, and an empty line inside an
/// empty array or object. Strings are copied as they are (both layouts escape alike), so the
/// JSON text a store keeps becomes, without decoding it, what encoding its value pretty writes.
enum JSONLayout {
    /// `compact` (as `JSONEncoder` writes it without `.prettyPrinted`) appended to `out` pretty,
    /// as a value `depth` levels deep: its first line is not indented, the rest are.
    static func pretty(_ compact: [UInt8], depth: Int, into out: inout [UInt8]) {
        var level = depth
        var inString = false, escaped = false
        var i = 0
        func newline() {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        while i < compact.count {
            let byte = compact[i]
            i += 1
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                out.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i < compact.count && compact[i] == close {
                    out.append(UInt8(ascii: "\n"))
                    newline()
                    out.append(close)
                    i += 1
                } else {
                    level += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                level -= 1
                newline()
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline()
            case UInt8(ascii: ":"):
                out.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
            default:
                out.append(byte)
            }
        }
    }
}
