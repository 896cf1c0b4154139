import Foundation

/// Compact JSON with keys sorted by their UTF-8 bytes and slashes unescaped: the bytes
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`, made several times
/// faster. Foundation's encoder casts every value dynamically (looking for dates, URLs, data,
/// string-keyed dictionaries) and boxes each container; the store and the JSON report encode
/// every record of a scan, so that cost was a fifth of a large scan's CPU. Here a value's type
/// is compared, never cast, and the tree is written once. `JSONCodingTests` holds the
/// two encoders to the same bytes on every evidence kind, findings, judgements and reports.
///
/// Like `JSONEncoder`'s defaults, a NaN or infinite number throws, `Data` is base64 and `URL`
/// its absolute string; a `Date` is `dateText`'s string, or without one its own encoding.
public struct SortedJSONEncoder {
    public var dateText: (@Sendable (Date) -> String)?

    public init(dateText: (@Sendable (Date) -> String)? = nil) {
        self.dateText = dateText
    }

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let node = try NodeEncoder(dateText: dateText, parent: nil, key: nil).node(for: value)
        var out: [UInt8] = []
        out.reserveCapacity(512)
        node.write(into: &out)
        return out
    }
}

// MARK: - The tree

/// An encoded value. Containers are classes because `Encoder` hands out containers that are
/// filled after they are made.
enum JSONNode {
    case null
    case bool(Bool)
    /// A number's text, as Foundation writes it.
    case number(String)
    case string(String)
    case object(JSONObjectNode)
    case array(JSONArrayNode)
    /// What a super-encoder (or an encoder kept by a custom `encode(to:)`) holds once done.
    case deferred(NodeEncoder)

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += [0x6E, 0x75, 0x6C, 0x6C]
        case .bool(let b): out += b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65]
        case .number(let text): out += text.utf8
        case .string(let s): JSONNode.writeString(s, into: &out)
        case .object(let o): o.write(into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, item) in a.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .deferred(let encoder): encoder.value.write(into: &out)
        }
    }

    /// A JSON string: quote, backslash and control characters escaped (the short forms where
    /// JSON has them, else \u00XX), everything else as its UTF-8 bytes.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                default: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hex = Array("0123456789abcdef".utf8)
}

final class JSONObjectNode {
    var keys: [String] = []
    var values: [JSONNode] = []

    func set(_ key: String, _ value: JSONNode) {
        keys.append(key)
        values.append(value)
    }

    /// Sorted by key bytes; a key set twice keeps its last value, as Foundation's does.
    func write(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var order = Array(keys.indices)
        if !isSorted {
            order.sort { a, b in
                let (ka, kb) = (keys[a], keys[b])
                return ka == kb ? a < b : ka.utf8.lexicographicallyPrecedes(kb.utf8)
            }
        }
        var first = true
        for (n, i) in order.enumerated() {
            if n + 1 < order.count, keys[order[n + 1]] == keys[i] { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONNode.writeString(keys[i], into: &out)
            out.append(UInt8(ascii: ":"))
            values[i].write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Strictly ascending already (types whose keys are declared in order).
    private var isSorted: Bool {
        var previous: String?
        for k in keys {
            if let p = previous, !p.utf8.lexicographicallyPrecedes(k.utf8) { return false }
            previous = k
        }
        return true
    }
}

final class JSONArrayNode {
    var items: [JSONNode] = []
}

// MARK: - The encoder

final class NodeEncoder: Encoder {
    let dateText: (@Sendable (Date) -> String)?
    /// The coding path, kept as a chain (made into an array only when asked for).
    private let parent: NodeEncoder?
    private let key: CodingKey?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private var result: JSONNode?
    private var object: JSONObjectNode?
    private var array: JSONArrayNode?

    init(dateText: (@Sendable (Date) -> String)?, parent: NodeEncoder?, key: CodingKey?) {
        self.dateText = dateText
        self.parent = parent
        self.key = key
    }

    var codingPath: [CodingKey] {
        var path: [CodingKey] = []
        var at: NodeEncoder? = self
        while let e = at {
            if let k = e.key { path.append(k) }
            at = e.parent
        }
        return path.reversed()
    }

    /// What was encoded; a value that encodes nothing is an empty object, as with Foundation.
    var value: JSONNode { result ?? .object(JSONObjectNode()) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let o: JSONObjectNode
        if let object { o = object } else {
            o = JSONObjectNode()
            object = o
            result = .object(o)
        }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(encoder: self, object: o))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        let a: JSONArrayNode
        if let array { a = array } else {
            a = JSONArrayNode()
            array = a
            result = .array(a)
        }
        return UnkeyedNodeContainer(encoder: self, array: a)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleNodeContainer(encoder: self) }

    func set(_ node: JSONNode) { result = node }

    func child(_ key: CodingKey?) -> NodeEncoder { NodeEncoder(dateText: dateText, parent: self, key: key) }

    /// `value`'s node: scalars by their type (a comparison of metatypes, no cast), the rest by
    /// their own `encode(to:)`.
    func node<T: Encodable>(for value: T, key: CodingKey? = nil) throws -> JSONNode {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return .number(String(unsafeBitCast(value, to: Int.self))) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self), key) }
        if T.self == Date.self {
            let date = unsafeBitCast(value, to: Date.self)
            if let dateText { return .string(dateText(date)) }
        } else if T.self == URL.self {
            return .string(unsafeBitCast(value, to: URL.self).absoluteString)
        } else if T.self == Data.self {
            return .string(unsafeBitCast(value, to: Data.self).base64EncodedString())
        } else if T.self == Decimal.self {
            return .number(unsafeBitCast(value, to: Decimal.self).description)
        }
        let encoder = child(key)
        try value.encode(to: encoder)
        return encoder.value
    }

    /// Foundation's text for a finite number: Swift's shortest form, without a trailing ".0".
    func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, _ key: CodingKey?) throws -> JSONNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: key.map { codingPath + [$0] } ?? codingPath,
                                                          debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: NodeEncoder
    let object: JSONObjectNode
    var codingPath: [CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { object.set(key.stringValue, try encoder.number(value, key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { object.set(key.stringValue, try encoder.number(value, key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(key.stringValue, .number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try encoder.node(for: value, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = encoder.child(key)
        object.set(key.stringValue, .deferred(nested))
        return nested.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let nested = encoder.child(key)
        object.set(key.stringValue, .deferred(nested))
        return nested.unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> Encoder {
        let nested = encoder.child(nil)
        object.set(name, .deferred(nested))
        return nested
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let encoder: NodeEncoder
    let array: JSONArrayNode
    var codingPath: [CodingKey] { encoder.codingPath }
    var count: Int { array.items.count }

    mutating func encodeNil() throws { array.items.append(.null) }
    mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { array.items.append(try encoder.number(value, nil)) }
    mutating func encode(_ value: Float) throws { array.items.append(try encoder.number(value, nil)) }
    mutating func encode(_ value: Int) throws { array.items.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { array.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { array.items.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { array.items.append(try encoder.node(for: value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = encoder.child(nil)
        array.items.append(.deferred(nested))
        return nested.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let nested = encoder.child(nil)
        array.items.append(.deferred(nested))
        return nested.unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        let nested = encoder.child(nil)
        array.items.append(.deferred(nested))
        return nested
    }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.set(.null) }
    mutating func encode(_ value: Bool) throws { encoder.set(.bool(value)) }
    mutating func encode(_ value: String) throws { encoder.set(.string(value)) }
    mutating func encode(_ value: Double) throws { encoder.set(try encoder.number(value, nil)) }
    mutating func encode(_ value: Float) throws { encoder.set(try encoder.number(value, nil)) }
    mutating func encode(_ value: Int) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { encoder.set(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { encoder.set(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.set(try encoder.node(for: value)) }
}
