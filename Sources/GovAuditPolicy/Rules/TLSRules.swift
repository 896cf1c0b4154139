import GovAuditCore

/// The TLS grade, A+ to F, with T (not trusted) and M (name mismatch) as in the SSL Labs rating
/// guide's spirit. Each problem caps the grade; the caps are the tls.grade rule's parameters.
public enum TLSGrade {
    public static let order = ["A+", "A", "B", "C", "D", "E", "F", "T", "M"]

    /// The problems that cap the grade: the keys of tls.grade's `caps`, each required.
    public enum Cap: String, CaseIterable, Sendable {
        case ssl, exportOrAnonymous, rc4, des, legacyProtocols, noTLS12, noForwardSecrecy
        case expired, untrusted, weakKey, sha1, mismatch
    }

    /// What tls.grade reads; the TLS report section computes the grade with the same values.
    static let parameters: [ParameterSpec] = [
        .init("minimumGrade", .oneOf(order)),
        .init("minRSABits", .integer(512...16_384)),
        // Without a cap, a redirect to HTTPS and HSTS of at least this many seconds make A+.
        .init("hstsMinMaxAge", .integer(0...315_360_000)),
        .init("caps", .record(keys: Cap.allCases.map(\.rawValue), .oneOf(order))),
    ]

    static func rank(_ g: String) -> Int { order.firstIndex(of: g) ?? order.count }

    /// The grade and the caps that set it; `parameters` are tls.grade's (validated by the loader).
    public static func compute(offer: TLSOffer, certificate: TLSCertificate?, https: HTTPSFacts?,
                               parameters: Parameters) -> (grade: String, reasons: [String]) {
        let caps = parameters.textTable("caps"), minRSABits = parameters.integer("minRSABits")
        var applied: [(String, String)] = []
        func cap(_ key: Cap, when condition: Bool) {
            if condition, let g = caps[key.rawValue] { applied.append((key.rawValue, g)) }
        }
        let weak = Set(offer.weakSuites.values)
        cap(.ssl, when: offer.protocols.contains("SSLv2") || offer.protocols.contains("SSLv3"))
        cap(.exportOrAnonymous, when: weak.contains("export") || weak.contains("anonymous") || weak.contains("null-cipher"))
        cap(.rc4, when: weak.contains("rc4"))
        cap(.des, when: weak.contains("des") || weak.contains("3des"))
        cap(.legacyProtocols, when: offer.protocols.contains("TLSv1") || offer.protocols.contains("TLSv1.1"))
        cap(.noTLS12, when: !offer.protocols.contains("TLSv1.2"))
        cap(.noForwardSecrecy, when: offer.forwardSecrecy != "all")
        if let c = certificate {
            cap(.expired, when: c.daysLeft < 0)
            cap(.untrusted, when: !c.trusted && c.daysLeft >= 0)
            cap(.weakKey, when: c.keyType == "RSA" && c.keyBits < minRSABits)
            cap(.sha1, when: c.signature.lowercased().contains("sha1") || c.signature.lowercased().contains("md5"))
            cap(.mismatch, when: !c.hostnameMatches)
        }
        var grade = applied.map(\.1).max { rank($0) < rank($1) } ?? "A"
        if applied.isEmpty, let h = https, let age = h.hstsMaxAge, age >= parameters.integer("hstsMinMaxAge"), h.redirectsToHTTPS {
            grade = "A+"
        }
        return (grade, applied.map { "\($0.0) → \($0.1)" })
    }
}

/// Rules on TLS (protocols, suites, certificate) and the HTTPS side (redirect, HSTS, headers).
enum TLSRules {
    static let all: [RuleImplementation] = [unavailable, sslOffered, legacyProtocols, noTLS12, weakSuites, noForwardSecrecy,
                                            certExpired, expiring("tls.cert-expiring"), expiring("tls.cert-expiring-urgent"), certUntrusted, certIncomplete, certHostname,
                                            certWeakKey, certWeakSignature, grade,
                                            noRedirect, temporaryRedirect, noHSTS, shortHSTS, missingHeaders, versionBanner]

    private static func https(_ c: RuleContext) -> [Endpoint] { c.webEndpoints.filter { $0.scheme == "https" } }

    private static func offer(_ c: RuleContext, _ judge: @escaping (TLSOffer) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: https(c)) { ep, o in judge(o).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    private static func cert(_ c: RuleContext, _ judge: @escaping (TLSCertificate) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: https(c)) { ep, t in judge(t).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    private static func site(_ c: RuleContext, _ judge: @escaping (HTTPSFacts) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, HTTPSFacts.self, endpoints: https(c)) { ep, h in judge(h).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    /// An https endpoint whose TLS port refuses, stalls or hangs up: a finding, not an unknown.
    static let unavailable = RuleImplementation("tls.unavailable") { c in
        EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: https(c),
            onFailed: { ep, r in [Observation(endpoint: ep, facts: [Fact("port", String(ep.effectivePort)), Fact("result", r.code), Fact("detail", r.detail)])] }
        ) { _, _ in [] }
    }

    static let sslOffered = RuleImplementation("tls.ssl-offered") { c in
        offer(c) { o in
            let ssl = o.protocols.filter { $0.hasPrefix("SSL") }
            return ssl.isEmpty ? nil : [Fact("protocols", ssl.joined(separator: " "))]
        }
    }

    static let legacyProtocols = RuleImplementation("tls.legacy-protocols") { c in
        offer(c) { o in
            let old = o.protocols.filter { $0 == "TLSv1" || $0 == "TLSv1.1" }
            return old.isEmpty ? nil : [Fact("protocols", old.joined(separator: " "))]
        }
    }

    static let noTLS12 = RuleImplementation("tls.no-tls12") { c in
        offer(c) { o in o.protocols.contains("TLSv1.2") ? nil : [Fact("protocols", o.protocols.joined(separator: " "))] }
    }

    static let weakSuites = RuleImplementation("tls.weak-suites") { c in
        offer(c) { o in
            o.weakSuites.isEmpty ? nil : [Fact("suites", o.weakSuites.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))]
        }
    }

    static let noForwardSecrecy = RuleImplementation("tls.no-forward-secrecy") { c in
        offer(c) { o in
            guard o.forwardSecrecy != "all" else { return nil }
            let withoutFS = o.suites.values.flatMap { $0 }.filter { $0.contains("TLS_RSA_") }
            return [Fact("forwardSecrecy", o.forwardSecrecy), Fact("suites", Array(Set(withoutFS)).sorted().joined(separator: ", "))]
        }
    }

    static let certExpired = RuleImplementation("tls.cert-expired") { c in
        cert(c) { t in t.daysLeft < 0 ? [Fact("subject", t.subject), Fact("notAfter", t.notAfter), Fact("daysLeft", String(t.daysLeft))] : nil }
    }

    /// One evaluator, two windows (30 and 7 days by default, two severities): the rule ids differ.
    static func expiring(_ id: String) -> RuleImplementation { RuleImplementation(id, parameters: [.init("warnDays", .integer(0...3650))]) { c in
        let window = c.parameters.integer("warnDays")
        return cert(c) { t in
            (0...window).contains(t.daysLeft) ? [Fact("subject", t.subject), Fact("notAfter", t.notAfter), Fact("daysLeft", String(t.daysLeft))] : nil
        }
    } }

    static let certUntrusted = RuleImplementation("tls.cert-untrusted") { c in
        cert(c) { t in
            t.trusted || t.daysLeft < 0 ? nil
                : [Fact("subject", t.subject), Fact("issuer", t.issuer), Fact("error", t.verifyError ?? "-"), Fact("selfSigned", t.selfSigned ? "yes" : "no")]
        }
    }

    static let certIncomplete = RuleImplementation("tls.cert-incomplete-chain") { c in
        cert(c) { t in t.chainComplete ? nil : [Fact("subject", t.subject), Fact("chainLength", String(t.chainLength)), Fact("issuer", t.issuer)] }
    }

    static let certHostname = RuleImplementation("tls.cert-hostname") { c in
        EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: https(c)) { ep, t in
            var out: [Observation] = []
            if !t.hostnameMatches {
                out.append(Observation(endpoint: ep, subject: "sni", facts: [Fact("host", ep.host), Fact("subject", t.subject),
                                                                            Fact("subjectAltNames", t.subjectAltNames.joined(separator: " "))]))
            }
            if let other = t.withoutSNISubject, t.withoutSNIHostnameMatches == false {
                out.append(Observation(endpoint: ep, subject: "no-sni", facts: [Fact("host", ep.host), Fact("withoutSNI", other)]))
            }
            return out
        }
    }

    static let certWeakKey = RuleImplementation("tls.cert-weak-key", parameters: [
        .init("minRSABits", .integer(512...16_384)), .init("minECBits", .integer(160...571)),
    ]) { c in
        let rsa = c.parameters.integer("minRSABits"), ec = c.parameters.integer("minECBits")
        return cert(c) { t in
            (t.keyType == "RSA" && t.keyBits < rsa) || (t.keyType == "EC" && t.keyBits < ec)
                ? [Fact("key", "\(t.keyType)-\(t.keyBits)"), Fact("minimum", t.keyType == "EC" ? "EC-\(ec)" : "RSA-\(rsa)")] : nil
        }
    }

    static let certWeakSignature = RuleImplementation("tls.cert-weak-signature") { c in
        cert(c) { t in
            let s = t.signature.lowercased()
            return s.contains("sha1") || s.contains("md5") ? [Fact("signature", t.signature), Fact("subject", t.subject)] : nil
        }
    }

    /// The grade, as a finding when below `minimumGrade`.
    static let grade = RuleImplementation("tls.grade", parameters: TLSGrade.parameters) { c in
        let minimum = c.parameters.text("minimumGrade")
        return EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: https(c)) { ep, o in
            let t = c.evidence(TLSCertificate.self, for: ep).compactMap { $0.facts(as: TLSCertificate.self) }.first
            let h = c.evidence(HTTPSFacts.self, for: ep).compactMap { $0.facts(as: HTTPSFacts.self) }.first
            let g = TLSGrade.compute(offer: o, certificate: t, https: h, parameters: c.parameters)
            guard TLSGrade.rank(g.grade) > TLSGrade.rank(minimum) else { return [] }
            return [Observation(endpoint: ep, facts: [Fact("grade", g.grade), Fact("minimum", minimum), Fact("caps", g.reasons.joined(separator: "; "))])]
        }
    }

    static let noRedirect = RuleImplementation("https.no-redirect") { c in
        site(c) { h in h.redirectsToHTTPS ? nil : [Fact("http.status", h.httpStatus.map(String.init) ?? "-"), Fact("http.location", h.httpLocation ?? "-")] }
    }

    static let temporaryRedirect = RuleImplementation("https.redirect-temporary") { c in
        site(c) { h in
            h.redirectsToHTTPS && ![301, 308].contains(h.httpStatus ?? 0) ? [Fact("http.status", String(h.httpStatus ?? 0))] : nil
        }
    }

    static let noHSTS = RuleImplementation("https.no-hsts") { c in
        site(c) { h in h.hstsMaxAge == nil ? [Fact("Strict-Transport-Security", h.strictTransportSecurity ?? "absent")] : nil }
    }

    static let shortHSTS = RuleImplementation("https.hsts-short", parameters: [.init("minMaxAge", .integer(0...315_360_000))]) { c in
        let minimum = c.parameters.integer("minMaxAge")
        return site(c) { h in
            guard let age = h.hstsMaxAge, age < minimum else { return nil }
            return [Fact("max-age", String(age)), Fact("minimum", String(minimum)), Fact("includeSubDomains", h.hstsIncludeSubDomains ? "yes" : "no")]
        }
    }

    static let missingHeaders = RuleImplementation("https.missing-headers") { c in
        site(c) { h in
            let missing = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"]
                .filter { !h.securityHeaders.contains($0) }
            return missing.isEmpty ? nil : [Fact("missing", missing.joined(separator: ", "))]
        }
    }

    static let versionBanner = RuleImplementation("https.version-banner") { c in
        site(c) { h in h.versionBanner.map { [Fact("Server", $0)] } }
    }
}
