import Foundation

/// A JSON value, decoded strictly (true is not 1).
public indirect enum JSON: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    public static func parse(_ text: String) throws -> JSON {
        try JSONDecoder().decode(JSON.self, from: Data(text.utf8))
    }

    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

/// The subset of JSON Schema 2020-12 our schemas use: type, enum, const, required, properties,
/// additionalProperties, items, minItems, maxItems, minimum, maximum, minLength, pattern, oneOf,
/// and local `$ref`s. Unknown keywords are an error, so the schema cannot silently outgrow it.
public struct JSONSchemaValidator {
    public let root: JSON

    public init(root: JSON) {
        self.root = root
    }

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    static let keywords: Set<String> = ["type", "enum", "const", "required", "properties", "additionalProperties",
                                        "items", "minItems", "maxItems", "minimum", "maximum", "minLength",
                                        "pattern", "oneOf", "$ref"]

    /// Every violation, as "path: message".
    public func validate(_ value: JSON) -> [String] {
        var errors: [String] = []
        check(value, against: root, at: "$", into: &errors)
        return errors
    }

    /// Every violation of `value` against the schema's `$defs/<definition>` (refs resolve in the
    /// whole schema).
    public func validate(_ value: JSON, definition: String) -> [String] {
        var errors: [String] = []
        check(value, against: .object(["$ref": .string("#/$defs/\(definition)")]), at: "$", into: &errors)
        return errors
    }

    private func check(_ v: JSON, against schema: JSON, at path: String, into errors: inout [String]) {
        guard case .object(let s) = schema else { errors.append("\(path): schema is not an object"); return }
        for key in s.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): validator does not support keyword '\(key)'")
        }
        if case .string(let ref)? = s["$ref"] {
            guard ref.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(ref.dropFirst(8))] else {
                errors.append("\(path): unresolvable $ref \(ref)"); return
            }
            check(v, against: target, at: path, into: &errors)
        }
        if let t = s["type"] {
            let allowed: [String]
            switch t {
            case .string(let one): allowed = [one]
            case .array(let many): allowed = many.compactMap { if case .string(let x) = $0 { return x } else { return nil } }
            default: allowed = []
            }
            if !allowed.contains(where: { Self.matches(v, type: $0) }) {
                errors.append("\(path): expected \(allowed.joined(separator: " or ")), found \(Self.typeName(v))"); return
            }
        }
        if case .array(let options)? = s["enum"], !options.contains(v) { errors.append("\(path): \(v) is not one of the allowed values") }
        if let c = s["const"], c != v { errors.append("\(path): must equal \(c)") }
        if case .array(let options)? = s["oneOf"] {
            let passing = options.filter { option in
                var sub: [String] = []
                check(v, against: option, at: path, into: &sub)
                return sub.isEmpty
            }.count
            if passing != 1 { errors.append("\(path): matches \(passing) of oneOf's schemas, not exactly one") }
        }
        switch v {
        case .object(let o):
            if case .array(let req)? = s["required"] {
                for case .string(let k) in req where o[k] == nil { errors.append("\(path): missing required '\(k)'") }
            }
            let props: [String: JSON]
            if case .object(let p)? = s["properties"] { props = p } else { props = [:] }
            for (k, value) in o {
                if let ps = props[k] { check(value, against: ps, at: "\(path).\(k)", into: &errors) }
                else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) { errors.append("\(path): unexpected property '\(k)'") }
                    else if case .object = extra { check(value, against: extra, at: "\(path).\(k)", into: &errors) }
                }
            }
        case .array(let a):
            if case .number(let n)? = s["minItems"], Double(a.count) < n { errors.append("\(path): fewer than \(Int(n)) items") }
            if case .number(let n)? = s["maxItems"], Double(a.count) > n { errors.append("\(path): more than \(Int(n)) items") }
            if let items = s["items"] { for (i, x) in a.enumerated() { check(x, against: items, at: "\(path)[\(i)]", into: &errors) } }
        case .number(let n):
            if case .number(let m)? = s["minimum"], n < m { errors.append("\(path): \(n) < minimum \(m)") }
            if case .number(let m)? = s["maximum"], n > m { errors.append("\(path): \(n) > maximum \(m)") }
        case .string(let str):
            if case .number(let m)? = s["minLength"], Double(str.count) < m { errors.append("\(path): shorter than \(Int(m))") }
            if case .string(let p)? = s["pattern"], str.range(of: p, options: .regularExpression) == nil {
                errors.append("\(path): '\(str)' does not match \(p)")
            }
        default: break
        }
    }

    static func matches(_ v: JSON, type: String) -> Bool {
        switch (type, v) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
             ("array", .array), ("object", .object): return true
        case ("integer", .number(let n)): return n == n.rounded()
        default: return false
        }
    }

    static func typeName(_ v: JSON) -> String {
        switch v {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
