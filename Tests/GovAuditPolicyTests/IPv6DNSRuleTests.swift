import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// Each IPv6, DNS and domain rule's pass and fail case, on evidence fixtures (the lab tests run
/// the same rules on real probes).
@Suite("IPv6, DNS and domain rules")
struct IPv6DNSRuleTests {
    let evaluator: Evaluator
    init() throws { evaluator = Evaluator(policy: try Repo.policy()) }

    let ep = try! Endpoint(parsing: "https://sotuphap.angiang.gov.vn/")

    func system(_ endpoints: [Endpoint]? = nil) -> System {
        var s = makeSystem()
        s.endpoints = endpoints ?? [ep]
        return s
    }

    func resolution(a: [String] = ["127.0.10.33"], aaaa: [String] = ["fd10::33"], validation: DNSSECValidation = .indeterminate) -> Evidence {
        Evidence(endpoint: ep, facts: DNSResolution(name: ep.host, a: a, aaaa: aaaa, cnameChain: [], validation: validation))
    }

    func reach(_ family: AddressFamily, _ outcomes: [Int: ConnectOutcome]) -> Evidence {
        let addr = family == .ipv4 ? "127.0.10.33" : "fd10::33"
        return Evidence(endpoint: ep, facts: Reachability(family: family, attempts: outcomes.sorted { $0.key < $1.key }.map {
            Reachability.Attempt(address: addr, port: $0.key, outcome: $0.value) }))
    }

    func zone(signed: Bool = false, nsV6: Bool = true, mxV6: Bool = true) -> Evidence {
        Evidence(endpoint: ep, facts: ZoneFacts(zone: "angiang.gov.vn",
            nameServers: [ServerAddresses(name: "ns1.angiang.gov.vn", ipv4: ["127.0.10.2"], ipv6: nsV6 ? ["fd10::2"] : [])],
            mailExchangers: [ServerAddresses(name: "mail.angiang.gov.vn", ipv4: ["127.0.10.19"], ipv6: mxV6 ? ["fd10::19"] : [])],
            signed: signed, validation: .indeterminate))
    }

    /// Pages of 100 tokens each side sharing `common` of them: Dice similarity common/100.
    func parity(common: Int, v6Status: Int = 200) -> Evidence {
        Evidence(endpoint: ep, facts: FamilyParity(url: ep.description,
            ipv4: .init(address: "127.0.10.33", status: 200, finalURL: ep.description, bytes: 600, tokens: 100, failure: nil),
            ipv6: .init(address: "fd10::33", status: v6Status, finalURL: ep.description, bytes: 600, tokens: 100, failure: nil),
            commonTokens: common))
    }

    func check(_ rule: String, _ evidence: [Evidence], system s: System? = nil) -> (RuleResult.Status?, [Finding]) {
        let e = evaluator.evaluate(s ?? system(), asOf: day("2026-11-26"), evidence: evidence, provinceDomain: "angiang.gov.vn")!
        return (e.results.first { $0.rule == rule }?.status, e.findings.filter { $0.rule == rule })
    }

    @Test("ipv6.no-aaaa: a web endpoint without AAAA fails; a bare host is not a web endpoint")
    func noAAAA() {
        #expect(check("ipv6.no-aaaa", [resolution(aaaa: [])]).0 == .fail)
        #expect(check("ipv6.no-aaaa", [resolution()]).0 == .pass)
        let bare = try! Endpoint(parsing: "mail.angiang.gov.vn")
        #expect(check("ipv6.no-aaaa", [], system: system([bare])).0 == .notApplicable)
        #expect(check("ipv6.no-aaaa", []).0 == .unknown)   // probed, but nothing collected for it
    }

    @Test("ipv6.unreachable: ports open over IPv4 must answer over IPv6; refusal and stall are told apart")
    func unreachable() {
        let (r, f) = check("ipv6.unreachable", [resolution(), reach(.ipv4, [80: .open, 443: .open]), reach(.ipv6, [80: .refused, 443: .stall])])
        #expect(r == .fail)
        #expect(f.map { $0.evidence.first { $0.name == "tcp" }?.value } == ["refused", "stall"])
        #expect(Set(f.map(\.key)).count == 2)
        #expect(check("ipv6.unreachable", [resolution(), reach(.ipv4, [80: .open, 443: .open]), reach(.ipv6, [80: .open, 443: .open])]).0 == .pass)
        // 443 closed over both families: not an IPv6 problem.
        #expect(check("ipv6.unreachable", [resolution(), reach(.ipv4, [80: .open, 443: .refused]), reach(.ipv6, [80: .open, 443: .refused])]).0 == .pass)
        let noRoute = Evidence(Reachability.self, endpoint: ep, outcome: .couldNotTest("no IPv6 route"))
        #expect(check("ipv6.unreachable", [resolution(), reach(.ipv4, [80: .open, 443: .open]), noRoute]).0 == .unknown)
    }

    @Test("ipv6.content-differs: below minSimilarity or another status fails")
    func parityRule() {
        #expect(check("ipv6.content-differs", [parity(common: 76)]).1.first?.evidence.contains(Fact("similarity", "0.76")) == true)
        #expect(check("ipv6.content-differs", [parity(common: 95, v6Status: 503)]).0 == .fail)
        #expect(check("ipv6.content-differs", [parity(common: 95)]).0 == .pass)
        // The threshold is the policy's: the same stored counts under a stricter one.
        let strict = evaluator.policy.setting("ipv6.content-differs", "minSimilarity", .number(0.98))
        var s = system()
        s.endpoints = [ep]
        #expect(Evaluator(policy: strict).evaluate(s, asOf: day("2026-11-26"), evidence: [parity(common: 95)])!
                    .results.first { $0.rule == "ipv6.content-differs" }?.status == .fail)
    }

    @Test("a timed-out AAAA, DNSKEY, NS-address or MX query is unknown, never 'no IPv6' or 'unsigned'")
    func failedQueries() {
        let timeout = FailureReason.timeout("no DNS answer within 3000 ms")
        let aaaaLost = Evidence(endpoint: ep, facts: DNSResolution(name: ep.host, a: ["127.0.10.33"], aaaa: [], cnameChain: [],
                                                                  validation: .indeterminate, aaaaFailure: timeout))
        #expect(check("ipv6.no-aaaa", [aaaaLost]).0 == .unknown)
        func zoneWith(_ z: (inout ZoneFacts) -> Void) -> Evidence {
            var facts = zone().facts(as: ZoneFacts.self)!
            z(&facts)
            return Evidence(endpoint: ep, facts: facts)
        }
        #expect(check("dns.dnssec-unsigned", [zoneWith { $0.dnskeyFailure = timeout }]).0 == .unknown)
        #expect(check("dns.mx-no-ipv6", [zoneWith { $0.mailExchangers = []; $0.mxFailure = timeout }]).0 == .unknown)
        let nsLost = zoneWith { $0.nameServers = [ServerAddresses(name: "ns1.angiang.gov.vn", ipv4: ["127.0.10.2"], ipv6: [], ipv6Failure: timeout)] }
        #expect(check("dns.ns-no-ipv6", [nsLost]).0 == .unknown)
        // One server known to lack IPv6 is a finding even when another's query failed.
        let mixed = zoneWith { $0.nameServers = [ServerAddresses(name: "ns1.angiang.gov.vn", ipv4: ["127.0.10.2"], ipv6: [], ipv6Failure: timeout),
                                                 ServerAddresses(name: "ns2.angiang.gov.vn", ipv4: ["127.0.10.3"], ipv6: [])] }
        let (r, f) = check("dns.ns-no-ipv6", [mixed])
        #expect(r == .fail && f.count == 1 && f[0].evidence.contains(Fact("NS", "ns2.angiang.gov.vn")))
    }

    @Test("dns.resolution-failed turns a failed lookup into a finding with its reason")
    func resolutionFailed() {
        let timeout = Evidence(DNSResolution.self, endpoint: ep, outcome: .failed(.timeout("no DNS answer within 5000 ms")))
        let (r, f) = check("dns.resolution-failed", [timeout])
        #expect(r == .fail && f.first?.evidence.first == Fact("dns", "timeout"))
        #expect(check("dns.resolution-failed", [resolution()]).0 == .pass)
    }

    @Test("dns.dnssec-bogus and dns.dnssec-unsigned")
    func dnssec() {
        #expect(check("dns.dnssec-bogus", [resolution(validation: .bogus)]).0 == .fail)
        #expect(check("dns.dnssec-bogus", [resolution(validation: .secure)]).0 == .pass)
        #expect(check("dns.dnssec-unsigned", [zone(signed: false)]).0 == .fail)
        #expect(check("dns.dnssec-unsigned", [zone(signed: true)]).0 == .pass)
        // Applies to levels 3–5 only.
        var low = system()
        low.level = SecurityLevel(2)!
        #expect(check("dns.dnssec-unsigned", [zone(signed: false)], system: low).0 == .notApplicable)
    }

    @Test("dns.dnssec-no-ds: signed without a DS in the parent fails; a DS, or no keys at all, passes; a lost DS query is unknown")
    func dnssecNoDS() {
        func zone(signed: Bool, ds: Bool?, dsFailure: FailureReason? = nil) -> Evidence {
            var facts = self.zone(signed: signed).facts(as: ZoneFacts.self)!
            facts.dsPublished = ds
            facts.dsFailure = dsFailure
            facts.validation = ds == false ? .insecure : .indeterminate
            return Evidence(endpoint: ep, facts: facts)
        }
        let (r, f) = check("dns.dnssec-no-ds", [zone(signed: true, ds: false)])
        #expect(r == .fail && f.first?.evidence.contains(Fact("DS", "none")) == true && f.first?.evidence.contains(Fact("validation", "insecure")) == true)
        #expect(check("dns.dnssec-no-ds", [zone(signed: true, ds: true)]).0 == .pass)
        #expect(check("dns.dnssec-no-ds", [zone(signed: false, ds: false)]).0 == .pass)   // dns.dnssec-unsigned says that
        #expect(check("dns.dnssec-no-ds", [zone(signed: true, ds: nil, dsFailure: .timeout("no DNS answer within 3000 ms"))]).0 == .unknown)
    }

    @Test("dns.ns-no-ipv6 and dns.mx-no-ipv6 name the server; one observation per zone")
    func servers() {
        let second = try! Endpoint(parsing: "https://www.angiang.gov.vn/")
        var s = system([ep, second])
        s.id = "two"
        let z2 = Evidence(endpoint: second, facts: zone(nsV6: false).facts(as: ZoneFacts.self)!)
        let (r, f) = check("dns.ns-no-ipv6", [zone(nsV6: false), z2], system: s)
        #expect(r == .fail && f.count == 1 && f[0].evidence.contains(Fact("NS", "ns1.angiang.gov.vn")))
        #expect(check("dns.ns-no-ipv6", [zone()]).0 == .pass)
        #expect(check("dns.mx-no-ipv6", [zone(mxV6: false)]).0 == .fail)
        #expect(check("dns.mx-no-ipv6", [zone()]).0 == .pass)
    }

    @Test("domain rules need no network: outside .gov.vn, and the tencoquan.tentinhthanh.gov.vn form")
    func domains() {
        func d(_ url: String, _ rule: String) -> RuleResult.Status? {
            let e = evaluator.evaluate(system([try! Endpoint(parsing: url)]), asOf: day("2026-11-26"), provinceDomain: "angiang.gov.vn")!
            return e.results.first { $0.rule == rule }?.status
        }
        #expect(d("https://angiangtourism.vn/", "domain.not-gov-vn") == .fail)
        #expect(d("https://sotuphap.angiang.gov.vn/", "domain.not-gov-vn") == .pass)
        #expect(d("https://dichvucong-angiang.gov.vn/", "domain.form") == .fail)
        #expect(d("https://tin.sotuphap.angiang.gov.vn/", "domain.form") == .fail)
        #expect(d("https://www.angiang.gov.vn/", "domain.form") == .pass)
        #expect(d("https://angiang.gov.vn/", "domain.form") == .pass)
        #expect(d("https://angiangtourism.vn/", "domain.form") == .notApplicable)
    }

    @Test("evaluate (no probes) leaves network rules not applicable, never unknown")
    func notScanned() {
        let e = evaluator.evaluate(system(), asOf: day("2026-11-26"))!
        for rule in ["ipv6.no-aaaa", "ipv6.unreachable", "dns.resolution-failed"] {
            #expect(e.results.first { $0.rule == rule }?.status == .notApplicable)
        }
    }
}
