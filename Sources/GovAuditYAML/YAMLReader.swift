import Foundation
import GovAuditCore

/// Collects the errors found while reading a document, so a checker reports all of them at once.
public final class Diagnostics {
    public private(set) var errors: [InputError] = []

    public init() {}

    public func report(_ node: YAMLNode, _ message: String) {
        errors.append(InputError(node.location, field: node.path.isEmpty ? nil : node.path, message))
    }

    public func report(_ error: InputError) {
        errors.append(error)
    }

    /// Throws the collected errors, if any.
    public func throwIfAny() throws(InputErrors) {
        if !errors.isEmpty { throw InputErrors(errors) }
    }
}

/// Reads one YAML mapping field by field. Every accessor reports a missing or mistyped field to
/// `diagnostics` with its line and path and returns nil; `finish()` reports keys nobody read, so
/// a misspelt field (`dosier:`) is an error instead of being silently ignored.
public final class MappingReader {
    public let node: YAMLNode
    public let diagnostics: Diagnostics
    private let pairs: [(key: String, keyLine: Int, value: YAMLNode)]
    private var read = Set<String>()

    /// Nil (and an error reported) when `node` is not a mapping.
    public init?(_ node: YAMLNode, _ diagnostics: Diagnostics) {
        guard case .mapping(let pairs) = node.value else {
            diagnostics.report(node, "expected a mapping (key: value lines), found \(node.kindName)")
            return nil
        }
        self.node = node
        self.diagnostics = diagnostics
        self.pairs = pairs
    }

    /// The keys present, in file order.
    public var keys: [String] { pairs.map(\.key) }

    /// The raw node of `key`, or nil (reported when `required`). A null value counts as absent.
    public func node(_ key: String, required: Bool = false) -> YAMLNode? {
        read.insert(key)
        if let pair = pairs.first(where: { $0.key == key }) {
            if case .null = pair.value.value {
                if required { diagnostics.report(pair.value, "a value is required") }
                return nil
            }
            return pair.value
        }
        if required {
            diagnostics.report(InputError(node.location, field: YAMLDocument.join(node.path, key),
                                          "missing required field"))
        }
        return nil
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        guard let n = node(key, required: required) else { return nil }
        guard case .scalar(let s, _) = n.value else {
            diagnostics.report(n, "expected text, found \(n.kindName)")
            return nil
        }
        if required && s.trimmingCharacters(in: .whitespaces).isEmpty {
            diagnostics.report(n, "must not be empty")
            return nil
        }
        return s
    }

    public func int(_ key: String, required: Bool = false, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let n = node(key, required: required) else { return nil }
        guard case .scalar(let s, _) = n.value, let v = Int(s) else {
            diagnostics.report(n, "expected a whole number, found \(describe(n))")
            return nil
        }
        if let range, !range.contains(v) {
            diagnostics.report(n, "\(v) is outside \(range.lowerBound)–\(range.upperBound)")
            return nil
        }
        return v
    }

    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let n = node(key, required: required) else { return nil }
        guard case .scalar(let s, _) = n.value else {
            diagnostics.report(n, "expected yes or no, found \(n.kindName)")
            return nil
        }
        switch s.lowercased() {
        case "true", "yes", "có", "co": return true
        case "false", "no", "không", "khong": return false
        default:
            diagnostics.report(n, "expected yes or no, found '\(s)'")
            return nil
        }
    }

    public func date(_ key: String, required: Bool = false) -> CalendarDate? {
        guard let n = node(key, required: required) else { return nil }
        guard case .scalar(let s, _) = n.value, let d = CalendarDate(parsing: s) else {
            diagnostics.report(n, "expected a date YYYY-MM-DD, found \(describe(n))")
            return nil
        }
        return d
    }

    /// A value of a string enumeration; the message lists the allowed values.
    public func choice<E: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false,
                                                          as type: E.Type = E.self) -> E?
    where E.RawValue == String {
        guard let n = node(key, required: required) else { return nil }
        guard case .scalar(let s, _) = n.value, let v = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            diagnostics.report(n, "expected one of \(allowed), found \(describe(n))")
            return nil
        }
        return v
    }

    public func mapping(_ key: String, required: Bool = false) -> MappingReader? {
        node(key, required: required).flatMap { MappingReader($0, diagnostics) }
    }

    /// A list; a single scalar is not accepted as a one-element list (that hides mistakes).
    public func list(_ key: String, required: Bool = false) -> [YAMLNode]? {
        guard let n = node(key, required: required) else { return nil }
        guard case .sequence(let items) = n.value else {
            diagnostics.report(n, "expected a list, found \(n.kindName)")
            return nil
        }
        return items
    }

    /// A list of text values.
    public func strings(_ key: String, required: Bool = false) -> [String]? {
        list(key, required: required)?.compactMap { item in
            guard case .scalar(let s, _) = item.value else {
                diagnostics.report(item, "expected text, found \(item.kindName)")
                return nil
            }
            return s
        }
    }

    /// Reports every key that no accessor asked for.
    public func finish() {
        for pair in pairs where !read.contains(pair.key) {
            let known = read.sorted().joined(separator: ", ")
            diagnostics.report(InputError(.init(file: node.location.file, line: pair.keyLine),
                                          field: YAMLDocument.join(node.path, pair.key),
                                          "unknown field (known here: \(known))"))
        }
    }

    private func describe(_ n: YAMLNode) -> String {
        if case .scalar(let s, _) = n.value { return "'\(s)'" }
        return n.kindName
    }
}

extension YAMLNode {
    /// The scalar text, or nil for mappings, lists and null.
    public var scalar: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }
}
