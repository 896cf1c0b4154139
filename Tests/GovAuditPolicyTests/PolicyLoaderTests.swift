import GovAuditCore
import Testing
@testable import GovAuditPolicy

@Suite("Policy loader and registry")
struct PolicyLoaderTests {
    @Test("every rule of the default policy has an evaluator, and every evaluator a rule")
    func registryParity() throws {
        let policy = try Repo.policy()
        let policyIDs = Set(policy.rules.map(\.id))
        let registryIDs = Set(RuleRegistry.ids)
        #expect(policyIDs.subtracting(registryIDs).isEmpty, "rules without evaluator: \(policyIDs.subtracting(registryIDs))")
        #expect(registryIDs.subtracting(policyIDs).isEmpty, "evaluators without rule: \(registryIDs.subtracting(policyIDs))")
        #expect(RuleRegistry.ids.count == registryIDs.count, "an id is registered twice")
    }

    @Test("the default policy is complete: both languages, a basis under every regime, flagged facts explained")
    func defaultPolicy() throws {
        let policy = try Repo.policy()
        #expect(policy.hash.count == 64)
        #expect(Set(policy.regimes.map(\.id)) == ["nd85", "luat116"])
        for rule in policy.rules {
            #expect(!rule.title.vi.isEmpty && !rule.title.en.isEmpty && !rule.remedy.vi.isEmpty && !rule.remedy.en.isEmpty)
            #expect(Set(rule.basis.keys) == ["nd85", "luat116"], "\(rule.id)")
            for b in rule.basis.values where b.legalBasis.isFlagged { #expect(b.legalBasis.note != nil) }
        }
        // The assessment interval under the new regime is unconfirmed: NĐ 85's values kept, flagged.
        let overdue = try #require(policy.rule("layer3.assessment-overdue"))
        #expect(overdue.basis["luat116"]?.legalBasis.isFlagged == true)
        #expect(overdue.parameters.value("intervalMonths", level: SecurityLevel(5)!)?.int == 6)
        #expect(Set(policy.figures.map(\.id)).isSuperset(of: ["dossier-approved", "layer1", "layer4", "four-layers"]))
    }

    static let main = """
    version: 1
    name: test
    policyVersion: "1"
    regimes:
      - id: nd85
        name: {vi: a, en: b}
        effective: 2016-07-01
    layers: {layer1: [layer1], layer2: [layer2], layer3: [layer3], layer4: [layer4]}
    thresholds: {dossier: high}
    figures:
      - id: f
        label: {vi: a, en: b}
        areas: [dossier]
    """

    func errors(_ rules: String, main: String = main) throws -> [String] {
        let e = try #require(throws: InputErrors.self) {
            try PolicyLoader.parse(main: ("policy.yaml", main), rules: [("rules/x.yaml", rules)])
        }
        return e.errors.map(\.description)
    }

    @Test("a bad rule gets a precise message: file, line, field")
    func badRule() throws {
        let found = try errors("""
        rules:
          - id: dossier.missing
            area: dosier
            severity: severe
            levels: [0, 3]
            title: {vi: "Thiếu"}
            description: {vi: a, en: b}
            remedy: {vi: a, en: b}
            basis:
              - regime: nd2099
                citation: x
                confidence: confirmed
          - id: no.such.rule
        """)
        #expect(found.contains { $0.hasPrefix("rules/x.yaml:3: rules[0].area: expected one of dossier, layer1") })
        #expect(found.contains { $0.hasPrefix("rules/x.yaml:4: rules[0].severity: expected one of info, low, medium, high, critical, found 'severe'") })
        #expect(found.contains("rules/x.yaml:5: rules[0].levels[0]: a level is 1–5"))
        #expect(found.contains("rules/x.yaml:6: rules[0].title.en: missing required field"))
        #expect(found.contains("rules/x.yaml:10: rules[0].basis[0].regime: no regime 'nd2099' in policy.yaml (known: nd85)"))
        #expect(found.contains { $0.hasPrefix("rules/x.yaml:13: rules[1].id: no evaluator is registered for rule 'no.such.rule'") })
    }

    @Test("a rule missing a parameter its evaluator reads is rejected; unconfirmed bases need a note")
    func parametersAndNotes() throws {
        let found = try errors("""
        rules:
          - id: layer3.assessment-overdue
            area: layer3
            severity: high
            levels: [3]
            title: {vi: a, en: b}
            description: {vi: a, en: b}
            remedy: {vi: a, en: b}
            basis:
              - regime: nd85
                citation: x
                confidence: unconfirmed
        """)
        #expect(found.contains("rules/x.yaml:10: rules[0].basis[0]: an unconfirmed basis needs a note saying what was kept and why"))
        #expect(found.contains("rules/x.yaml:2: rules[0].parameters.intervalMonths: rule 'layer3.assessment-overdue' needs parameter 'intervalMonths' (regime nd85)"))
    }

    @Test("policy.yaml errors: unknown field, unknown layer, bad area in a threshold")
    func badMain() throws {
        let main = Self.main
            .replacingOccurrences(of: "thresholds: {dossier: high}", with: "thresholds: {dossier: high, tsl: high}\nextra: 1")
            .replacingOccurrences(of: "layer4: [layer4]}", with: "layer5: [layer4]}")
        let found = try errors("rules: []", main: main)
        #expect(found.contains { $0.hasPrefix("policy.yaml:10: extra: unknown field") })
        #expect(found.contains { $0.contains("'layer5' is not a layer") })
        #expect(found.contains("policy.yaml:8: layers.layer4: missing: every layer needs its areas"))
        #expect(found.contains { $0.hasPrefix("policy.yaml:9: thresholds.tsl: 'tsl' is not an area") })
    }
}

import Foundation
