import GovAuditCore

/// Turns the bytes of a spreadsheet export into text. Excel writes "CSV UTF-8" (with a
/// byte-order mark), plain "CSV" in the machine's code page, and "Unicode Text" (UTF-16LE with a
/// mark, tab-separated); LibreOffice writes UTF-8 without a mark. We accept UTF-8 (with or
/// without mark) and UTF-16 (with a mark, or plainly recognisable), and refuse anything else
/// with the line and byte where decoding failed, since guessing a legacy code page (Windows-1258,
/// TCVN3) would silently corrupt Vietnamese names.
public enum TextDecoding {
    public enum Encoding: String, Sendable { case utf8, utf8BOM = "utf8-bom", utf16LE = "utf16le", utf16BE = "utf16be" }

    public static func decode(_ bytes: [UInt8], file: String) throws(InputError) -> (String, Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (try utf8(Array(bytes.dropFirst(3)), file: file), .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return (try utf16(Array(bytes.dropFirst(2)), littleEndian: true, file: file), .utf16LE) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (try utf16(Array(bytes.dropFirst(2)), littleEndian: false, file: file), .utf16BE) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        // UTF-16 without a mark: ASCII-heavy text has a zero in every other byte.
        if bytes.count >= 4, bytes.count % 2 == 0 {
            let evenZeros = stride(from: 0, to: bytes.count, by: 2).filter { bytes[$0] == 0 }.count
            let oddZeros = stride(from: 1, to: bytes.count, by: 2).filter { bytes[$0] == 0 }.count
            let half = bytes.count / 2
            if oddZeros * 3 > half, evenZeros == 0 { return (try utf16(bytes, littleEndian: true, file: file), .utf16LE) }
            if evenZeros * 3 > half, oddZeros == 0 { return (try utf16(bytes, littleEndian: false, file: file), .utf16BE) }
        }
        return (try utf8(bytes, file: file), .utf8)
    }

    private static func utf8(_ bytes: [UInt8], file: String) throws(InputError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let bad = UTF8Position.firstInvalid(bytes)
        throw InputError(SourceLocation(file: file, line: bad?.line),
                         "not UTF-8 or UTF-16 text: \(bad?.description ?? "invalid bytes") cannot be decoded "
                         + "(legacy code pages such as Windows-1258 or TCVN3 are not read; "
                         + "save the sheet as \"CSV UTF-8\" or \"Unicode Text\")")
    }

    private static func utf16(_ bytes: [UInt8], littleEndian: Bool, file: String) throws(InputError) -> String {
        guard bytes.count % 2 == 0 else {
            throw InputError(SourceLocation(file: file), "UTF-16 text with an odd number of bytes (truncated file?)")
        }
        let units = stride(from: 0, to: bytes.count, by: 2).map { i -> UInt16 in
            littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
        }
        var text = ""
        var line = 1
        for result in Unicode.UTF16.decodeLazily(units) {
            guard let scalar = result else {
                throw InputError(SourceLocation(file: file, line: line), "invalid UTF-16 (an unpaired surrogate)")
            }
            if scalar == "\n" { line += 1 }
            text.unicodeScalars.append(scalar)
        }
        return text
    }
}

extension Unicode.UTF16 {
    /// Decodes code units, yielding nil for each invalid sequence.
    static func decodeLazily(_ units: [UInt16]) -> [Unicode.Scalar?] {
        var out: [Unicode.Scalar?] = []
        var iterator = units.makeIterator()
        var decoder = Unicode.UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error: out.append(nil)
            }
        }
        return out
    }
}

/// A minimal RFC 4180 reader: quoted fields may hold separators, quotes (doubled) and line
/// breaks. Each record keeps the line it starts on, for messages.
public enum CSVReader {
    public struct Record: Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// Guesses the separator from the header line: the most frequent of comma, semicolon (Excel
    /// in locales with a decimal comma) and tab (Excel's "Unicode Text").
    public static func separator(for text: String) -> Character {
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let counts: [(Character, Int)] = [",", ";", "\t"].map { c in (c, header.filter { $0 == c }.count) }
        return counts.max { $0.1 < $1.1 }.flatMap { $0.1 > 0 ? $0.0 : nil } ?? ","
    }

    public static func records(_ text: String, separator: Character, file: String) throws(InputError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var inQuotes = false, quotedFieldEnded = false
        var chars = Array(text)
        if chars.last != "\n" && chars.last != "\r\n" { chars.append("\n") }
        var i = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) {  // skip blank lines
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 }
                    else { inQuotes = false; quotedFieldEnded = true }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c == "\r\n" ? "\n" : c)
                }
            } else if c == "\"" {
                guard field.isEmpty, !quotedFieldEnded else {
                    throw InputError(SourceLocation(file: file, line: line),
                                     "a quote inside an unquoted field; quote the whole field and double inner quotes")
                }
                inQuotes = true
            } else if c == separator {
                fields.append(field)
                field = ""
                quotedFieldEnded = false
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endRecord()
                line += 1
                recordLine = line
                quotedFieldEnded = false
            } else {
                guard !quotedFieldEnded else {
                    throw InputError(SourceLocation(file: file, line: line), "text after a closing quote")
                }
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw InputError(SourceLocation(file: file, line: recordLine), "a quoted field is never closed")
        }
        return records
    }
}
