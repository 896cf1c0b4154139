import GovAuditCore

/// Rules on every address of an https endpoint (tls.addresses): an address that serves another
/// configuration, an IPv6 front end older than the IPv4 one, an address where TLS fails while
/// others answer. Findings name the addresses in their facts; their keys never hold an address
/// (the subject is the aspect or the family), so DNS rotation does not make new findings.
enum TLSAddressRules {
    static let all: [RuleImplementation] = [differs, ipv6Older, unavailable]

    /// What keeps a clean result from being a pass: an address the scanner could not test, one
    /// a budget cut short, a family whose lookup failed.
    static func untested(_ a: TLSAddresses) -> String? {
        let why = a.records.compactMap { r -> String? in
            switch r.outcome {
            case .couldNotTest(let d): "\(r.address): could not test: \(d)"
            case .failed(let reason) where reason.isBudgetExhausted: "\(r.address): \(reason.detail)"
            default: nil
            }
        } + a.lookupFailures.map { "\($0.family.rawValue) lookup: \($0.reason)" }
        return why.isEmpty ? nil : why.joined(separator: "; ")
    }

    /// `incomplete`: what keeps a clean result from a pass (`untested` unless given).
    static func perAddresses(_ c: RuleContext, incomplete: @escaping (TLSAddresses) -> String? = untested,
                             _ judge: @escaping (Endpoint, TLSAddresses) -> [Observation]) -> Verdict {
        // A stored scan made before every address was probed has no tls.addresses: not
        // applicable to it, rather than unknown (a live scan always writes the kind).
        if c.probed, !c.evidence.contains(where: { $0.kind == TLSAddresses.kind }), c.evidence.contains(where: { $0.kind == TLSOffer.kind }) {
            return .notApplicable("no \(TLSAddresses.kind) evidence: the scan predates this check")
        }
        return EvidenceRule.perEndpoint(c, TLSAddresses.self, endpoints: TLSRules.https(c), incomplete: { _, a in incomplete(a) }, judge: judge)
    }

    static func names(_ versions: [TLSVersion]) -> String { versions.isEmpty ? "none" : versions.map(\.name).joined(separator: " ") }

    /// Per aspect (protocols, suites, certificate), the addresses that do not serve what most do.
    static let differs = RuleImplementation("tls.address-differs") { c in
        perAddresses(c) { ep, a in
            let ref = a.agreement.reference
            let byAddress = Dictionary(a.records.map { ($0.address, $0) }, uniquingKeysWith: { x, _ in x })
            return [TLSAddressAgreement.Aspect.protocols, .suites, .certificate].compactMap { aspect in
                let odd = a.agreement.differing.filter { $0.aspects.contains(aspect) }.compactMap { byAddress[$0.address] }
                guard !odd.isEmpty else { return nil }
                let facts: [Fact]
                switch aspect {
                case .protocols:
                    facts = [Fact("expected", names(ref.protocols ?? []))] + Fact.list("found", unique(odd.map { names($0.versions) }))
                case .certificate:
                    facts = [Fact("expected", ref.leafSHA256 ?? "-")] + Fact.list("found", unique(odd.compactMap(\.leafSHA256)))
                case .suites, .availability:
                    let base = ref.suitesOf.flatMap { byAddress[$0] }
                    let (extra, missing) = suiteDelta(odd, base)
                    facts = [Fact("expected", "the suites of \(ref.suitesOf ?? "-")")]
                        + (extra.isEmpty ? [] : Fact.list("suites.extra", extra)) + (missing.isEmpty ? [] : Fact.list("suites.missing", missing))
                }
                return Observation(endpoint: ep, subject: aspect.rawValue, facts: Fact.list("addresses", odd.map(\.address)) + facts)
            }
        }
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// Suites the odd addresses accept beyond the reference's, and the reference's they lack,
    /// as "TLSv1.2 NAME", sorted.
    static func suiteDelta(_ odd: [TLSAddresses.Record], _ base: TLSAddresses.Record?) -> (extra: [String], missing: [String]) {
        guard let base, let theirs = base.suites else { return ([], []) }
        func named(_ accepted: [TLSOffer.Accepted]) -> Set<String> {
            Set(accepted.flatMap { v in v.suites.map { "\(v.version.name) \($0.name ?? String(format: "0x%04X", $0.code))" } })
        }
        let reference = named(theirs)
        let all = odd.compactMap(\.suites).map(named)
        return (all.reduce(Set()) { $0.union($1.subtracting(reference)) }.sorted(),
                all.reduce(Set()) { $0.union(reference.subtracting($1)) }.sorted())
    }

    /// IPv6 addresses that accept a legacy protocol (the policy's list) no IPv4 address accepts,
    /// lack the newest version IPv4 offers, or accept a suite IPv4 does not that is weak
    /// (tls.weak-suites' properties) or gives no forward secrecy.
    static let ipv6Older = RuleImplementation("tls.ipv6-older",
                                              parameters: [.init("legacyProtocols", .list(.oneOf(TLSVersion.allCases.map(\.name))))]) { c in
        let legacy = Set((c.parameters.strings("legacyProtocols", level: c.system.level) ?? []).compactMap(TLSVersion.init(name:)))
        let weak = Set(c.parameters(ofRule: "tls.weak-suites")?.strings("weakProperties", level: c.system.level) ?? [])
        return perAddresses(c) { ep, a in
            let v4 = a.records.filter { $0.family == .ipv4 && $0.answered }, v6 = a.records.filter { $0.family == .ipv6 && $0.answered }
            guard !v4.isEmpty, !v6.isEmpty else { return [] }
            let protocols4 = Set(v4.flatMap(\.versions)), newest4 = protocols4.max()
            let suites4 = Set(v4.flatMap(suiteNames))
            func weaker(_ name: String) -> Bool {
                let t = CipherSuiteTraits.of(name)
                return !t.properties.isDisjoint(with: weak) || !t.forwardSecrecy
            }
            var extraLegacy = Set<TLSVersion>(), lacking = false, weakerSuites = Set<String>(), at: [String] = []
            for r in v6 {
                let old = Set(r.versions).intersection(legacy).subtracting(protocols4)
                let lacks = newest4.map { n in (r.versions.max() ?? .sslv2) < n } ?? false
                let suites = Set(suiteNames(r)).subtracting(suites4).filter(weaker)
                if !old.isEmpty || lacks || !suites.isEmpty { at.append(r.address) }
                extraLegacy.formUnion(old); lacking = lacking || lacks; weakerSuites.formUnion(suites)
            }
            guard !at.isEmpty else { return [] }
            var facts = Fact.list("addresses", at) + [Fact("ipv4.protocols", names(protocols4.sorted())),
                                                       Fact("ipv6.protocols", names(Set(v6.flatMap(\.versions)).sorted()))]
            if !extraLegacy.isEmpty { facts.append(Fact("legacy", names(extraLegacy.sorted()))) }
            if lacking, let newest4 { facts.append(Fact("missing", newest4.name)) }
            if !weakerSuites.isEmpty { facts += Fact.list("weakerSuites", weakerSuites.sorted()) }
            return [Observation(endpoint: ep, facts: facts)]
        }
    }

    /// The suite names an address is known to accept: every one where enumerated, else the
    /// ones its version hellos chose.
    static func suiteNames(_ r: TLSAddresses.Record) -> [String] {
        (r.suites?.flatMap(\.suites) ?? r.chosen.map(\.suite)).compactMap(\.name)
    }

    /// Per family, the addresses whose port refused, stayed silent or spoke no TLS while some
    /// address of the endpoint answered (all failing is tls.unavailable's, on the primary).
    static let unavailable = RuleImplementation("tls.address-unavailable") { c in
        perAddresses(c) { ep, a in
            guard a.records.contains(where: \.answered) else { return [] }
            return [AddressFamily.ipv4, .ipv6].compactMap { family in
                let failed = a.records.compactMap { r -> (String, FailureReason)? in
                    guard r.family == family, case .failed(let reason) = r.outcome, !reason.isBudgetExhausted else { return nil }
                    return (r.address, reason)
                }
                guard !failed.isEmpty else { return nil }
                return Observation(endpoint: ep, subject: family.rawValue, facts: [Fact("port", String(ep.effectivePort))]
                                   + Fact.list("addresses", failed.map(\.0))
                                   + Fact.list("results", unique(failed.map(\.1.code)))
                                   + Fact.list("details", failed.map { "\($0.0): \($0.1.detail)" }, separator: "; "))
            }
        }
    }
}
