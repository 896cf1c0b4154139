import Foundation
import GovAuditCore
import GovAuditTestSupport
import Testing

/// The JSON Schema describes the facts of every evidence kind: stored evidence of every kind
/// (Tests/Fixtures/evidence-every-kind.json, written by the policy tests' re-read test)
/// validates, and a record of another shape or version does not.
@Suite("Evidence in the JSON Schema")
struct EvidenceSchemaTests {
    let validator: JSONSchemaValidator
    let stored: [JSON]

    init() throws {
        let schema = try JSON.parse(String(contentsOf: CLI.root.appendingPathComponent("Reports/schema/evaluation.schema.json"), encoding: .utf8))
        validator = JSONSchemaValidator(root: schema)
        guard case .array(let records) = try JSON.parse(String(contentsOf: CLI.root.appendingPathComponent("Tests/Fixtures/evidence-every-kind.json"),
                                                               encoding: .utf8)) else { throw CocoaError(.fileReadCorruptFile) }
        stored = records
    }

    @Test("every stored record of every kind validates against $defs/evidence")
    func valid() {
        #expect(stored.count > 15)
        for (i, record) in stored.enumerated() {
            #expect(validator.validate(record, definition: "evidence") == [], "record \(i): \(record["kind"].map { "\($0)" } ?? "?")")
        }
    }

    @Test("the schema selects facts for exactly the kinds and versions this build writes")
    func everyKindDescribed() throws {
        guard case .array(let options)? = validator.root["$defs"]?["evidence"]?["oneOf"] else { Issue.record("no oneOf"); return }
        var described: [String: Int] = [:]
        for o in options {
            guard case .string(let kind)? = o["properties"]?["kind"]?["const"],
                  case .number(let version)? = o["properties"]?["version"]?["const"] else { continue }
            described[kind] = Int(version)
        }
        let catalog = EvidenceCatalog.standard
        #expect(described == Dictionary(uniqueKeysWithValues: catalog.kinds.map { ($0, catalog.version(of: $0)!) }))
    }

    @Test("a record of another version, a missing fact or a fact of the wrong type is rejected")
    func invalid() throws {
        let cert = try #require(stored.first { $0["kind"] == .string("tls.certificate") && $0["facts"] != nil })
        guard case .object(var record) = cert, case .object(var facts)? = record["facts"] else { return }
        record["version"] = .number(1)
        #expect(validator.validate(.object(record), definition: "evidence").contains { $0.contains("oneOf") })
        record["version"] = .number(2)
        facts["verifyResult"] = nil
        facts["notAfter"] = .string("2026-12-16")
        record["facts"] = .object(facts)
        let errors = validator.validate(.object(record), definition: "evidence")
        #expect(errors.contains { $0.contains("oneOf") })
        // What exactly: validated alone, the facts name both problems.
        let detail = validator.validate(.object(facts), definition: "tlsCertificate")
        #expect(detail.contains { $0.hasSuffix("missing required 'verifyResult'") })
        #expect(detail.contains { $0.contains("notAfter") && $0.contains("does not match") })
    }
}
