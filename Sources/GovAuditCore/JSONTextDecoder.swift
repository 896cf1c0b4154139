import Foundation

/// Decodes JSON text as `JSONDecoder` does with its default strategies (a `Date` by
/// `dateFromText`, if given), several times faster on what the store reads back: the text is
/// parsed once into a tape (one entry per value, each container knowing where it ends), and a
/// value is read from the tape only when its type asks for it. `JSONCodingTests` holds it
/// to Foundation's results on every evidence kind, findings and judgements, and to its errors.
public struct JSONTextDecoder {
    public var dateFromText: (@Sendable (String) throws -> Date)?
    public var userInfo: [CodingUserInfoKey: any Sendable]

    public init(dateFromText: (@Sendable (String) throws -> Date)? = nil, userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.dateFromText = dateFromText
        self.userInfo = userInfo
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let tape = try JSONTape(bytes)
        let decoder = TapeDecoder(tape: tape, index: 0, options: .init(dateFromText: dateFromText, userInfo: userInfo),
                                  parent: nil, key: nil)
        return try decoder.value(type, at: 0, key: nil)
    }
}

// MARK: - The tape

/// Every value of a document in order: a container's entry is followed by its members (for
/// an object, each key's string entry then its value), and says where its members end.
struct JSONTape {
    enum Kind: UInt8 { case null, bool, number, string, object, array }

    struct Entry {
        var kind: Kind
        /// Strings: whether the text holds an escape.
        var escaped = false
        /// The value's bytes (a string's without its quotes); containers: their member count.
        var start: Int32
        var end: Int32
        /// The index after this value and everything inside it.
        var after: Int32
    }

    let bytes: [UInt8]
    private(set) var entries: [Entry] = []

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        entries.reserveCapacity(bytes.count / 8)
        var i = 0
        try bytes.withUnsafeBufferPointer { b in
            try parseValue(b, &i, depth: 0)
            skipSpace(b, &i)
            guard i == b.count else { throw Self.corrupted("unexpected bytes after the JSON value at offset \(i)") }
        }
    }

    static func corrupted(_ why: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON: \(why)."))
    }

    private func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func parseValue(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, depth: Int) throws {
        guard depth < 512 else { throw Self.corrupted("nesting deeper than 512 levels") }
        skipSpace(b, &i)
        guard i < b.count else { throw Self.corrupted("unexpected end of data") }
        let here = entries.count
        switch b[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let object = b[i] == UInt8(ascii: "{")
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            entries.append(Entry(kind: object ? .object : .array, start: 0, end: 0, after: 0))
            i += 1
            var members: Int32 = 0
            skipSpace(b, &i)
            if i < b.count, b[i] == close {
                i += 1
            } else {
                while true {
                    if object {
                        skipSpace(b, &i)
                        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Self.corrupted("a key expected at offset \(i)") }
                        try parseString(b, &i)
                        skipSpace(b, &i)
                        guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Self.corrupted("':' expected at offset \(i)") }
                        i += 1
                    }
                    try parseValue(b, &i, depth: depth + 1)
                    members += 1
                    skipSpace(b, &i)
                    guard i < b.count else { throw Self.corrupted("unexpected end of data") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard b[i] == close else { throw Self.corrupted("',' or '\(Character(Unicode.Scalar(close)))' expected at offset \(i)") }
                    i += 1
                    break
                }
            }
            entries[here].start = members
            entries[here].after = Int32(entries.count)
        case UInt8(ascii: "\""):
            try parseString(b, &i)
        case UInt8(ascii: "t"): try literal(b, &i, "true", .bool)
        case UInt8(ascii: "f"): try literal(b, &i, "false", .bool)
        case UInt8(ascii: "n"): try literal(b, &i, "null", .null)
        default:
            let start = i
            while i < b.count, Self.isNumberByte(b[i]) { i += 1 }
            guard i > start else { throw Self.corrupted("unexpected character at offset \(i)") }
            entries.append(Entry(kind: .number, start: Int32(start), end: Int32(i), after: Int32(here + 1)))
        }
    }

    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }

    private mutating func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ word: StaticString, _ kind: Kind) throws {
        let n = word.utf8CodeUnitCount
        guard b.count - i >= n, memcmp(b.baseAddress! + i, word.utf8Start, n) == 0 else {
            throw Self.corrupted("unexpected character at offset \(i)")
        }
        entries.append(Entry(kind: kind, start: Int32(i), end: Int32(i + n), after: Int32(entries.count + 1)))
        i += n
    }

    private mutating func parseString(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws {
        let start = i + 1
        var j = start, escaped = false
        while j < b.count {
            let c = b[j]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") { escaped = true; j += 2; continue }
            if c < 0x20 { throw Self.corrupted("an unescaped control character in a string at offset \(j)") }
            j += 1
        }
        guard j < b.count else { throw Self.corrupted("unterminated string") }
        entries.append(Entry(kind: .string, escaped: escaped, start: Int32(start), end: Int32(j), after: Int32(entries.count + 1)))
        i = j + 1
    }

    // MARK: Reading values

    func string(_ e: Entry) throws -> String {
        try bytes.withUnsafeBufferPointer { b in
            let raw = UnsafeBufferPointer(rebasing: b[Int(e.start)..<Int(e.end)])
            guard e.escaped else { return try Self.utf8(raw) }
            return try Self.utf8(Self.unescaped(raw))
        }
    }

    private static func utf8<C: Collection<UInt8>>(_ bytes: C) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw corrupted("a string is not valid UTF-8") }
        return s
    }

    private static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count, let v = UInt32(String(decoding: raw[at..<(at + 4)], as: UTF8.self), radix: 16) else {
                throw corrupted("a bad \\u escape")
            }
            return v
        }
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
            guard i + 1 < raw.count else { throw corrupted("a string ends in a backslash") }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") else {
                        throw corrupted("an unpaired surrogate")
                    }
                    let low = try hex4(i + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw corrupted("an unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                guard let u = Unicode.Scalar(scalar) else { throw corrupted("an unpaired surrogate") }
                out.append(contentsOf: String(Character(u)).utf8)
            default: throw corrupted("a bad escape")
            }
        }
        return out
    }

    /// A number's text (short: no allocation).
    func text(_ e: Entry) -> String { String(decoding: bytes[Int(e.start)..<Int(e.end)], as: UTF8.self) }
}

// MARK: - The decoder

final class TapeDecoder: Decoder {
    struct Options {
        var dateFromText: (@Sendable (String) throws -> Date)?
        var userInfo: [CodingUserInfoKey: any Sendable]
    }

    let tape: JSONTape
    let index: Int
    let options: Options
    private let parent: TapeDecoder?
    private let key: CodingKey?

    init(tape: JSONTape, index: Int, options: Options, parent: TapeDecoder?, key: CodingKey?) {
        self.tape = tape
        self.index = index
        self.options = options
        self.parent = parent
        self.key = key
    }

    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    var codingPath: [CodingKey] {
        var path: [CodingKey] = []
        var at: TapeDecoder? = self
        while let d = at {
            if let k = d.key { path.append(k) }
            at = d.parent
        }
        return path.reversed()
    }

    func path(_ key: CodingKey?) -> [CodingKey] { key.map { codingPath + [$0] } ?? codingPath }

    var entry: JSONTape.Entry { tape.entries[index] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard entry.kind == .object else { throw mismatch([String: Any].self, at: index, key: nil) }
        return KeyedDecodingContainer(try TapeKeyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard entry.kind == .array else { throw mismatch([Any].self, at: index, key: nil) }
        return TapeUnkeyed(decoder: self)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { TapeSingle(decoder: self) }

    func mismatch(_ type: Any.Type, at i: Int, key: CodingKey?) -> DecodingError {
        let found: String = switch tape.entries[i].kind {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "a string"
        case .object: "a dictionary"
        case .array: "an array"
        }
        if tape.entries[i].kind == .null {
            return .valueNotFound(type, .init(codingPath: path(key), debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: path(key), debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    // Scalars straight from the tape.

    func string(at i: Int, key: CodingKey?) throws -> String {
        let e = tape.entries[i]
        guard e.kind == .string else { throw mismatch(String.self, at: i, key: key) }
        return try tape.string(e)
    }

    func bool(at i: Int, key: CodingKey?) throws -> Bool {
        let e = tape.entries[i]
        guard e.kind == .bool else { throw mismatch(Bool.self, at: i, key: key) }
        return tape.bytes[Int(e.start)] == UInt8(ascii: "t")
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type, at i: Int, key: CodingKey?) throws -> I {
        let e = tape.entries[i]
        guard e.kind == .number else { throw mismatch(type, at: i, key: key) }
        if let v = I(tape.text(e), radix: 10) { return v }
        // "1e3" or "2.0" that hold a whole number, as Foundation accepts them.
        if let d = Double(tape.text(e)), d.rounded() == d, let v = I(exactly: d) { return v }
        throw DecodingError.dataCorrupted(.init(codingPath: path(key),
                                                debugDescription: "Parsed JSON number <\(tape.text(e))> does not fit in \(type)."))
    }

    func floating<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type, at i: Int, key: CodingKey?) throws -> F {
        let e = tape.entries[i]
        guard e.kind == .number else { throw mismatch(type, at: i, key: key) }
        guard let v = F(tape.text(e)), v.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(key),
                                                    debugDescription: "Parsed JSON number <\(tape.text(e))> does not fit in \(type)."))
        }
        return v
    }

    /// The value at tape entry `i` as `T`: scalars by their type (a comparison of metatypes),
    /// the rest by their own `init(from:)`.
    func value<T: Decodable>(_ type: T.Type, at i: Int, key: CodingKey?) throws -> T {
        if T.self == String.self { return unsafeBitCast(try string(at: i, key: key), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, at: i, key: key), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(at: i, key: key), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try floating(Double.self, at: i, key: key), to: T.self) }
        if T.self == Date.self, let dateFromText = options.dateFromText {
            let text = try string(at: i, key: key)
            return unsafeBitCast(try dateFromText(text), to: T.self)
        }
        if T.self == URL.self {
            let text = try string(at: i, key: key)
            guard let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path(key), debugDescription: "Invalid URL string."))
            }
            return unsafeBitCast(url, to: T.self)
        }
        if T.self == Data.self {
            let text = try string(at: i, key: key)
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path(key), debugDescription: "Encountered Data is not valid Base64."))
            }
            return unsafeBitCast(data, to: T.self)
        }
        return try T(from: TapeDecoder(tape: tape, index: i, options: options, parent: self, key: key))
    }
}

struct TapeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    /// Each member's key and the tape index of its value.
    let keys: [String]
    let values: [Int]

    init(decoder: TapeDecoder) throws {
        self.decoder = decoder
        let tape = decoder.tape
        let count = Int(decoder.entry.start)
        var keys: [String] = [], values: [Int] = []
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        var i = decoder.index + 1
        for _ in 0..<count {
            keys.append(try tape.string(tape.entries[i]))
            values.append(i + 1)
            i = Int(tape.entries[i + 1].after)
        }
        self.keys = keys
        self.values = values
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var allKeys: [Key] { keys.compactMap { Key(stringValue: $0) } }

    /// The value's tape index; a key given twice reads its last value, as Foundation's does.
    private func find(_ key: Key) -> Int? {
        let name = key.stringValue
        var i = keys.count - 1
        while i >= 0 {
            if keys[i] == name { return values[i] }
            i -= 1
        }
        return nil
    }

    private func at(_ key: Key) throws -> Int {
        guard let i = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                                                       debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return i
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.tape.entries[try at(key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(at: try at(key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.string(at: try at(key), key: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.floating(type, at: try at(key), key: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.floating(type, at: try at(key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.integer(type, at: try at(key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.integer(type, at: try at(key), key: key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.value(type, at: try at(key), key: key) }

    /// The value's tape index when the key is there and not null: one lookup where the
    /// protocol's default `decodeIfPresent` makes three.
    private func present(_ key: Key) -> Int? {
        guard let i = find(key), decoder.tape.entries[i].kind != .null else { return nil }
        return i
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try decoder.value(type, at: $0, key: key) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try decoder.string(at: $0, key: key) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try decoder.integer(type, at: $0, key: key) }
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { try decoder.bool(at: $0, key: key) }
    }

    private func child(_ key: CodingKey, at i: Int) -> TapeDecoder {
        TapeDecoder(tape: decoder.tape, index: i, options: decoder.options, parent: decoder, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key, at: try at(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try child(key, at: try at(key)).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        let key = TapeIndexKey(stringValue: "super")
        guard let i = keys.lastIndex(of: "super") else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key super."))
        }
        return child(key, at: values[i])
    }

    func superDecoder(forKey key: Key) throws -> Decoder { child(key, at: try at(key)) }
}

/// An element's place in a coding path, or the "super" key.
struct TapeIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { (stringValue, self.intValue) = ("Index \(intValue)", intValue) }
}

struct TapeUnkeyed: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    let count: Int?
    private(set) var currentIndex = 0
    private var next: Int

    init(decoder: TapeDecoder) {
        self.decoder = decoder
        count = Int(decoder.entry.start)
        next = decoder.index + 1
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count! }

    /// The next element's tape index, and the position moved past it.
    private mutating func advance<T>(_ type: T.Type) throws -> (Int, CodingKey) {
        let key = TapeIndexKey(intValue: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "Unkeyed container is at end."))
        }
        let i = next
        next = Int(decoder.tape.entries[i].after)
        currentIndex += 1
        return (i, key)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.tape.entries[next].kind == .null else { return false }
        _ = try advance(Never.self)
        return true
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let (i, key) = try advance(type)
        return try decoder.string(at: i, key: key)
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
        let (i, key) = try advance(type)
        return try decoder.integer(type, at: i, key: key)
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let (i, key) = try advance(type)
        return try decoder.bool(at: i, key: key)
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (i, key) = try advance(type)
        return try decoder.value(type, at: i, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (i, key) = try advance(KeyedDecodingContainer<NestedKey>.self)
        return try TapeDecoder(tape: decoder.tape, index: i, options: decoder.options, parent: decoder, key: key).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (i, key) = try advance(UnkeyedDecodingContainer.self)
        return try TapeDecoder(tape: decoder.tape, index: i, options: decoder.options, parent: decoder, key: key).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (i, key) = try advance(Decoder.self)
        return TapeDecoder(tape: decoder.tape, index: i, options: decoder.options, parent: decoder, key: key)
    }
}

struct TapeSingle: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.entry.kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(at: decoder.index, key: nil) }
    func decode(_ type: String.Type) throws -> String { try decoder.string(at: decoder.index, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.floating(type, at: decoder.index, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.floating(type, at: decoder.index, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type, at: decoder.index, key: nil) }
}
