import GovAuditCore

/// Rules on the TLS probe's depth checks: known vulnerabilities (Heartbleed, CCS injection,
/// CRIME), renegotiation, fallback protection, session features, the key exchange and suites
/// outside Mozilla's intermediate profile. Each check has its own result: one that failed makes
/// its rule unknown for that endpoint, never a pass.
enum TLSDepthRules {
    static let all: [RuleImplementation] = [heartbleed, ccsInjection, compression, insecureRenegotiation, clientRenegotiation,
                                            noFallbackSCSV, noExtendedMasterSecret, earlyData, noResumption, noH2, weakDH, nonAEAD]

    /// One check of kind F judged per https endpoint: observed values go to `judge`, a failed
    /// check is unknown, one that does not apply passes.
    static func check<F: EvidenceFacts, V>(_ c: RuleContext, _ type: F.Type, _ name: String,
                                           _ result: @escaping @Sendable (F) -> CheckResult<V>,
                                           _ judge: (V) -> [Fact]?) -> Verdict {
        // A stored scan made before these checks existed has none of their evidence: not
        // applicable to it, rather than unknown (a live scan always writes the kind).
        if c.probed, !c.evidence.contains(where: { $0.kind == F.kind }), c.evidence.contains(where: { $0.kind == TLSOffer.kind }) {
            return .notApplicable("no \(F.kind) evidence: the scan predates this check")
        }
        return EvidenceRule.perEndpoint(c, type, endpoints: TLSRules.https(c), undetermined: { _, f in
            if case .failed(let r) = result(f) { return "\(name): \(r.code) (\(r.detail))" }
            return nil
        }) { ep, f in
            guard let v = result(f).value, let facts = judge(v) else { return [] }
            return [Observation(endpoint: ep, facts: facts)]
        }
    }

    static let heartbleed = RuleImplementation("tls.heartbleed") { c in
        check(c, TLSVulnerabilities.self, "heartbleed", { $0.heartbleed }) { h in
            h.overreadBytes > 0 ? [Fact("overreadBytes", String(h.overreadBytes))] : nil
        }
    }

    static let ccsInjection = RuleImplementation("tls.ccs-injection") { c in
        check(c, TLSVulnerabilities.self, "ccsInjection", { $0.ccsInjection }) { r in
            r.accepted ? [Fact("alert", r.alert.map(String.init) ?? "none")] : nil
        }
    }

    static let compression = RuleImplementation("tls.compression") { c in
        check(c, TLSVulnerabilities.self, "compression", { $0.compression }) { r in
            r.method != 0 ? [Fact("method", r.method == 1 ? "DEFLATE" : String(r.method))] : nil
        }
    }

    static let noFallbackSCSV = RuleImplementation("tls.no-fallback-scsv") { c in
        check(c, TLSVulnerabilities.self, "fallbackSCSV", { $0.fallbackSCSV }) { r in
            r.rejected ? nil : [Fact("fallbackVersion", r.version.name)]
        }
    }

    static let insecureRenegotiation = RuleImplementation("tls.insecure-renegotiation") { c in
        check(c, TLSProtocolFeatures.self, "extensions", { $0.extensions }) { e in
            e.secureRenegotiation ? nil : [Fact("version", e.version.name)]
        }
    }

    static let noExtendedMasterSecret = RuleImplementation("tls.no-extended-master-secret") { c in
        check(c, TLSProtocolFeatures.self, "extensions", { $0.extensions }) { e in
            e.extendedMasterSecret ? nil : [Fact("version", e.version.name)]
        }
    }

    static let noH2 = RuleImplementation("tls.no-h2") { c in
        check(c, TLSProtocolFeatures.self, "extensions", { $0.extensions }) { e in
            e.alpn == "h2" ? nil : [Fact("alpn", e.alpn ?? "none")]
        }
    }

    static let clientRenegotiation = RuleImplementation("tls.client-renegotiation") { c in
        check(c, TLSProtocolFeatures.self, "clientRenegotiation", { $0.clientRenegotiation }) { r in
            r.accepted ? [Fact("renegotiation", "accepted")] : nil
        }
    }

    static let earlyData = RuleImplementation("tls.early-data") { c in
        check(c, TLSProtocolFeatures.self, "earlyData", { $0.earlyData }) { e in
            e.maxEarlyData > 0 ? [Fact("maxEarlyData", String(e.maxEarlyData))] : nil
        }
    }

    /// Neither by session id nor by ticket: every visit pays a full handshake.
    static let noResumption = RuleImplementation("tls.no-session-resumption") { c in
        check(c, TLSProtocolFeatures.self, "resumption", { f -> CheckResult<Bool> in
            switch (f.resumptionByID, f.resumptionByTicket) {
            case (.observed(true), _), (_, .observed(true)): return .observed(true)
            case (.failed(let r), _), (_, .failed(let r)): return .failed(r)
            case (.observed, .observed): return .observed(false)
            case (.notApplicable(let why), _), (_, .notApplicable(let why)): return .notApplicable(why)
            }
        }) { resumed in resumed ? nil : [Fact("byID", "no"), Fact("byTicket", "no")] }
    }

    /// Finite-field DH below the policy's size (LOGJAM class), in the preferred or a DHE-only hello.
    static let weakDH = RuleImplementation("tls.weak-dh", parameters: [.init("minDHBits", .integer(512...16_384))]) { c in
        guard let minimum = c.parameters.int("minDHBits") else { return .unknown("tls.weak-dh: no minDHBits in the policy") }
        return check(c, TLSKeyExchange.self, "dhe", { k -> CheckResult<TLSKeyExchange.Used> in
            if let p = k.preferred.value, p.dhBits != nil { return k.preferred }
            return k.dhe
        }) { u in
            guard let bits = u.dhBits, bits < minimum else { return nil }
            return [Fact("dhBits", String(bits)), Fact("minimum", String(minimum)), Fact("prime", u.dhPrime ?? "custom"),
                    Fact("suite", u.suite.name ?? String(u.suite.code))]
        }
    }

    /// Suites Mozilla's intermediate profile leaves out for want of an AEAD cipher (CBC and
    /// the like), other than those tls.weak-suites already reports.
    static let nonAEAD = RuleImplementation("tls.non-aead-suites") { c in
        let weak = Set(c.parameters(ofRule: "tls.weak-suites")?.strings("weakProperties", level: c.system.level) ?? [])
        return EvidenceRule.perEndpoint(c, TLSOffer.self, endpoints: TLSRules.https(c)) { ep, o in
            let found = TLSRules.suiteTraits(o).filter { !$0.traits.properties.contains("aead") && $0.traits.properties.isDisjoint(with: weak) }
                .map(\.name).sorted()
            return found.isEmpty ? [] : [Observation(endpoint: ep, facts: Fact.list("suites", found))]
        }
    }
}
