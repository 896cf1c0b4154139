import Foundation
import GovAuditCore
import GovAuditFiles
import GovAuditYAML

/// Reads a policy directory: `policy.yaml` (regimes, layers, thresholds, figures, waivers) and
/// every `rules/*.yaml`. Rejects a bad policy with every problem's file, line and field.
public enum PolicyLoader {
    public static let formatVersion = 1

    /// - Parameter digest: hex SHA-256 of bytes; the caller supplies it (OpenSSL lives in
    ///   GovAuditNet, which this module does not depend on).
    public static func load(directory: String, digest: ([UInt8]) -> String) throws(InputErrors) -> Policy {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw InputErrors([InputError(SourceLocation(file: directory), "policy directory not found")])
        }
        let mainPath = (directory as NSString).appendingPathComponent("policy.yaml")
        let rulesDir = (directory as NSString).appendingPathComponent("rules")
        let ruleFiles = ((try? fm.contentsOfDirectory(atPath: rulesDir)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (rulesDir as NSString).appendingPathComponent($0) }
        guard !ruleFiles.isEmpty else {
            throw InputErrors([InputError(SourceLocation(file: rulesDir), "no rule files (rules/*.yaml)")])
        }

        var hashed: [UInt8] = []
        var texts: [(String, String)] = []
        for path in [mainPath] + ruleFiles {
            do {
                let bytes = try InputFile.read(path, limit: InputFile.Limit.policyFile)
                texts.append((path, try InputFile.utf8(bytes, file: path)))
                hashed += Array((path.dropFirst(directory.count)).utf8) + [0] + bytes + [0]
            } catch {
                throw InputErrors([error])
            }
        }
        var policy = try parse(main: texts[0], rules: Array(texts.dropFirst()))
        policy.hash = digest(hashed)
        policy.directory = directory
        policy.files = texts.map(\.0)
        return policy
    }

    /// Parses already-read texts (`(file, text)` pairs); `hash` and `directory` stay empty.
    public static func parse(main: (String, String), rules: [(String, String)]) throws(InputErrors) -> Policy {
        let d = Diagnostics()
        var policy = Policy(name: "", version: "", regimes: [], rules: [], layerAreas: [:], thresholds: [:],
                            figures: [], waivers: [], hash: "", directory: "")
        do {
            let root = try YAMLDocument.parse(main.1, file: main.0)
            if let top = MappingReader(root, d) { readMain(top, into: &policy) }
        } catch { d.report(error) }
        var written = Set<String>()  // ids of every rule entry, bad ones included
        for (file, text) in rules {
            do {
                let root = try YAMLDocument.parse(text, file: file)
                guard let top = MappingReader(root, d) else { continue }
                for node in top.list("rules", required: true) ?? [] {
                    if case .mapping(let pairs) = node.value, let id = pairs.first(where: { $0.key == "id" })?.value.scalar {
                        written.insert(id)
                    }
                    if let rule = readRule(node, d, regimes: policy.regimes) {
                        if let other = policy.rule(rule.id) {
                            d.report(InputError(rule.location, field: "\(node.path).id",
                                                "rule id '\(rule.id)' is already defined at \(other.location)"))
                        } else {
                            policy.rules.append(rule)
                        }
                    }
                }
                top.finish()
            } catch { d.report(error) }
        }
        for w in policy.waivers where policy.rule(w.rule) == nil {
            d.report(InputError(w.location ?? SourceLocation(file: main.0), field: "waivers.rule",
                                "no rule with id '\(w.rule)' in this policy"))
        }
        checkEveryEvaluatorUsed(policy, written: written, main: main.0, d)
        try d.throwIfAny()
        return policy
    }

    /// Every registered evaluator has a rule in the policy, or is listed under `disabled:`: a
    /// missing rules/tls.yaml is an error, not a policy under which TLS is never judged.
    private static func checkEveryEvaluatorUsed(_ policy: Policy, written: Set<String>, main: String, _ d: Diagnostics) {
        for id in policy.disabledRules where written.contains(id) {
            d.report(InputError(SourceLocation(file: main), field: "disabled",
                                "'\(id)' is disabled but also defined in rules/; remove one of the two"))
        }
        let missing = RuleRegistry.ids.filter { !written.contains($0) && !policy.disabledRules.contains($0) }
        guard !missing.isEmpty else { return }
        d.report(InputError(SourceLocation(file: main), field: "disabled",
                            "\(missing.count) rule\(missing.count == 1 ? " has" : "s have") an evaluator but no definition in rules/*.yaml "
                            + "(a rule file missing?): \(missing.joined(separator: ", ")); define "
                            + "\(missing.count == 1 ? "it" : "them") or list \(missing.count == 1 ? "it" : "them") under disabled: in policy.yaml"))
    }

    private static func readMain(_ top: MappingReader, into policy: inout Policy) {
        let d = top.diagnostics
        if let v = top.int("version", required: true), v != formatVersion {
            d.report(top.node("version")!, "this GovAudit reads policy format \(formatVersion), not \(v)")
        }
        policy.name = top.string("name", required: true) ?? ""
        policy.version = top.string("policyVersion", required: true) ?? ""
        for node in top.list("regimes", required: true) ?? [] {
            guard let m = MappingReader(node, d) else { continue }
            let id = m.string("id", required: true)
            let name = text(m, "name")
            let effective = m.date("effective", required: true)
            let until = m.date("until")
            var transition: Regime.Transition?
            if let t = m.mapping("transition") {
                let months = t.int("months", required: true, in: 1...120)
                let citation = t.string("citation", required: true)
                let confidence = t.choice("confidence", required: true, as: Confidence.self)
                t.finish()
                if let months, let citation, let confidence {
                    transition = .init(months: months, citation: citation, confidence: confidence)
                }
            }
            m.finish()
            if let id, let name, let effective {
                if policy.regimes.contains(where: { $0.id == id }) { d.report(node, "regime id '\(id)' is used twice") }
                policy.regimes.append(Regime(id: id, name: name, effective: effective, until: until, transition: transition))
            }
        }
        if let layers = top.mapping("layers", required: true) {
            for key in layers.keys {
                guard let layer = ProtectionLayer(code: key) else {
                    d.report(layers.node(key) ?? layers.node, "'\(key)' is not a layer (layer1…layer4)")
                    continue
                }
                policy.layerAreas[layer] = areas(layers, key)
            }
            for layer in ProtectionLayer.allCases where policy.layerAreas[layer] == nil {
                d.report(InputError(layers.node.location, field: "layers.\(layer.code)", "missing: every layer needs its areas"))
            }
            layers.finish()
        }
        if let thresholds = top.mapping("thresholds", required: true) {
            for key in thresholds.keys {
                guard let area = Area(rawValue: key) else {
                    d.report(thresholds.node(key) ?? thresholds.node,
                             "'\(key)' is not an area (\(Area.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                policy.thresholds[area] = thresholds.choice(key, required: true, as: Severity.self)
            }
            thresholds.finish()
        }
        for node in top.list("figures", required: true) ?? [] {
            guard let m = MappingReader(node, d) else { continue }
            let id = m.string("id", required: true)
            let label = text(m, "label")
            var figureAreas = m.node("areas") != nil ? areas(m, "areas") : []
            var layers: [ProtectionLayer] = []
            for code in m.strings("layers") ?? [] {
                if let layer = ProtectionLayer(code: code) {
                    layers.append(layer)
                    figureAreas += policy.layerAreas[layer] ?? []
                } else {
                    d.report(m.node("layers")!, "'\(code)' is not a layer (layer1…layer4)")
                }
            }
            if figureAreas.isEmpty { d.report(node, "a figure needs areas or layers") }
            m.finish()
            if let id, let label {
                policy.figures.append(FigureDefinition(id: id, label: label, areas: figureAreas, layers: layers))
            }
        }
        for node in top.list("disabled") ?? [] {
            guard let id = node.scalar else { d.report(node, "expected a rule id, found \(node.kindName)"); continue }
            if RuleRegistry.implementation(id) == nil {
                d.report(node, "'\(id)' is not a registered rule (known: \(RuleRegistry.ids.joined(separator: ", ")))")
            } else if policy.disabledRules.contains(id) {
                d.report(node, "'\(id)' is listed twice")
            } else {
                policy.disabledRules.append(id)
            }
        }
        for node in top.list("waivers") ?? [] {
            guard let m = MappingReader(node, d) else { continue }
            let rule = m.string("rule", required: true), system = m.string("system", required: true)
            let reason = m.string("reason", required: true), expires = m.date("expires", required: true)
            let decision = m.string("decision")
            m.finish()
            if let rule, let system, let reason, let expires {
                policy.waivers.append(Waiver(rule: rule, system: system, reason: reason, decision: decision,
                                             expires: expires, location: node.location))
            }
        }
        top.finish()
    }

    private static func readRule(_ node: YAMLNode, _ d: Diagnostics, regimes: [Regime]) -> RuleDefinition? {
        guard let m = MappingReader(node, d) else { return nil }
        let before = d.errors.count
        let id = m.string("id", required: true)
        let implementation = id.flatMap(RuleRegistry.implementation)
        if let id, implementation == nil {
            d.report(m.node("id")!, "no evaluator is registered for rule '\(id)' (known: \(RuleRegistry.ids.joined(separator: ", ")))")
        }
        let area = m.choice("area", required: true, as: Area.self)
        let severity = m.choice("severity", required: true, as: Severity.self)
        var levels = Set<Int>()
        for l in m.list("levels", required: true) ?? [] {
            guard let v = l.scalar.flatMap(Int.init), (1...5).contains(v) else { d.report(l, "a level is 1–5"); continue }
            levels.insert(v)
        }
        let title = text(m, "title"), description = text(m, "description"), remedy = text(m, "remedy")
        let specs = implementation?.parameters
        let parameters = m.node("parameters").map { readParameters($0, specs, rule: id, d) } ?? Parameters()
        var basis: [String: RuleBasis] = [:]
        for b in m.list("basis", required: true) ?? [] {
            guard let bm = MappingReader(b, d) else { continue }
            let regime = bm.string("regime", required: true)
            if let regime, !regimes.contains(where: { $0.id == regime }) {
                d.report(bm.node("regime")!, "no regime '\(regime)' in policy.yaml (known: \(regimes.map(\.id).joined(separator: ", ")))")
            }
            let citation = bm.string("citation", required: true)
            let confidence = bm.choice("confidence", required: true, as: Confidence.self)
            let note = bm.string("note")
            if confidence == .unconfirmed, note == nil {
                d.report(b, "an unconfirmed basis needs a note saying what was kept and why")
            }
            let overrides = bm.node("parameters").map { readParameters($0, specs, rule: id, d) } ?? Parameters()
            bm.finish()
            if let regime, let citation, let confidence {
                if basis[regime] != nil { d.report(b, "two bases for regime '\(regime)'") }
                basis[regime] = RuleBasis(legalBasis: LegalBasis(regime: regime, citation: citation,
                                                                 confidence: confidence, note: note),
                                          parameters: overrides)
            }
        }
        if let implementation {
            for (regime, b) in basis.sorted(by: { $0.key < $1.key }) {
                ParameterSpec.checkComplete(implementation.parameters, parameters.merging(b.parameters), rule: implementation.id,
                                            regime: regime, levels: levels, at: m.node.location, path: node.path, d)
            }
        }
        m.finish()
        guard d.errors.count == before, let id, let area, let severity, let title, let description,
              let remedy else { return nil }
        if levels.isEmpty { d.report(node, "levels must list at least one level"); return nil }
        return RuleDefinition(id: id, area: area, severity: severity, levels: levels, title: title,
                              description: description, remedy: remedy, parameters: parameters,
                              basis: basis, location: node.location)
    }

    /// A `{vi: …, en: …}` mapping; both languages are required.
    private static func text(_ m: MappingReader, _ key: String) -> LocalizedText? {
        guard let t = m.mapping(key, required: true) else { return nil }
        let vi = t.string("vi", required: true), en = t.string("en", required: true)
        t.finish()
        guard let vi, let en else { return nil }
        return LocalizedText(vi: vi, en: en)
    }

    private static func areas(_ m: MappingReader, _ key: String) -> [Area] {
        (m.list(key, required: true) ?? []).compactMap { n in
            guard let a = n.scalar.flatMap(Area.init(rawValue:)) else {
                m.diagnostics.report(n, "not an area (\(Area.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            return a
        }
    }
}
