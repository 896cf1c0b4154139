/// Compact JSON laid out as `JSONEncoder`'s `.prettyPrinted` lays it out, by bytes: two spaces
/// per level, `"key" : value`, one member or element per line, and an empty line inside an
/// empty array or object. Strings are copied as they are (both layouts escape alike), so the
/// JSON text a store keeps becomes, without decoding it, what encoding its value pretty writes.
enum JSONLayout {
    /// `compact` (as `JSONEncoder` writes it without `.prettyPrinted`) appended to `out` pretty,
    /// as a value `depth` levels deep: its first line is not indented, the rest are.
    static func pretty(_ compact: [UInt8], depth: Int, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + compact.count + compact.count / 2)
        compact.withUnsafeBufferPointer { bytes in
            var level = depth
            var i = 0
            func newline() {
                out.append(UInt8(ascii: "\n"))
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
            }
            while i < bytes.count {
                let byte = bytes[i]
                i += 1
                switch byte {
                case UInt8(ascii: "\""):
                    // The whole string at once: up to the quote no backslash escapes.
                    var end = i
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                        end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    end = min(end + 1, bytes.count)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(i - 1)..<end]))
                    i = end
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    out.append(byte)
                    let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if i < bytes.count && bytes[i] == close {
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
                    out.append(UInt8(ascii: " "))
                    out.append(UInt8(ascii: ":"))
                    out.append(UInt8(ascii: " "))
                default:
                    out.append(byte)
                }
            }
        }
    }
}
