import GovAuditCore

/// Rules on TLS: protocols, suites and the certificate, judged on the as-of day with the
/// policy's parameters (which suite properties are weak, key sizes, expiry windows).
enum TLSRules {
    static let all: [RuleImplementation] = [unavailable, sslOffered, legacyProtocols, noTLS12, weakSuites, noForwardSecrecy,
                                            certExpired, expiring("tls.cert-expiring"), expiring("tls.cert-expiring-urgent"), certUntrusted,
                                            certIncomplete, certHostname, certWeakKey, certWeakSignature, grade]
        + TLSChainRules.all + HTTPSRules.all + HTTPSHeaderRules.all + SecurityTxtRules.all + CertificateNameRules.all

    static func https(_ c: RuleContext) -> [Endpoint] { c.webEndpoints.filter { $0.scheme == "https" } }

    /// `complete`: the judgement needs every accepted suite, so a list a failed hello cut short
    /// makes a pass unknown.
    private static func offer(_ c: RuleContext, needsAllSuites: Bool = false, _ judge: @escaping (TLSOffer) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: https(c),
                                 undetermined: needsAllSuites ? { _, o in forwardSecrecy(o) == "unknown" ? "no accepted suite has a known name" : nil } : nil,
                                 incomplete: needsAllSuites ? { _, o in o.cutShort.isEmpty ? nil : o.cutShort.joined(separator: "; ") } : nil
        ) { ep, o in judge(o).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    static func cert(_ c: RuleContext, _ judge: @escaping (TLSCertificate) -> [Fact]?) -> Verdict {
        EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: https(c)) { ep, t in judge(t).map { [Observation(endpoint: ep, facts: $0)] } ?? [] }
    }

    /// Every accepted suite with a known name, once, with what its name says.
    static func suiteTraits(_ o: TLSOffer) -> [(name: String, traits: CipherSuiteTraits)] {
        o.allSuites.compactMap { s in s.name.map { ($0, CipherSuiteTraits.of($0)) } }
    }

    /// all, some or none of the accepted suites give forward secrecy; unknown when no accepted
    /// suite has a known name (nothing to say "all" of).
    static func forwardSecrecy(_ o: TLSOffer) -> String {
        let fs = suiteTraits(o).map(\.traits.forwardSecrecy)
        if fs.isEmpty { return "unknown" }
        return fs.allSatisfy { $0 } ? "all" : fs.contains(true) ? "some" : "none"
    }

    static func weakSignature(_ signature: String) -> Bool {
        let s = signature.lowercased()
        return s.contains("sha1") || s.contains("md5")
    }

    /// An https endpoint whose TLS port refuses, stalls or hangs up: a finding, not an unknown.
    static let unavailable = RuleImplementation("tls.unavailable") { c in
        EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: https(c),
            onFailed: { ep, r in [Observation(endpoint: ep, facts: [Fact("port", String(ep.effectivePort)), Fact("result", r.code), Fact("detail", r.detail)])] }
        ) { _, _ in [] }
    }

    static let sslOffered = RuleImplementation("tls.ssl-offered") { c in
        offer(c) { o in
            let ssl = o.protocols.filter { $0 <= .sslv3 }
            return ssl.isEmpty ? nil : [Fact("protocols", ssl.map(\.name).joined(separator: " "))]
        }
    }

    static let legacyProtocols = RuleImplementation("tls.legacy-protocols") { c in
        offer(c) { o in
            let old = o.protocols.filter { $0 == .tls10 || $0 == .tls11 }
            return old.isEmpty ? nil : [Fact("protocols", old.map(\.name).joined(separator: " "))]
        }
    }

    static let noTLS12 = RuleImplementation("tls.no-tls12") { c in
        offer(c) { o in o.protocols.contains(.tls12) ? nil : [Fact("protocols", o.protocols.map(\.name).joined(separator: " "))] }
    }

    /// Suites with a property the policy calls weak (export, NULL, RC4, DES…), each with its properties.
    static let weakSuites = RuleImplementation("tls.weak-suites", parameters: [.init("weakProperties", .list(.text))]) { c in
        let weak = Set(c.parameters.strings("weakProperties", level: c.system.level) ?? [])
        return offer(c, needsAllSuites: true) { o in
            let found = suiteTraits(o).compactMap { s -> String? in
                let why = s.traits.properties.intersection(weak).sorted()
                return why.isEmpty ? nil : "\(s.name) (\(why.joined(separator: ", ")))"
            }.sorted()
            return found.isEmpty ? nil : Fact.list("suites", found)
        }
    }

    static let noForwardSecrecy = RuleImplementation("tls.no-forward-secrecy") { c in
        offer(c, needsAllSuites: true) { o in
            let fs = forwardSecrecy(o)
            guard fs != "all" else { return nil }
            let without = suiteTraits(o).filter { !$0.traits.forwardSecrecy }.map(\.name).sorted()
            return [Fact("forwardSecrecy", fs)] + Fact.list("suites", without)
        }
    }

    static let certExpired = RuleImplementation("tls.cert-expired") { c in
        cert(c) { t in
            let days = t.daysLeft(asOf: c.asOf)
            return days < 0 ? [Fact("subject", t.subject), Fact("notAfter", t.notAfter.description), Fact("daysLeft", String(days))] : nil
        }
    }

    /// One evaluator, two windows (30 and 7 days by default, two severities): the rule ids differ.
    static func expiring(_ id: String) -> RuleImplementation { RuleImplementation(id, parameters: [.init("warnDays", .integer(0...3650))]) { c in
        guard let window = c.parameters.int("warnDays") else { return .unknown("\(id): no warnDays in the policy") }
        return cert(c) { t in
            let days = t.daysLeft(asOf: c.asOf)
            return (0...max(0, window)).contains(days)
                ? [Fact("subject", t.subject), Fact("notAfter", t.notAfter.description), Fact("daysLeft", String(days))] : nil
        }
    } }

    static let certUntrusted = RuleImplementation("tls.cert-untrusted") { c in
        cert(c) { t in
            t.verifies || t.daysLeft(asOf: c.asOf) < 0 ? nil
                : [Fact("subject", t.subject), Fact("issuer", t.issuer), Fact("error", t.verifyError),
                   Fact("verifyResult", String(t.verifyResult)), Fact("selfSigned", t.selfSigned ? "yes" : "no")]
        }
    }

    /// OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY and _UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    /// no path from the leaf to a root.
    static let missingIssuerErrors: Set<Int> = [20, 21]

    /// The server sent only its own certificate, not self-signed, and a client lacking that
    /// intermediate cannot build the path.
    static let certIncomplete = RuleImplementation("tls.cert-incomplete-chain") { c in
        cert(c) { t in
            !t.selfSigned && t.chainLength < 2 && missingIssuerErrors.contains(t.verifyResult)
                ? [Fact("subject", t.subject), Fact("chainLength", String(t.chainLength)), Fact("issuer", t.issuer)] : nil
        }
    }

    static let certHostname = RuleImplementation("tls.cert-hostname") { c in
        EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: https(c)) { ep, t in
            var out: [Observation] = []
            if !t.hostnameMatches {
                out.append(Observation(endpoint: ep, subject: "sni", facts: [Fact("host", ep.host), Fact("subject", t.subject)]
                                       + Fact.list("subjectAltNames", t.subjectAltNames, separator: " ")))
            }
            if let other = t.withoutSNI.subject, other != t.subject, t.withoutSNI.hostnameMatches == false {
                out.append(Observation(endpoint: ep, subject: "no-sni", facts: [Fact("host", ep.host), Fact("withoutSNI", other)]))
            }
            return out
        }
    }

    /// Every certificate sent but a trust anchor (clients use their own copy of the root), in
    /// every deployment: the leaf's observation keeps no subject, the others name the certificate.
    static let certWeakKey = RuleImplementation("tls.cert-weak-key", parameters: [.init("minRSABits", .integer(512...16_384)), .init("minECBits", .integer(160...571))]) { c in
        guard let rsa = c.parameters.int("minRSABits"), let ec = c.parameters.int("minECBits") else {
            return .unknown("tls.cert-weak-key: no minRSABits or minECBits in the policy")
        }
        return EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: https(c)) { ep, t in
            TLSChainRules.sent(t).filter { !$0.isAnchor && weakKey($0.entry, rsa: rsa, ec: ec) }.map { s in
                Observation(endpoint: ep, subject: s.label, facts: [Fact("key", "\(s.entry.keyType)-\(s.entry.keyBits)"),
                    Fact("minimum", s.entry.keyType == "EC" ? "EC-\(ec)" : "RSA-\(rsa)"), Fact("certificate", s.entry.subject)])
            }
        }
    }

    static func weakKey(_ e: TLSCertificate.ChainEntry, rsa: Int, ec: Int) -> Bool {
        (e.keyType == "RSA" && e.keyBits < rsa) || (e.keyType == "EC" && e.keyBits < ec)
    }

    static let certWeakSignature = RuleImplementation("tls.cert-weak-signature") { c in
        EvidenceRule.perEndpoint(c, TLSCertificate.self, endpoints: https(c)) { ep, t in
            TLSChainRules.sent(t).filter { !$0.isAnchor && weakSignature($0.entry.signature) }.map { s in
                Observation(endpoint: ep, subject: s.label, facts: [Fact("signature", s.entry.signature), Fact("subject", s.entry.subject)])
            }
        }
    }
}
