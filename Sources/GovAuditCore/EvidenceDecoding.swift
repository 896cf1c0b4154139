import Foundation

// Reading stored evidence back into its types. Kept apart from Evidence.swift: decoding needs a
// catalog (facts are typed by `kind`), so it cannot be a plain `Decodable` conformance.

/// Why stored evidence could not be turned back into an `Evidence` value.
public enum EvidenceDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind is not in the catalog: this build does not know it (a newer or removed probe).
    case unknownKind(String)
    /// Facts were present on a step that was not collected, or missing on one that was.
    case factsDoNotMatchOutcome(kind: String, outcome: String)
    /// The facts decoded to a type of another kind than the record names.
    case kindMismatch(expected: String, found: String)

    public var description: String {
        switch self {
        case .unknownKind(let k): "evidence kind '\(k)' is unknown to this build"
        case .factsDoNotMatchOutcome(let k, let o):
            "evidence '\(k)' with outcome '\(o)': facts are present exactly when the outcome is collected"
        case .kindMismatch(let e, let f): "evidence '\(e)' decoded as facts of kind '\(f)'"
        }
    }
}

extension Outcome {
    /// The status word the JSON uses: `collected`, `failed`, `could-not-test`, `not-applicable`.
    public var statusName: String {
        switch self {
        case .collected: "collected"
        case .failed: "failed"
        case .couldNotTest: "could-not-test"
        case .notApplicable: "not-applicable"
        }
    }
}

extension Evidence {
    /// Evidence whose facts were already decoded (by `EvidenceCatalog.decodeFacts`), with the
    /// invariants the generic initializers guarantee checked again: stored data is untrusted.
    public init(kind: String, endpoint: Endpoint?, outcome: Outcome,
                decodedFacts: (any EvidenceFacts)?) throws(EvidenceDecodingError) {
        guard (outcome == .collected) == (decodedFacts != nil) else {
            throw .factsDoNotMatchOutcome(kind: kind, outcome: outcome.statusName)
        }
        if let decodedFacts, type(of: decodedFacts).kind != kind {
            throw .kindMismatch(expected: kind, found: type(of: decodedFacts).kind)
        }
        self.kind = kind
        self.endpoint = endpoint
        self.outcome = outcome
        self.facts = decodedFacts
    }

    private enum DecodingKeys: String, CodingKey { case kind, endpoint, outcome, facts }

    /// Reads evidence in the form `encode(to:)` writes, typing its facts through `catalog`.
    /// Throws `EvidenceDecodingError.unknownKind` for a kind the catalog lacks.
    public init(from decoder: Decoder, catalog: EvidenceCatalog) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        let endpoint = try c.decodeIfPresent(Endpoint.self, forKey: .endpoint)
        let outcome = try c.decode(Outcome.self, forKey: .outcome)
        var facts: (any EvidenceFacts)?
        if c.contains(.facts), try !c.decodeNil(forKey: .facts) {
            guard let decoded = try catalog.decodeFacts(kind: kind, from: try c.superDecoder(forKey: .facts)) else {
                throw EvidenceDecodingError.unknownKind(kind)
            }
            facts = decoded
        } else if !catalog.kinds.contains(kind) {
            throw EvidenceDecodingError.unknownKind(kind)
        }
        try self.init(kind: kind, endpoint: endpoint, outcome: outcome, decodedFacts: facts)
    }
}

extension EvidenceCatalog {
    /// Decodes the JSON text of one kind's facts; nil when the kind is unknown to this build.
    /// Dates in facts are ISO-8601 text in UTC, with or without fractional seconds (the history
    /// store writes milliseconds, the JSON output whole seconds).
    public func decodeFacts(kind: String, json: Data) throws -> (any EvidenceFacts)? {
        guard kinds.contains(kind) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO-8601 date: \(text)")
        }
        decoder.userInfo[FactsBox.catalogKey] = self
        decoder.userInfo[FactsBox.kindKey] = kind
        return try decoder.decode(FactsBox.self, from: json).facts
    }
}

/// Carries a catalog and a kind into a JSONDecoder, which only hands out a `Decoder` to types.
private struct FactsBox: Decodable {
    static let catalogKey = CodingUserInfoKey(rawValue: "govaudit.evidence.catalog")!
    static let kindKey = CodingUserInfoKey(rawValue: "govaudit.evidence.kind")!
    let facts: (any EvidenceFacts)?

    init(from decoder: Decoder) throws {
        guard let catalog = decoder.userInfo[Self.catalogKey] as? EvidenceCatalog,
              let kind = decoder.userInfo[Self.kindKey] as? String else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no evidence catalog given"))
        }
        facts = try catalog.decodeFacts(kind: kind, from: decoder)
    }
}
