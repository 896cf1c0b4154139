import Foundation
import GovAuditCore
import GovAuditPolicy

/// The machine-readable result (`--format json`), described by `Reports/schema/evaluation.schema.json`.
/// These transfer types fix the contract: renaming a model field must not change the JSON.
///
/// The document is written in pieces, one system at a time, so a report of 10,000 systems never
/// exists whole in memory: first everything but `systems` (which sorts last), then each system
/// encoded alone and indented to its place. The bytes are those of encoding the whole document.
public enum EvaluationJSON {
    /// Bumped on any change a consumer could notice: minor for additions, major for removals.
    /// 2.0.0: evidence is what probes observed (every kind versioned and described in the schema);
    /// what was judged moved to the rules (README, "JSON 2.0: what changed").
    /// 2.1.0: counts of what the probes' bounds cut (`addressesNotProbed`, `cutShort`,
    /// `nameServersNotFollowed`, `mailExchangersNotFollowed`, `budgetCut`), the `budget-exhausted`
    /// failure code, `<fact>.count` beside a list fact that shows only its first items.
    public static let schemaVersion = "2.1.0"

    /// The document without its systems.
    struct Header: Encodable {
        var schemaVersion: String
        var kind: String
        var provenance: ScanProvenance
        var policy: PolicyRef
        var asOf: CalendarDate
        var inventory: InventoryRef
        var failOn: String
        var openAtOrAboveFailOn: Int
        var summary: Summary
    }

    struct PolicyRef: Encodable { var name, version, hash: String }
    struct InventoryRef: Encodable { var name: String; var illustrative: Bool; var systems: Int }

    struct SystemDTO: Encodable {
        var id, name, agency, agencyName: String
        var level: Int
        var dossier: Dossier
        var regime: RegimeApplication
        var tags: [String]
        var layers: [LayerDTO]
        var endpoints: [EndpointDTO]
        /// Evidence about the system as a whole (no endpoint).
        var evidence: [Evidence]
        var rules: [RuleDTO]
        var findings: [FindingDTO]
    }

    struct LayerDTO: Encodable { var layer: String; var status: ComplianceStatus; var reasons: [String] }
    struct EndpointDTO: Encodable { var endpoint: String; var evidence: [Evidence]; var measurements: [MeasurementDTO] }
    /// What a rule derived about the endpoint whatever its verdict (tls.grade: grade, caps).
    struct MeasurementDTO: Encodable { var rule: String; var facts: [String: String] }
    struct RuleDTO: Encodable { var rule: String; var area: Area; var status: RuleResult.Status; var reason: String? }

    struct FindingDTO: Encodable {
        var key, rule: String
        var area: Area
        var layer: String?
        var severity: Severity
        var status: FindingStatus
        var system: String
        var endpoint: String?
        var title, remedy: LocalizedText
        var legalBasis: LegalBasis
        var evidence: [String: String]
        var waiver: WaiverDTO?

        private enum Keys: String, CodingKey {
            case key, rule, area, layer, severity, status, system, endpoint, title, remedy, legalBasis, evidence, waiver
        }

        /// Optional members are written as null rather than left out: every finding has every key.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(key, forKey: .key)
            try c.encode(rule, forKey: .rule)
            try c.encode(area, forKey: .area)
            try c.encode(layer, forKey: .layer)
            try c.encode(severity, forKey: .severity)
            try c.encode(status, forKey: .status)
            try c.encode(system, forKey: .system)
            try c.encode(endpoint, forKey: .endpoint)
            try c.encode(title, forKey: .title)
            try c.encode(remedy, forKey: .remedy)
            try c.encode(legalBasis, forKey: .legalBasis)
            try c.encode(evidence, forKey: .evidence)
            try c.encode(waiver, forKey: .waiver)
        }
    }

    struct WaiverDTO: Encodable { var reason: String; var decision: String?; var expires: CalendarDate }

    /// The whole document as one string: for small results (an evaluation of records, tests).
    public static func render(_ e: Evaluation, policy: Policy, provenance: ScanProvenance,
                              failOn: Severity?) throws -> String {
        let writer = try Writer(e.report, policy: policy, provenance: provenance, failOn: failOn)
        var out = writer.opening
        for (i, s) in e.systems.enumerated() { out += try writer.system(s, first: i == 0) }
        return out + writer.closing
    }

    /// Writes the document to `sink` piece by piece, reading the systems one at a time.
    public static func write(_ report: EvaluationReport, policy: Policy, provenance: ScanProvenance, failOn: Severity?,
                             to sink: (String) throws -> Void) async throws {
        let writer = try Writer(report, policy: policy, provenance: provenance, failOn: failOn)
        try sink(writer.opening)
        var first = true
        try await report.systems.forEach(rendering: { try writer.system($0, first: true) }) { piece in
            if !first { try sink(",\n") }
            try sink(piece)
            first = false
        }
        try sink(writer.closing)
    }

    /// The pieces of one document. Pretty-printed JSON indents two spaces per level and leaves
    /// the inside of an empty array or object an empty line, so a system encoded alone and
    /// indented four spaces (its depth under `systems`) is byte for byte what it is in the whole.
    struct Writer {
        var report: EvaluationReport
        var layerOf: [Area: String]
        var header: Header
        var opening: String
        let closing = "\n  ]\n}\n"

        init(_ report: EvaluationReport, policy: Policy, provenance: ScanProvenance, failOn: Severity?) throws {
            self.report = report
            layerOf = Dictionary(policy.layerAreas.flatMap { layer, areas in areas.map { ($0, layer.code) } },
                                 uniquingKeysWith: { a, b in min(a, b) })
            header = Header(
                schemaVersion: schemaVersion, kind: "evaluation", provenance: provenance,
                policy: PolicyRef(name: policy.name, version: policy.version, hash: policy.hash),
                asOf: report.asOf,
                inventory: InventoryRef(name: report.inventory.name, illustrative: report.inventory.illustrative,
                                        systems: report.inventory.systems.count),
                failOn: failOn?.rawValue ?? "none",
                openAtOrAboveFailOn: failOn.map { report.openFindings(atLeast: $0) } ?? 0,
                summary: report.summary)
            let text = try encode(header)
            // "systems" sorts after every other key: the header's closing brace is where it goes.
            guard text.hasSuffix("\n}\n") else { throw EncodingError.invalidValue(text, .init(codingPath: [], debugDescription: "unexpected JSON layout")) }
            opening = String(text.dropLast(3)) + ",\n  \"systems\" : [\n"
        }

        /// One system's piece: its object at depth two, after a comma unless it is the first.
        func system(_ s: SystemEvaluation, first: Bool) throws -> String {
            Self.indented(try encodedBytes(dto(s)), first: first)
        }

        /// `json` (ending in a newline) with every non-empty line indented four spaces, that
        /// newline dropped, after ",\n" unless first. By bytes: a newline byte is never inside a
        /// multi-byte character, and splitting the String by Characters cost a scan of 1,000
        /// systems more than encoding it.
        static func indented(_ json: [UInt8], first: Bool) -> String {
            let body = json.last == UInt8(ascii: "\n") ? json.dropLast() : json[...]
            var out: [UInt8] = first ? [] : Array(",\n".utf8)
            out.reserveCapacity(out.count + body.count + body.count / 4)
            let indent = Array("    ".utf8)
            var lineStart = true
            for byte in body {
                if lineStart && byte != UInt8(ascii: "\n") { out += indent }
                out.append(byte)
                lineStart = byte == UInt8(ascii: "\n")
            }
            return String(decoding: out, as: UTF8.self)
        }

        func dto(_ s: SystemEvaluation) -> SystemDTO {
            SystemDTO(
                id: s.system.id, name: s.system.name, agency: s.system.agency,
                agencyName: report.inventory.agency(id: s.system.agency)?.name ?? s.system.agency,
                level: s.system.level.value, dossier: s.system.dossier, regime: s.regime, tags: s.system.tags,
                layers: s.layers.map { LayerDTO(layer: $0.layer.code, status: $0.status, reasons: $0.reasons) },
                endpoints: s.system.endpoints.map { ep in
                    EndpointDTO(endpoint: ep.description, evidence: s.evidence.filter { $0.endpoint == ep },
                                measurements: s.measurements.filter { $0.endpoint == ep }.map {
                                    MeasurementDTO(rule: $0.rule, facts: Dictionary($0.facts.map { ($0.name, $0.value) },
                                                                                    uniquingKeysWith: { a, _ in a }))
                                })
                },
                evidence: s.evidence.filter { $0.endpoint == nil },
                rules: s.results.map { RuleDTO(rule: $0.rule, area: $0.area, status: $0.status,
                                               reason: $0.reason.isEmpty ? nil : $0.reason) },
                findings: s.findings.map { f in
                    FindingDTO(key: f.key, rule: f.rule, area: f.area, layer: layerOf[f.area], severity: f.severity,
                               status: f.status, system: f.system, endpoint: f.endpoint, title: f.title,
                               remedy: f.remedy, legalBasis: f.legalBasis,
                               evidence: Dictionary(f.evidence.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
                               waiver: f.waiver.map { WaiverDTO(reason: $0.reason, decision: $0.decision, expires: $0.expires) })
                })
        }
    }

    /// Pretty, key-sorted JSON. Untrusted text is safe here by construction: JSONEncoder escapes
    /// quotes, backslashes and control characters.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encodedBytes(value), as: UTF8.self)
    }

    /// `encode`'s bytes.
    static func encodedBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }
}
