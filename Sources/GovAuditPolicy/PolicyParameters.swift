import GovAuditCore
import GovAuditYAML

extension PolicyLoader {
    /// A `parameters:` mapping (a rule's own, or a regime's overrides): each value checked against
    /// the evaluator's `ParameterSpec` where it is written; a parameter it does not declare (a
    /// misspelt `warnDay:`) is an error. `specs` is nil when the rule has no evaluator (reported
    /// already).
    static func readParameters(_ node: YAMLNode, _ specs: [ParameterSpec]?, rule: String?, _ d: Diagnostics) -> Parameters {
        guard case .mapping(let pairs) = node.value else {
            d.report(node, "parameters must be a mapping")
            return Parameters()
        }
        var values: [String: ParameterValue] = [:]
        for (key, keyLine, value) in pairs {
            let spec = specs?.first { $0.name == key }
            if let specs, let rule {
                if let spec {
                    spec.type.check(value, d)
                } else {
                    let known = specs.isEmpty ? "it reads none" : "it reads \(specs.map(\.name).joined(separator: ", "))"
                    d.report(InputError(SourceLocation(file: node.location.file, line: keyLine), field: YAMLDocument.join(node.path, key),
                                        "rule '\(rule)' has no parameter '\(key)' (\(known))"))
                }
            }
            values[key] = parameterValue(value, spec?.type)
        }
        return Parameters(values)
    }

    /// The value as its declared type reads it: a blocklist entry `1111` or a keyword `true` stays
    /// text. Without a declared type (a parameter already reported as unknown), plain scalars
    /// are guessed.
    private static func parameterValue(_ node: YAMLNode, _ type: ParameterType?) -> ParameterValue {
        switch node.value {
        case .null: return .text("")
        case .scalar(let s, let plain):
            switch type {
            case .text?, .oneOf?: return .text(s)
            case .integer?, .number?: return Double(s).map(ParameterValue.number) ?? .text(s)
            case .perLevel(let t)?: return parameterValue(node, t)
            default:
                if plain, let n = Double(s) { return .number(n) }
                if plain, s == "true" || s == "false" { return .flag(s == "true") }
                return .text(s)
            }
        case .sequence(let items):
            var item: ParameterType?
            if case .list(let t)? = type { item = t } else if case .perLevel(.list(let t))? = type { item = t }
            return .list(items.map { parameterValue($0, item) })
        case .mapping(let pairs):
            var value: ParameterType?
            switch type {
            case .perLevel(let t)?, .record(_, let t)?, .table(let t)?: value = t
            default: value = nil
            }
            return .map(Dictionary(pairs.map { ($0.key, parameterValue($0.value, value)) }, uniquingKeysWith: { a, _ in a }))
        }
    }
}
