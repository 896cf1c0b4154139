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
            if let specs, let rule {
                if let spec = specs.first(where: { $0.name == key }) {
                    spec.type.check(value, d)
                } else {
                    let known = specs.isEmpty ? "it reads none" : "it reads \(specs.map(\.name).joined(separator: ", "))"
                    d.report(InputError(SourceLocation(file: node.location.file, line: keyLine), field: YAMLDocument.join(node.path, key),
                                        "rule '\(rule)' has no parameter '\(key)' (\(known))"))
                }
            }
            values[key] = parameterValue(value)
        }
        return Parameters(values)
    }

    private static func parameterValue(_ node: YAMLNode) -> ParameterValue {
        switch node.value {
        case .null: return .text("")
        case .scalar(let s, let plain):
            if plain, let n = Double(s) { return .number(n) }
            if plain, s == "true" || s == "false" { return .flag(s == "true") }
            return .text(s)
        case .sequence(let items): return .list(items.map(parameterValue))
        case .mapping(let pairs):
            return .map(Dictionary(pairs.map { ($0.key, parameterValue($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
    }
}
