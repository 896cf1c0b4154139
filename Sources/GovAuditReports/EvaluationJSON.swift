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
            var compact: [UInt8]
            if let stored = storedEvidence {
                let indexed = Array(stored.enumerated())
                let items: (Endpoint?) -> [EvidenceItem] = { endpoint in
                    let text = endpoint?.description
                    return indexed.filter { $0.element.endpoint == text }.map { .stored($0.offset) }
                }
                compact = Self.splice(try compactBytes(dto(s, evidence: items)), stored)
            } else {
                compact = try compactBytes(dto(s))
            }
            // Laid out once, at the depth of an element of "systems" (two levels, four spaces).
            var out = Array((first ? "    " : ",\n    ").utf8)
            out.reserveCapacity(out.count + compact.count * 2)
            JSONLayout.pretty(compact, depth: 2, into: &out)
            return String(decoding: out, as: UTF8.self)
        }

        /// What an evidence record's place holds until `splice` writes the stored text there: a
        /// string no scanned text can forge (a random part per process).
        static let marker = "ga-evidence-\(UInt64.random(in: .min ... .max))-"

        /// `compact` with each marker string (an element of an evidence list) replaced by that
        /// record's stored text, which is compact JSON too.
        static func splice(_ compact: [UInt8], _ stored: [EvidenceJSON]) -> [UInt8] {
            let prefix = [UInt8(ascii: "\"")] + Array(marker.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(compact.count + stored.reduce(0) { $0 + $1.json.count })
            var start = 0, i = 0
            while i < compact.count {
                guard compact[i] == prefix[0], let (index, end) = markerAt(compact, i, prefix: prefix), index < stored.count else {
                    i += 1
                    continue
                }
                out.append(contentsOf: compact[start..<i])
                out.append(contentsOf: stored[index].json)
                (start, i) = (end, end)
            }
            out.append(contentsOf: compact[start...])
            return out
        }

        /// The record index of a string `"<marker>N"` starting at `i`, and where it ends; nil for
        /// any other string (scanned text cannot hold the marker: its random part is unknown).
        static func markerAt(_ bytes: [UInt8], _ i: Int, prefix: [UInt8]) -> (Int, Int)? {
            guard bytes.count - i > prefix.count + 1, bytes[i..<(i + prefix.count)].elementsEqual(prefix) else { return nil }
            var j = i + prefix.count, index = 0
            while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") {
                index = index * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                j += 1
            }
            guard j > i + prefix.count, j < bytes.count, bytes[j] == UInt8(ascii: "\"") else { return nil }
            return (index, j + 1)
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

    /// `encode`'s value compact (keys sorted, dates ISO 8601), as `JSONLayout.pretty` takes it.
    static func compactBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        try SortedJSONEncoder(dateText: { $0.formatted(.iso8601) }).encode(value)
    }

    /// `encode`'s bytes.
    static func encodedBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }
}
