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
        var evidence: [EvidenceItem]
        var rules: [RuleDTO]
        var findings: [FindingDTO]
    }

    struct LayerDTO: Encodable { var layer: String; var status: ComplianceStatus; var reasons: [String] }
    struct EndpointDTO: Encodable { var endpoint: String; var evidence: [EvidenceItem]; var measurements: [MeasurementDTO] }

    /// An evidence record, or where the stored JSON text of one goes (`Writer.splice`).
    enum EvidenceItem: Encodable {
        case typed(Evidence)
        case stored(Int)

        func encode(to encoder: Encoder) throws {
            switch self {
            case .typed(let e): try e.encode(to: encoder)
            case .stored(let i):
                var c = encoder.singleValueContainer()
                try c.encode(Writer.marker + String(i))
            }
        }
    }
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
        try await report.systems.forEach(renderingJSON: { try writer.system($0, first: true, storedEvidence: $1) }) { piece in
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
        /// With `storedEvidence` (the JSON text a store keeps), that is written for the evidence
        /// instead of `s.evidence`: the same bytes, without decoding and encoding it again. This
        /// holds while no evidence kind encodes a `Date` (the store writes one with milliseconds,
        /// this report without); `ReadBackTests` on the every-kind fixture would show one.
        func system(_ s: SystemEvaluation, first: Bool, storedEvidence: [EvidenceJSON]? = nil) throws -> String {
            guard let stored = storedEvidence else { return Self.indented(try encodedBytes(dto(s)), first: first) }
            let indexed = Array(stored.enumerated())
            let items: (Endpoint?) -> [EvidenceItem] = { endpoint in
                let text = endpoint?.description
                return indexed.filter { $0.element.endpoint == text }.map { .stored($0.offset) }
            }
            return Self.indented(Self.splice(try encodedBytes(dto(s, evidence: items)), stored), first: first)
        }

        /// What an evidence record's place holds until `splice` writes the stored text there: a
        /// string no scanned text can forge (a random part per process).
        static let marker = "ga-evidence-\(UInt64.random(in: .min ... .max))-"

        /// `json` with each line holding only a marker string (an element of an evidence list)
        /// replaced by that record's stored text laid out at the line's depth.
        static func splice(_ json: [UInt8], _ stored: [EvidenceJSON]) -> [UInt8] {
            let quote = UInt8(ascii: "\""), space = UInt8(ascii: " "), newline = UInt8(ascii: "\n")
            let prefix = [quote] + Array(marker.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(json.count + stored.reduce(0) { $0 + $1.json.count * 2 })
            var start = 0
            while start < json.count {
                let end = json[start...].firstIndex(of: newline) ?? json.count
                var text = start
                while text < end && json[text] == space { text += 1 }
                if let index = markerIndex(json[text..<end], prefix: prefix), index < stored.count {
                    out.append(contentsOf: json[start..<text])
                    JSONLayout.pretty(stored[index].json, depth: (text - start) / 2, into: &out)
                    if json[end - 1] == UInt8(ascii: ",") { out.append(UInt8(ascii: ",")) }
                } else {
                    out.append(contentsOf: json[start..<end])
                }
                if end < json.count { out.append(newline) }
                start = end + 1
            }
            return out
        }

        /// The record index a line `"<marker>N"` or `"<marker>N",` names; nil for any other line.
        static func markerIndex(_ line: ArraySlice<UInt8>, prefix: [UInt8]) -> Int? {
            guard line.starts(with: prefix) else { return nil }
            var rest = line.dropFirst(prefix.count)
            if rest.last == UInt8(ascii: ",") { rest = rest.dropLast() }
            guard rest.last == UInt8(ascii: "\""), rest.count >= 2 else { return nil }
            let digits = rest.dropLast()
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return Int(String(decoding: digits, as: UTF8.self))
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

        /// `evidence`: each endpoint's records, and the system's (nil); by default those of
        /// `s.evidence`.
        func dto(_ s: SystemEvaluation, evidence: ((Endpoint?) -> [EvidenceItem])? = nil) -> SystemDTO {
            let evidence = evidence ?? { endpoint in s.evidence.filter { $0.endpoint == endpoint }.map { .typed($0) } }
            return SystemDTO(
                id: s.system.id, name: s.system.name, agency: s.system.agency,
                agencyName: report.inventory.agency(id: s.system.agency)?.name ?? s.system.agency,
                level: s.system.level.value, dossier: s.system.dossier, regime: s.regime, tags: s.system.tags,
                layers: s.layers.map { LayerDTO(layer: $0.layer.code, status: $0.status, reasons: $0.reasons) },
                endpoints: s.system.endpoints.map { ep in
                    EndpointDTO(endpoint: ep.description, evidence: evidence(ep),
                                measurements: s.measurements.filter { $0.endpoint == ep }.map {
                                    MeasurementDTO(rule: $0.rule, facts: Dictionary($0.facts.map { ($0.name, $0.value) },
                                                                                    uniquingKeysWith: { a, _ in a }))
                                })
                },
                evidence: evidence(nil),
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
