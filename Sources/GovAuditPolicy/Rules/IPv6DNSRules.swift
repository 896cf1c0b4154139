import GovAuditCore

/// Rules on IPv6 reachability, DNS and the domain name, from the IPv6 and DNS probe's evidence
/// (and, for the domain form, from the endpoint itself).
enum IPv6DNSRules {
    static let all: [RuleImplementation] = [noAAAA, unreachable, contentDiffers, resolutionFailed, dnssecBogus,
                                            dnssecUnsigned, dnssecNoDS, nameServerNoIPv6, mailExchangerNoIPv6, notGovVN, domainForm]

    /// No AAAA record; a failed AAAA query (timeout, SERVFAIL) is unknown, not "no IPv6".
    static let noAAAA = RuleImplementation("ipv6.no-aaaa") { c in
        EvidenceRule.perEndpoint(c, DNSResolution.self, endpoints: c.webEndpoints,
                                 undetermined: { _, r in r.aaaaFailure.map { "the AAAA query failed: \($0.detail)" } }) { ep, r in
            r.aaaa.isEmpty ? [Observation(endpoint: ep, facts: [Fact("AAAA", "none")] + Fact.list("A", r.a, separator: " "))] : []
        }
    }

    /// Published over IPv6 but not answering where IPv4 answers: worse than no AAAA, since
    /// browsers try IPv6 first and stall.
    static let unreachable = RuleImplementation("ipv6.unreachable") { c in
        EvidenceRule.perEndpoint(c, Reachability.self, endpoints: c.webEndpoints, incomplete: { _, r in
            r.family == .ipv6 ? r.cutShort.map { "\($0) IPv6 connects did not end within the probe's budget" } : nil
        }) { ep, r in
            guard r.family == .ipv6 else { return nil }
            let v4 = c.evidence(Reachability.self, for: ep).compactMap { $0.facts(as: Reachability.self) }
                .first { $0.family == .ipv4 }
            let portsOpenOverV4 = Set(v4?.attempts.filter { $0.outcome == .open }.map(\.port) ?? [80, 443])
            return r.attempts.filter { portsOpenOverV4.contains($0.port) && $0.outcome != .open }.map {
                Observation(endpoint: ep, subject: "\($0.address):\($0.port)",
                            facts: [Fact("address", $0.address), Fact("port", String($0.port)),
                                    Fact("tcp", $0.outcome.rawValue), Fact("ipv4", "open")])
            }
        }
    }

    static let contentDiffers = RuleImplementation("ipv6.content-differs", parameters: [.init("minSimilarity", .number(0...1))]) { c in
        let minimum = c.parameters.number("minSimilarity")
        return EvidenceRule.perEndpoint(c, FamilyParity.self, endpoints: c.webEndpoints, undetermined: { _, p in
            [p.ipv4.failure, p.ipv6.failure].contains(FailureReason.budgetExhaustedCode) ? "a fetch did not end within the probe's budget" : nil
        }) { ep, p in
            guard p.ipv4.failure == nil, p.ipv6.failure == nil, let similarity = p.similarity else { return nil }
            guard p.ipv4.status != p.ipv6.status || p.ipv4.finalURL != p.ipv6.finalURL || similarity < minimum else { return [] }
            return [Observation(endpoint: ep, facts: [
                Fact("ipv4.status", p.ipv4.status.map(String.init) ?? "-"), Fact("ipv6.status", p.ipv6.status.map(String.init) ?? "-"),
                Fact("ipv4.finalURL", p.ipv4.finalURL ?? "-"), Fact("ipv6.finalURL", p.ipv6.finalURL ?? "-"),
                Fact("similarity", String(format: "%.2f", similarity)), Fact("minSimilarity", String(format: "%.2f", minimum))])]
        }
    }

    static let resolutionFailed = RuleImplementation("dns.resolution-failed") { c in
        EvidenceRule.perEndpoint(c, DNSResolution.self, endpoints: c.system.endpoints,
                    onFailed: { ep, reason in [Observation(endpoint: ep, facts: [Fact("dns", reason.code), Fact("detail", reason.detail)])] }
        ) { _, _ in [] }
    }

    static let dnssecBogus = RuleImplementation("dns.dnssec-bogus") { c in
        EvidenceRule.perEndpoint(c, DNSResolution.self, endpoints: c.system.endpoints) { ep, r in
            r.validation == .bogus ? [Observation(endpoint: ep, facts: [Fact("dnssec", "bogus"), Fact("why", r.whyBogus ?? "-")])] : []
        }
    }

    /// Zone facts are per zone: several endpoints in one zone give one observation per zone.
    /// `undetermined` names what a failed query inside the zone's facts leaves unknown.
    private static func perZone(_ c: RuleContext, undetermined: @escaping (ZoneFacts) -> String? = { _ in nil },
                                _ judge: @escaping (ZoneFacts) -> [Observation]) -> Verdict {
        var seen = Set<String>()
        return EvidenceRule.perEndpoint(c, ZoneFacts.self, endpoints: c.system.endpoints,
                                        undetermined: { _, z in undetermined(z) }) { _, z in
            seen.insert(z.zone).inserted ? judge(z) : []
        }
    }

    /// Servers whose AAAA query failed, when no other server is known to lack IPv6.
    private static func unknownServers(_ servers: [ServerAddresses], _ kind: String) -> String? {
        let failed = servers.filter { $0.ipv6Failure != nil }
        guard !failed.isEmpty, !servers.contains(where: { $0.ipv6.isEmpty && $0.ipv6Failure == nil }) else { return nil }
        return "the AAAA query failed for \(kind) " + failed.map { "\($0.name) (\($0.ipv6Failure!.code))" }.joined(separator: ", ")
    }

    static let dnssecUnsigned = RuleImplementation("dns.dnssec-unsigned") { c in
        perZone(c, undetermined: { z in z.dnskeyFailure.map { "the DNSKEY query for \(z.zone) failed: \($0.detail)" } }) { z in
            z.signed ? [] : [Observation(subject: z.zone, facts: [Fact("zone", z.zone), Fact("DNSKEY", "none")])]
        }
    }

    /// Signed, but the parent holds no DS: validators cannot reach the keys and treat the zone
    /// as unsigned (validation "insecure" although DNSKEYs exist).
    static let dnssecNoDS = RuleImplementation("dns.dnssec-no-ds") { c in
        perZone(c, undetermined: { z in
            z.dnskeyFailure.map { "the DNSKEY query for \(z.zone) failed: \($0.detail)" }
                ?? (z.signed ? z.dsFailure.map { "the DS query for \(z.zone) failed: \($0.detail)" } : nil)
                ?? (z.signed && z.dsPublished == nil ? "the DS of \(z.zone) was not observed" : nil)
        }) { z in
            z.signed && z.dsPublished == false
                ? [Observation(subject: z.zone, facts: [Fact("zone", z.zone), Fact("DNSKEY", "published"), Fact("DS", "none"),
                                                        Fact("validation", z.validation.rawValue)])] : []
        }
    }

    static let nameServerNoIPv6 = RuleImplementation("dns.ns-no-ipv6") { c in
        perZone(c, undetermined: { z in unknownServers(z.nameServers, "NS") }) { z in
            z.nameServers.filter { $0.ipv6.isEmpty && $0.ipv6Failure == nil }.map {
                Observation(subject: $0.name, facts: [Fact("zone", z.zone), Fact("NS", $0.name), Fact("AAAA", "none")])
            }
        }
    }

    static let mailExchangerNoIPv6 = RuleImplementation("dns.mx-no-ipv6") { c in
        perZone(c, undetermined: { z in
            z.mxFailure.map { "the MX query for \(z.zone) failed: \($0.detail)" } ?? unknownServers(z.mailExchangers, "MX")
        }) { z in
            z.mailExchangers.filter { $0.ipv6.isEmpty && $0.ipv6Failure == nil }.map {
                Observation(subject: $0.name, facts: [Fact("zone", z.zone), Fact("MX", $0.name), Fact("AAAA", "none")])
            }
        }
    }

    /// The site is not under .gov.vn (TT 21/2021: state bodies register there). Needs no network.
    static let notGovVN = RuleImplementation("domain.not-gov-vn") { c in
        guard !c.system.endpoints.isEmpty else { return .notApplicable("no endpoint") }
        let outside = c.system.endpoints.filter { CIDRLike.isAddress($0.host) == false && !HostName.isSubdomain($0.host, of: "gov.vn") }
        return outside.isEmpty ? .pass : .fail(outside.map { Observation(endpoint: $0, facts: [Fact("host", $0.host)]) })
    }

    /// Under .gov.vn but not in the prescribed form: the province's domain, or one label below it
    /// (tencoquan.tentinhthanh.gov.vn), optionally behind www.
    static let domainForm = RuleImplementation("domain.form") { c in
        guard let province = c.provinceDomain else { return .notApplicable("the inventory names no province domain") }
        let gov = c.system.endpoints.filter { HostName.isSubdomain($0.host, of: "gov.vn") }
        guard !gov.isEmpty else { return .notApplicable("no endpoint under .gov.vn") }
        let bad = gov.filter { ep in
            var labels = ep.host.split(separator: ".")
            if labels.first == "www" { labels.removeFirst() }
            let host = labels.joined(separator: ".")
            guard HostName.isSubdomain(host, of: province) else { return true }
            return host.split(separator: ".").count - province.split(separator: ".").count > 1
        }
        return bad.isEmpty ? .pass : .fail(bad.map {
            Observation(endpoint: $0, facts: [Fact("host", $0.host), Fact("expected", "<cơ quan>.\(province) or \(province)")])
        })
    }
}

/// IP literals are not names: the domain rules leave them alone.
enum CIDRLike {
    static func isAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").allSatisfy { Int($0) != nil }
    }
}
