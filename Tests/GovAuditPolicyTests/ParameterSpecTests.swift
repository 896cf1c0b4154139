import Foundation
import GovAuditCore
import GovAuditNet
import Testing
@testable import GovAuditPolicy

/// The default policy with one edit, as the loader sees it: every parameter is checked by type
/// and range where it is written, and every evaluator needs a rule or an explicit `disabled:`.
@Suite("Policy parameters and completeness")
struct ParameterSpecTests {
    static let ruleFiles = ["dossier.yaml", "ipv6-dns.yaml", "layers.yaml", "links.yaml", "tls.yaml", "tls-depth.yaml", "tls-chain-https.yaml", "tls-addresses.yaml"]

    /// Errors of the default policy after replacing `old` (which must occur once) with `new` in
    /// `file`, and the line where the replacement starts.
    func errors(in file: String, replacing old: String, with new: String) throws -> (errors: [String], line: Int) {
        let (texts, line) = try edited(file, old, new)
        let e = try #require(throws: InputErrors.self) { try PolicyLoader.parse(main: texts[0], rules: Array(texts.dropFirst())) }
        return (e.errors.map(\.description), line)
    }

    func edited(_ file: String, _ old: String, _ new: String) throws -> (texts: [(String, String)], line: Int) {
        func read(_ p: String) throws -> String { try String(contentsOfFile: Repo.path("Policies/\(p)"), encoding: .utf8) }
        var texts = try [("policy.yaml", read("policy.yaml"))] + Self.ruleFiles.map { ("rules/\($0)", try read("rules/\($0)")) }
        let i = try #require(texts.firstIndex { $0.0 == file })
        let text = texts[i].1
        let range = try #require(text.range(of: old))
        #expect(text.components(separatedBy: old).count == 2, "'\(old)' must occur once in \(file)")
        texts[i].1 = text.replacingCharacters(in: range, with: new)
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        return (texts, line)
    }

    @Test("a negative warnDays (which crashed the audit) is refused where it is written")
    func negativeWarnDays() throws {
        let (errors, line) = try errors(in: "rules/tls.yaml", replacing: "warnDays: 7", with: "warnDays: -7")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("rules/tls.yaml:\(line): rules[") == true)
        #expect(errors.first?.hasSuffix("].parameters.warnDays: -7 is outside 0–3650") == true)
    }

    @Test("text where a number belongs, and a number too big for any integer, are refused, not defaulted")
    func wrongTypes() throws {
        let text = try errors(in: "rules/tls.yaml", replacing: "minMaxAge: 15552000", with: "minMaxAge: \"half a year\"")
        #expect(text.errors.count == 1)
        #expect(text.errors.first?.hasSuffix("].parameters.minMaxAge: expected a whole number 0–315360000, found quoted text \"half a year\"") == true)
        let huge = try errors(in: "rules/layers.yaml", replacing: "warnDays: 30", with: "warnDays: 1e300")
        #expect(huge.errors.first?.hasSuffix("].parameters.warnDays: expected a whole number 0–3650, found '1e300'") == true)
        let similarity = try errors(in: "rules/ipv6-dns.yaml", replacing: "minSimilarity: 0.9", with: "minSimilarity: 1.5")
        #expect(similarity.errors.first?.hasSuffix("].parameters.minSimilarity: 1.5 is outside 0–1") == true)
    }

    @Test("values are read as their declared type: a blocklist entry 1111 or true stays text")
    func typedValues() throws {
        let (texts, _) = try edited("rules/links.yaml", "blocklist: [\"kuwin\", ", "blocklist: [1111, true, \"kuwin\", ")
        let policy = try PolicyLoader.parse(main: texts[0], rules: Array(texts.dropFirst()))
        let blocklist = try #require(policy.parameters(of: "links.spam", regime: "nd85")).texts("blocklist")
        #expect(blocklist.prefix(3) == ["1111", "true", "kuwin"])
    }

    @Test("an unknown grade is refused, with the grades allowed")
    func unknownGrade() throws {
        let (errors, line) = try errors(in: "rules/tls.yaml", replacing: "minimumGrade: \"B\"", with: "minimumGrade: \"Z\"")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("rules/tls.yaml:\(line): ") == true)
        #expect(errors.first?.hasSuffix(".parameters.minimumGrade: expected one of A+, A, B, C, D, E, F, T, M, found quoted text \"Z\"") == true)
        let cap = try self.errors(in: "rules/tls.yaml", replacing: "rc4: \"C\"", with: "rc4: \"G\"")
        #expect(cap.errors.first?.hasSuffix(".parameters.caps.rc4: expected one of A+, A, B, C, D, E, F, T, M, found quoted text \"G\"") == true)
    }

    @Test("a misspelt key under caps is an unknown key, and the cap it should have set is missing")
    func misspeltCap() throws {
        let (errors, line) = try errors(in: "rules/tls.yaml", replacing: "rc4: \"C\"", with: "rc_4: \"C\"")
        #expect(errors.count == 2)
        #expect(errors.contains { $0.hasPrefix("rules/tls.yaml:\(line): ") && $0.hasSuffix(".parameters.caps.rc_4: unknown key (known: "
            + TLSGrade.caps.joined(separator: ", ") + ")") })
        #expect(errors.contains { $0.hasSuffix(".parameters.caps.rc4: missing key (one of A+, A, B, C, D, E, F, T, M)") })
    }

    @Test("a misspelt parameter name is refused, and the one the evaluator reads is missing under each regime")
    func misspeltParameter() throws {
        let (errors, line) = try errors(in: "rules/tls.yaml", replacing: "minRSABits: 2048\n      minECBits", with: "minRSABit: 2048\n      minECBits")
        #expect(errors.count == 3)
        #expect(errors.contains { $0.hasPrefix("rules/tls.yaml:\(line): ")
            && $0.hasSuffix(".parameters.minRSABit: rule 'tls.cert-weak-key' has no parameter 'minRSABit' (it reads minRSABits, minECBits)") })
        #expect(errors.filter { $0.hasSuffix(".parameters.minRSABits: rule 'tls.cert-weak-key' needs parameter 'minRSABits' (regime luat116)") }.count == 1)
    }

    @Test("a per-level parameter must cover every level the rule applies to, under every regime")
    func perLevelCoverage() throws {
        let (errors, _) = try errors(in: "rules/layers.yaml", replacing: "        4: 12\n        5: 6\n", with: "        4: 12\n        6: 6\n")
        #expect(errors.contains { $0.hasSuffix(".parameters.intervalMonths.6: '6' is not a level (1–5)") })
        #expect(errors.contains { $0.hasSuffix(".parameters.intervalMonths: no value for level 5 (regime nd85); the rule applies to levels 3, 4, 5") })
    }

    @Test("a missing rule file of the default policy is an error naming the rules left without a definition")
    func missingRuleFile() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ga-policy-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: Repo.path("Policies"), toPath: copy)
        try FileManager.default.removeItem(atPath: copy + "/rules/tls.yaml")
        try FileManager.default.removeItem(atPath: copy + "/rules/tls-chain-https.yaml")
        let e = try #require(throws: InputErrors.self) { try PolicyLoader.load(directory: copy, digest: Digest.sha256Hex) }
        let tlsIDs = TLSRules.all.map(\.id)
        #expect(e.errors.count == 1)
        #expect(e.errors.first?.description == "\(copy)/policy.yaml: disabled: \(tlsIDs.count) rules have an evaluator but no definition "
            + "in rules/*.yaml (a rule file missing?): \(tlsIDs.joined(separator: ", ")); define them or list them under disabled: in policy.yaml")

        // Turned off on purpose, it loads: the policy says so, and nothing TLS is judged.
        let main = copy + "/policy.yaml"
        try (try String(contentsOfFile: main, encoding: .utf8) + "\ndisabled: [\(tlsIDs.joined(separator: ", "))]\n")
            .write(toFile: main, atomically: true, encoding: .utf8)
        let policy = try PolicyLoader.load(directory: copy, digest: Digest.sha256Hex)
        #expect(policy.rule("tls.grade") == nil)
        #expect(policy.disabledRules == tlsIDs)
        #expect(policy.files.count == 7 && policy.files.allSatisfy { $0.hasPrefix(copy) })
    }

    @Test("disabled: names only registered rules that the policy does not also define")
    func disabledList() throws {
        let (errors, line) = try errors(in: "policy.yaml", replacing: "policyVersion: \"2026.11\"",
                                        with: "policyVersion: \"2026.11\"\ndisabled: [tls.grde, tls.grade]")
        #expect(errors.contains { $0.hasPrefix("policy.yaml:\(line + 1): disabled[0]: 'tls.grde' is not a registered rule (known: ") })
        #expect(errors.contains("policy.yaml: disabled: 'tls.grade' is disabled but also defined in rules/; remove one of the two"))
    }
}
