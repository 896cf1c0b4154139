import GovAuditCore

/// Rules on the whole chain and what comes with it: order and anchor, the leaf's lifespan, the
/// stapled OCSP response, Must-Staple, Certificate Transparency. Limits are policy parameters.
enum TLSChainRules {
    static let all: [RuleImplementation] = [misordered, anchorSent, lifespan, ocspRevoked, ocspInvalid, mustStapleUnmet, noSCT]

    /// One certificate the server sent: how findings name it, and its place.
    struct Sent {
        /// "" for the first leaf (its findings keep the key they always had); "intermediate: CN";
        /// for another key type's deployment, its key type first ("EC leaf", "EC intermediate: CN").
        var label: String
        var entry: TLSCertificate.ChainEntry
        var isLeaf: Bool
        /// A self-signed certificate after the leaf: a root sent along, which clients ignore.
        var isAnchor: Bool
    }

    /// Every certificate of every deployment, leaf first in each.
    static func sent(_ t: TLSCertificate) -> [Sent] {
        func walk(_ chain: [TLSCertificate.ChainEntry], prefix: String) -> [Sent] {
            chain.enumerated().map { i, e in
                Sent(label: i == 0 ? (prefix.isEmpty ? "" : prefix + "leaf") : "\(prefix)intermediate: \(e.subject)",
                     entry: e, isLeaf: i == 0, isAnchor: i > 0 && e.selfSigned)
            }
        }
        return walk(t.chain, prefix: "") + t.otherKeyTypes.flatMap { o in walk(o.chain, prefix: "\(o.chain.first?.keyType ?? "other") ") }
    }

    /// Every deployment's chain: the first one, then the other key types'.
    static func chains(_ t: TLSCertificate) -> [(prefix: String, chain: [TLSCertificate.ChainEntry])] {
        [("", t.chain)] + t.otherKeyTypes.map { ("\($0.chain.first?.keyType ?? "other") ", $0.chain) }
    }

    private static func perCert(_ c: RuleContext, _ judge: @escaping (Endpoint, TLSCertificate) -> [Observation]) -> Verdict {
        EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: TLSRules.https(c)) { ep, t in judge(ep, t) }
    }

    /// Each certificate should be followed by its issuer (RFC 8446 §4.4.2 still asks it of the
    /// certificates that matter); clients that do not reorder fail on a shuffled chain.
    static let misordered = RuleImplementation("tls.chain-misordered") { c in
        perCert(c) { ep, t in
            chains(t).compactMap { prefix, chain in
                let breaks = zip(chain, chain.dropFirst()).enumerated().filter { $1.0.issuerName != $1.1.subjectName }
                guard let first = breaks.first else { return nil }
                return Observation(endpoint: ep, subject: prefix.trimmingCharacters(in: .whitespaces),
                                   facts: [Fact("position", String(first.offset + 2)), Fact("expected", first.element.0.issuerName),
                                           Fact("sent", first.element.1.subjectName)])
            }
        }
    }

    static let anchorSent = RuleImplementation("tls.chain-anchor-sent") { c in
        perCert(c) { ep, t in
            sent(t).filter(\.isAnchor).map { Observation(endpoint: ep, subject: $0.label, facts: [Fact("root", $0.entry.subject)]) }
        }
    }

    /// CA/Browser Forum Baseline Requirements §6.3.2: a leaf valid longer than the policy's days.
    static let lifespan = RuleImplementation("tls.cert-lifespan", parameters: [.init("maxDays", .integer(1...3650))]) { c in
        guard let most = c.parameters.int("maxDays") else { return .unknown("tls.cert-lifespan: no maxDays in the policy") }
        return perCert(c) { ep, t in
            sent(t).filter(\.isLeaf).compactMap { s in
                let days = Int((s.entry.notAfter.secondsSince1970 - s.entry.notBefore.secondsSince1970) / 86_400)
                return days > most ? Observation(endpoint: ep, subject: s.label, facts: [
                    Fact("days", String(days)), Fact("maximum", String(most)), Fact("notBefore", s.entry.notBefore.description),
                    Fact("notAfter", s.entry.notAfter.description)]) : nil
            }
        }
    }

    static let ocspRevoked = RuleImplementation("tls.ocsp-revoked") { c in
        TLSRules.cert(c) { t in
            guard let o = t.ocsp, o.certStatus == "revoked", o.matchesLeaf != false else { return nil }
            return [Fact("subject", t.subject), Fact("revokedAt", o.revokedAt?.description ?? "-")]
        }
    }

    /// A staple a client must throw away: not a successful response, another certificate's, of
    /// unknown status, or past its nextUpdate on the as-of day.
    static let ocspInvalid = RuleImplementation("tls.ocsp-staple-invalid") { c in
        TLSRules.cert(c) { t in
            guard let o = t.ocsp else { return nil }
            var problems: [String] = []
            if o.responseStatus != "successful" { problems.append("response status \(o.responseStatus)") }
            else if o.certStatus == nil { problems.append("no single response") }
            if o.matchesLeaf == false { problems.append("the response is for another certificate") }
            if o.certStatus == "unknown" { problems.append("certificate status unknown") }
            if let next = o.nextUpdate, next.vietnamDay < c.asOf { problems.append("nextUpdate \(next) has passed") }
            return problems.isEmpty ? nil : Fact.list("problems", problems)
                + [Fact("producedAt", o.producedAt?.description ?? "-"), Fact("nextUpdate", o.nextUpdate?.description ?? "-")]
        }
    }

    /// RFC 7633: a Must-Staple leaf served without a good staple is a hard failure in Firefox.
    static let mustStapleUnmet = RuleImplementation("tls.must-staple-unmet") { c in
        TLSRules.cert(c) { t in
            t.chain.first?.mustStaple == true && !(t.ocspStapled && t.ocsp?.certStatus == "good")
                ? [Fact("subject", t.subject), Fact("stapled", t.ocsp.map { "\($0.responseStatus) \($0.certStatus ?? "-")" } ?? "none")] : nil
        }
    }

    /// Certificate Transparency (RFC 6962): Chrome and Safari require SCTs of a publicly trusted
    /// leaf; a chain that verifies and carries none by any route.
    static let noSCT = RuleImplementation("tls.no-sct") { c in
        TLSRules.cert(c) { t in
            t.verifies && t.signedCertificateTimestamps == 0 && (t.chain.first?.embeddedSCTs ?? 0) == 0
                ? [Fact("subject", t.subject), Fact("issuer", t.issuer)] : nil
        }
    }
}
