import Foundation
import GovAuditCore
import GovAuditYAML

/// One parameter a rule evaluator reads: its name and its type, with range or allowed values.
/// The evaluator declares these beside its logic; the policy loader checks every rule's
/// parameters against them under every regime (after the regime's overrides), so a negative
/// `warnDays`, a string where a number belongs, an unknown grade or a misspelt key is an error
/// with file, line and field, and evaluators read typed values with no fallback of their own.
public struct ParameterSpec: Sendable {
    public var name: String
    public var type: ParameterType

    public init(_ name: String, _ type: ParameterType) {
        self.name = name
        self.type = type
    }
}

public indirect enum ParameterType: Sendable {
    case integer(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    /// Text, not empty.
    case text
    /// One of these words.
    case oneOf([String])
    case list(ParameterType)
    /// One value for every level, or a map from level (1–5) to value that covers every level the
    /// rule applies to.
    case perLevel(ParameterType)
    /// A mapping with exactly these keys (each required, no other), every value of one type.
    case record(keys: [String], ParameterType)
    /// A mapping with keys of the policy's choosing (e.g. keyword categories).
    case table(ParameterType)

    /// What is expected, for messages: "a whole number 0–3650".
    var expected: String {
        switch self {
        case .integer(let r): "a whole number \(r.lowerBound)–\(r.upperBound)"
        case .number(let r): "a number \(format(r.lowerBound))–\(format(r.upperBound))"
        case .text: "text"
        case .oneOf(let words): "one of \(words.joined(separator: ", "))"
        case .list(let t): "a list of \(t.expected)"
        case .perLevel(let t): "\(t.expected), or a map from level (1–5) to it"
        case .record(let keys, let t): "a mapping of \(keys.joined(separator: ", ")) to \(t.expected)"
        case .table(let t): "a mapping of names to \(t.expected)"
        }
    }

    private func format(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// Checks `node` (a parameter's value as written) and reports each problem where it is.
    func check(_ node: YAMLNode, _ d: Diagnostics) {
        switch self {
        case .integer(let range):
            guard case .scalar(let s, true) = node.value, let v = Int(s) else { return mismatch(node, d) }
            if !range.contains(v) { d.report(node, "\(v) is outside \(range.lowerBound)–\(range.upperBound)") }
        case .number(let range):
            guard case .scalar(let s, true) = node.value, let v = Double(s), v.isFinite else { return mismatch(node, d) }
            if !range.contains(v) { d.report(node, "\(s) is outside \(format(range.lowerBound))–\(format(range.upperBound))") }
        case .text:
            guard case .scalar(let s, _) = node.value, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return mismatch(node, d) }
        case .oneOf(let words):
            guard case .scalar(let s, _) = node.value, words.contains(s) else { return mismatch(node, d) }
        case .list(let item):
            guard case .sequence(let items) = node.value else { return mismatch(node, d) }
            for i in items { item.check(i, d) }
        case .perLevel(let value):
            guard case .mapping(let pairs) = node.value else { return value.check(node, d) }
            for p in pairs {
                if let level = Int(p.key), SecurityLevel(level) != nil { value.check(p.value, d) }
                else { d.report(InputError(.init(file: node.location.file, line: p.keyLine), field: YAMLDocument.join(node.path, p.key),
                                           "'\(p.key)' is not a level (1–5)")) }
            }
        case .record(let keys, let value):
            guard case .mapping(let pairs) = node.value else { return mismatch(node, d) }
            for p in pairs {
                if keys.contains(p.key) { value.check(p.value, d) }
                else { d.report(InputError(.init(file: node.location.file, line: p.keyLine), field: YAMLDocument.join(node.path, p.key),
                                           "unknown key (known: \(keys.joined(separator: ", ")))")) }
            }
            for k in keys where !pairs.contains(where: { $0.key == k }) {
                d.report(InputError(node.location, field: YAMLDocument.join(node.path, k), "missing key (\(value.expected))"))
            }
        case .table(let value):
            guard case .mapping(let pairs) = node.value else { return mismatch(node, d) }
            for p in pairs { value.check(p.value, d) }
        }
    }

    private func mismatch(_ node: YAMLNode, _ d: Diagnostics) {
        let found: String
        switch node.value {
        case .scalar(let s, let plain): found = plain ? "'\(s)'" : "quoted text \"\(s)\""
        default: found = node.kindName
        }
        d.report(node, "expected \(expected), found \(found)")
    }
}

extension ParameterSpec {
    /// Checks that a rule's parameters under one regime (the rule's own, with that regime's
    /// overrides) hold every declared parameter, and that per-level values cover the rule's
    /// levels. Types were checked where each value was written.
    static func checkComplete(_ specs: [ParameterSpec], _ parameters: Parameters, rule: String, regime: String,
                              levels: Set<Int>, at location: SourceLocation, path: String, _ d: Diagnostics) {
        for spec in specs {
            let field = "\(path).parameters.\(spec.name)"
            guard let value = parameters[spec.name] else {
                d.report(InputError(location, field: field, "rule '\(rule)' needs parameter '\(spec.name)' (regime \(regime))"))
                continue
            }
            if case .perLevel = spec.type, case .map(let byLevel) = value {
                let missing = levels.sorted().filter { byLevel[String($0)] == nil }
                if !missing.isEmpty {
                    d.report(InputError(location, field: field, "no value for level \(missing.map(String.init).joined(separator: ", ")) "
                                        + "(regime \(regime)); the rule applies to levels \(levels.sorted().map(String.init).joined(separator: ", "))"))
                }
            }
        }
    }
}
