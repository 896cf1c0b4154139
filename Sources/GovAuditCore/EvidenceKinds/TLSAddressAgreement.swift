/// Whether the addresses of one endpoint serve the same TLS: a fact computed from the records,
/// not a judgement (the rules decide what a difference is worth). Per aspect, the reference is
/// what most addresses that show it serve, a tie going to the primary's (else the first
/// address's); an address differs where its own value is another. Suites are compared only
/// between addresses enumerated in full; the certificate only where the handshake gave a leaf.
public struct TLSAddressAgreement: Sendable, Codable, Equatable {
    public enum Aspect: String, Sendable, Codable, CaseIterable, Comparable {
        /// TLS failed on this address (timeout, refusal, no TLS) while others answered.
        case availability
        case protocols
        case suites
        /// Another leaf certificate (SHA-256).
        case certificate

        public static func < (a: Aspect, b: Aspect) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// What most addresses serve.
    public struct Reference: Sendable, Codable, Equatable {
        public var protocols: [TLSVersion]?
        public var leafSHA256: String?
        /// The address whose suite lists are the reference; nil when none was enumerated.
        public var suitesOf: String?
        public init(protocols: [TLSVersion]? = nil, leafSHA256: String? = nil, suitesOf: String? = nil) {
            self.protocols = protocols; self.leafSHA256 = leafSHA256; self.suitesOf = suitesOf
        }
    }

    public struct Difference: Sendable, Codable, Equatable {
        public var address: String
        public var family: AddressFamily
        public var aspects: [Aspect]
        public init(address: String, family: AddressFamily, aspects: [Aspect]) {
            self.address = address; self.family = family; self.aspects = aspects
        }
    }

    /// True when every address answered and served the reference; false when one differs; nil
    /// when none differs but some could not be tested (or none answered): unknown.
    public var allAgree: Bool?
    public var reference: Reference
    /// The addresses that differ, in record order; empty when all agree.
    public var differing: [Difference]

    public init(allAgree: Bool?, reference: Reference, differing: [Difference]) {
        self.allAgree = allAgree; self.reference = reference; self.differing = differing
    }

    public init(_ records: [TLSAddresses.Record]) {
        let answered = records.filter(\.answered)
        let protocols = Self.majority(answered.map { ($0, $0.versions) })
        let leaf = Self.majority(answered.compactMap { r in r.leafSHA256.map { (r, $0) } })
        let suites = Self.majority(answered.compactMap { r in r.suiteSets.map { (r, $0) } })
        let suitesOf = answered.first { $0.suiteSets != nil && $0.suiteSets == suites }?.address
        var differing: [Difference] = []
        for r in records {
            var aspects: [Aspect] = []
            if case .failed = r.outcome, !answered.isEmpty { aspects.append(.availability) }
            if r.answered {
                if r.versions != protocols { aspects.append(.protocols) }
                if let s = r.suiteSets, s != suites { aspects.append(.suites) }
                if let l = r.leafSHA256, l != leaf { aspects.append(.certificate) }
            }
            if !aspects.isEmpty { differing.append(Difference(address: r.address, family: r.family, aspects: aspects)) }
        }
        let untested = records.contains { if case .couldNotTest = $0.outcome { true } else { false } }
        self.init(allAgree: !differing.isEmpty ? false : answered.isEmpty || untested ? nil : true,
                  reference: Reference(protocols: protocols, leafSHA256: leaf, suitesOf: suitesOf), differing: differing)
    }

    /// The value most records hold; a tie goes to the primary's value, else the earliest record's.
    static func majority<V: Hashable>(_ values: [(TLSAddresses.Record, V)]) -> V? {
        var counts: [V: Int] = [:]
        for (_, v) in values { counts[v, default: 0] += 1 }
        guard let most = counts.values.max() else { return nil }
        let tied = values.filter { counts[$0.1] == most }
        return (tied.first { $0.0.primary } ?? tied.first)?.1
    }
}
