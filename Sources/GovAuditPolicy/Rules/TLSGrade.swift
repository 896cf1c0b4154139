import GovAuditCore

/// The TLS grade, A+ to F, with T (not trusted) and M (name mismatch) as in the SSL Labs rating
/// guide's spirit. Each problem caps the grade; the caps and thresholds are the tls.grade rule's
/// parameters, and the grade is that rule's result (a measurement the reports read).
enum TLSGrade {
    static let order = ["A+", "A", "B", "C", "D", "E", "F", "T", "M"]
    /// What can cap a grade: the keys of the rule's `caps` parameter (each one required).
    static let caps = ["ssl", "exportOrAnonymous", "rc4", "des", "legacyProtocols", "noTLS12", "noForwardSecrecy",
                       "expired", "untrusted", "weakKey", "sha1", "mismatch"]

    static func rank(_ g: String) -> Int { order.firstIndex(of: g) ?? order.count }

    /// The tls.grade parameters the computation reads.
    struct Settings {
        var caps: [String: String]
        var minRSABits: Int
        /// HSTS max-age (with a redirect and no cap) that lifts A to A+.
        var plusMinMaxAge: Int
    }

    /// What one https endpoint showed, as the grade reads it.
    struct Facts {
        var offer: TLSOffer
        var certificate: TLSCertificate?
        var plain: PlainHTTPAnswer?
        var https: HTTPSAnswer?
        var host: String
    }

    /// The grade and the caps that set it.
    static func compute(_ f: Facts, asOf: CalendarDate, _ s: Settings) -> (grade: String, reasons: [String]) {
        var applied: [(String, String)] = []
        func cap(_ key: String, when condition: Bool) {
            if condition, let g = s.caps[key] { applied.append((key, g)) }
        }
        let properties = TLSRules.suiteTraits(f.offer).reduce(into: Set<String>()) { $0.formUnion($1.traits.properties) }
        let protocols = f.offer.protocols
        cap("ssl", when: protocols.contains(.sslv2) || protocols.contains(.sslv3))
        cap("exportOrAnonymous", when: !properties.isDisjoint(with: ["export", "anonymous", "null"]))
        cap("rc4", when: properties.contains("rc4"))
        cap("des", when: properties.contains("des") || properties.contains("3des"))
        cap("legacyProtocols", when: protocols.contains(.tls10) || protocols.contains(.tls11))
        cap("noTLS12", when: !protocols.contains(.tls12))
        cap("noForwardSecrecy", when: TLSRules.forwardSecrecy(f.offer) != "all")
        if let c = f.certificate {
            let days = c.daysLeft(asOf: asOf)
            cap("expired", when: days < 0)
            cap("untrusted", when: !c.verifies && days >= 0)
            // Every certificate sent counts, intermediates and other key types' included.
            let judged = TLSChainRules.sent(c).filter { !$0.isAnchor }.map(\.entry)
            cap("weakKey", when: judged.contains { $0.keyType == "RSA" && $0.keyBits < s.minRSABits })
            cap("sha1", when: judged.contains { TLSRules.weakSignature($0.signature) })
            cap("mismatch", when: !c.hostnameMatches)
        }
        var grade = applied.map(\.1).max { rank($0) < rank($1) } ?? "A"
        if applied.isEmpty, let age = f.https?.strictTransportSecurity?.maxAge, age >= s.plusMinMaxAge,
           let plain = f.plain, HTTPSRules.redirectsToHTTPS(plain, host: f.host) {
            grade = "A+"
        }
        return (grade, applied.map { "\($0.0) → \($0.1)" })
    }
}

extension TLSRules {
    private static func settings(_ c: RuleContext) -> TLSGrade.Settings? {
        guard case .map(let m)? = c.parameters["caps"], let bits = c.parameters.int("minRSABits"),
              let plus = c.parameters.int("plusMinMaxAge") else { return nil }
        return TLSGrade.Settings(caps: m.compactMapValues(\.string), minRSABits: bits, plusMinMaxAge: plus)
    }

    /// Why the certificate inspection was cut short by a budget, if it was: a grade without the
    /// certificate could only be too kind, so there is none.
    private static func certificateCut(_ c: RuleContext, _ ep: Endpoint) -> String? {
        c.evidence(TLSCertificate.self, for: ep).compactMap { e -> String? in
            if case .failed(let r) = e.outcome, r.isBudgetExhausted { return r.detail }
            return nil
        }.first
    }

    /// The grade of every https endpoint whose offer was collected and whose certificate was
    /// not cut short.
    private static func grades(_ c: RuleContext, _ s: TLSGrade.Settings) -> [(Endpoint, (grade: String, reasons: [String]))] {
        https(c).compactMap { ep in
            guard certificateCut(c, ep) == nil, let offer = c.evidence(TLSOffer.self, for: ep).compactMap({ $0.facts(as: TLSOffer.self) }).first else { return nil }
            func first<F: EvidenceFacts>(_ t: F.Type) -> F? { c.evidence(t, for: ep).compactMap { $0.facts(as: t) }.first }
            let f = TLSGrade.Facts(offer: offer, certificate: first(TLSCertificate.self), plain: first(PlainHTTPAnswer.self),
                                   https: first(HTTPSAnswer.self), host: ep.host)
            return (ep, TLSGrade.compute(f, asOf: c.asOf, s))
        }
    }

    /// The grade, as a finding when below `minimumGrade`; every endpoint's grade as a measurement.
    static let grade = RuleImplementation("tls.grade", parameters: [
        .init("minimumGrade", .oneOf(TLSGrade.order)), .init("caps", .record(keys: TLSGrade.caps, .oneOf(TLSGrade.order))),
        .init("minRSABits", .integer(512...16_384)), .init("plusMinMaxAge", .integer(0...315_360_000)),
    ], evaluate: { c in
        guard let s = settings(c), let minimum = c.parameters["minimumGrade"]?.string else {
            return .unknown("tls.grade: the policy's parameters are incomplete")
        }
        let byEndpoint = Dictionary(grades(c, s).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        return EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: https(c), incomplete: { ep, _ in
            certificateCut(c, ep).map { "the certificate was not inspected: \($0)" }
        }) { ep, _ in
            guard let g = byEndpoint[ep], TLSGrade.rank(g.grade) > TLSGrade.rank(minimum) else { return [] }
            return [Observation(endpoint: ep, facts: [Fact("grade", g.grade), Fact("minimum", minimum), Fact("caps", g.reasons.joined(separator: "; "))])]
        }
    }, measure: { c in
        guard let s = settings(c) else { return [] }
        return grades(c, s).map { ep, g in Observation(endpoint: ep, facts: [Fact("grade", g.grade), Fact("caps", g.reasons.joined(separator: "; "))]) }
    })
}
