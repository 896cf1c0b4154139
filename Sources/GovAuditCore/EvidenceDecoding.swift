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
    /// The record was written with another version of the kind's facts than this build reads.
    case versionMismatch(kind: String, stored: Int, known: Int)

    public var description: String {
        switch self {
        case .unknownKind(let k): "evidence kind '\(k)' is unknown to this build"
        case .factsDoNotMatchOutcome(let k, let o):
            "evidence '\(k)' with outcome '\(o)': facts are present exactly when the outcome is collected"
        case .kindMismatch(let e, let f): "evidence '\(e)' decoded as facts of kind '\(f)'"
        case .versionMismatch(let k, let s, let n): "evidence '\(k)' of version \(s); this build reads version \(n)"
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
    public init(kind: String, version: Int, endpoint: Endpoint?, outcome: Outcome,
                decodedFacts: (any EvidenceFacts)?) throws(EvidenceDecodingError) {
        guard (outcome == .collected) == (decodedFacts != nil) else {
            throw .factsDoNotMatchOutcome(kind: kind, outcome: outcome.statusName)
        }
        if let decodedFacts, type(of: decodedFacts).kind != kind {
            throw .kindMismatch(expected: kind, found: type(of: decodedFacts).kind)
        }
        if let decodedFacts, type(of: decodedFacts).version != version {
            throw .versionMismatch(kind: kind, stored: version, known: type(of: decodedFacts).version)
        }
        self.kind = kind
        self.version = version
        self.endpoint = endpoint
        self.outcome = outcome
        self.facts = decodedFacts
    }

    /// Reads one stored record back into its typed facts: kind, version, endpoint, outcome, and
    /// the facts through `catalog`. A kind this build does not know, or a version other than the
    /// one it writes, is an error: stored evidence is never read as something it was not.
    public init(from decoder: Decoder, catalog: EvidenceCatalog) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        guard let known = catalog.version(of: kind) else { throw EvidenceDecodingError.unknownKind(kind) }
        let version = try c.decode(Int.self, forKey: .version)
        guard known == version else { throw EvidenceDecodingError.versionMismatch(kind: kind, stored: version, known: known) }
        let endpoint = try c.decodeIfPresent(Endpoint.self, forKey: .endpoint)
        let outcome = try c.decode(Outcome.self, forKey: .outcome)
        let facts = try c.contains(.facts) && !c.decodeNil(forKey: .facts)
            ? try catalog.decodeFacts(kind: kind, from: c.superDecoder(forKey: .facts)) : nil
        try self.init(kind: kind, version: version, endpoint: endpoint, outcome: outcome, decodedFacts: facts)
    }
}

extension CodingUserInfoKey {
    /// The `EvidenceCatalog` a decoder reads `StoredEvidence` with.
    public static let evidenceCatalog = CodingUserInfoKey(rawValue: "govaudit.evidenceCatalog")!
}

/// Evidence read by a `Decoder` whose `userInfo[.evidenceCatalog]` holds the catalog, so
/// arrays of records decode with a plain `JSONDecoder`.
public struct StoredEvidence: Decodable, Sendable {
    public var evidence: Evidence

    public init(from decoder: Decoder) throws {
        guard let catalog = decoder.userInfo[.evidenceCatalog] as? EvidenceCatalog else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "no evidence catalog in the decoder's userInfo"))
        }
        evidence = try Evidence(from: decoder, catalog: catalog)
    }
}

extension EvidenceCatalog {
    /// Decodes the JSON text of one kind's facts; nil when the kind is unknown to this build.
    /// Dates in facts are ISO-8601 text in UTC, with or without fractional seconds (the history
    /// store writes milliseconds, the JSON output whole seconds).
    public func decodeFacts(kind: String, json: Data) throws -> (any EvidenceFacts)? {
        guard kinds.contains(kind) else { return nil }
        let decoder = JSONTextDecoder(dateFromText: { text in
            // With milliseconds (the store) or without (the JSON output); failing the first
            // form only means the second is tried, and failing both is the error.
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            do { return try Date.ISO8601FormatStyle().parse(text) } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an ISO-8601 date: \(text)"))
            }
        }, userInfo: [FactsBox.catalogKey: self, FactsBox.kindKey: kind])
        return try decoder.decode(FactsBox.self, from: Array(json)).facts
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
