import Foundation

extension Evidence {
    /// Reads one stored record back into its typed facts: kind, version, endpoint, outcome, and
    /// the facts through `catalog`. A kind this build does not know, or a version other than the
    /// one it writes, is an error: stored evidence is never read as something it was not.
    public init(from decoder: Decoder, catalog: EvidenceCatalog) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        let version = try c.decode(Int.self, forKey: .version)
        guard let known = catalog.version(of: kind) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown evidence kind '\(kind)'")
        }
        guard known == version else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c,
                debugDescription: "evidence '\(kind)' of version \(version); this build reads version \(known)")
        }
        self.kind = kind
        self.version = version
        self.endpoint = try c.decodeIfPresent(Endpoint.self, forKey: .endpoint)
        self.outcome = try c.decode(Outcome.self, forKey: .outcome)
        if outcome == .collected {
            self.facts = try catalog.decodeFacts(kind: kind, from: c.superDecoder(forKey: .facts))
        } else {
            self.facts = nil
        }
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
