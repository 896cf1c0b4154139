import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// The IPv6 and DNS probe and its rules against every lab host, judged by the expected facts
/// of Tests/Lab/scenarios.yaml (never by GovAudit's own output).
@Suite("IPv6 and DNS probe against the lab (integration)", .serialized)
struct IPv6DNSTests {
    let lab: Lab
    let context: ProbeContext

    init() throws {
        lab = try Lab.running()
        context = lab.probeContext()
    }

    /// Every lab host as a one-endpoint level-3 system.
    func systems() -> [System] {
        lab.merged.map { h in
            let scheme = h.expect["tls"] is NSNull ? "http" : "https"
            return System(id: h.name, name: h.name, agency: "lab", level: SecurityLevel(3)!,
                          dossier: Dossier(status: .approved), endpoints: [try! Endpoint(parsing: "\(scheme)://\(h.name)/")])
        }
    }

    @Test("addresses, reachability per family and port, parity and ipv6 rules match the expected data for every host")
    func everyHost() async throws {
        let systems = systems()
        // A budget far above what the lab needs: on a loaded CI machine 79 hosts at once must not
        // turn into budget-exhausted steps (budgets have their own hostile tests).
        var generous = IPv6DNSOptions()
        generous.budgetSeconds = 120
        let evidence = try await lab.probeAll(systems, probes: [IPv6DNSProbe(context: context, options: generous)], concurrency: 8)
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let inventory = Inventory(name: "lab", domain: "angiang.gov.vn", agencies: [Agency(id: "lab", name: "Lab")], systems: systems)
        let evaluation = Evaluator(policy: policy).evaluate(inventory, asOf: CalendarDate(year: 2026, month: 11, day: 26)!, evidence: evidence)
        var checked = 0
        for h in lab.merged {
            let mine = evidence[h.name] ?? []
            let resolution = try #require(mine.first { $0.kind == DNSResolution.kind }?.facts(as: DNSResolution.self), "\(h.name)")
            let dns = h.expect["dns"] as? [String: Any] ?? [:]
            // A host with more records (`moreAddresses`) gets them in any order (the resolver rotates them).
            let more4 = h.more.filter { !$0.contains(":") }, more6 = h.more.filter { $0.contains(":") }
            #expect(Set(resolution.a) == Set((dns["a"] as? Bool ?? true) ? [h.ipv4] + more4 : []) && resolution.a.count == Set(resolution.a).count, "\(h.name) A")
            #expect(Set(resolution.aaaa) == Set((dns["aaaa"] as? Bool ?? true) ? [h.ipv6] + more6 : []), "\(h.name) AAAA")

            let reach = mine.compactMap { $0.facts(as: Reachability.self) }
            if let expected = h.expect["reach"] as? [String: Any] {
                for (family, ports) in expected {
                    let observed = reach.first { $0.family.rawValue == family }
                    // YAML gives the ports as keys of any type; read them as numbers.
                    guard let table = ports as? [AnyHashable: Any] else {
                        #expect(observed == nil, "\(h.name) \(family): no address expected")
                        continue
                    }
                    let byPort = table.compactMap { k, v in Int("\(k.base)").map { ($0, "\(v)") } }
                    #expect(byPort.count == 2, "\(h.name) \(family): expected data names ports 80 and 443")
                    for (port, outcome) in byPort {
                        let own = family == "ipv4" ? h.ipv4 : h.ipv6   // the expected data is about the host's own address
                        let got = observed?.attempts.first { $0.port == port && (h.more.isEmpty || $0.address == own) }?.outcome.rawValue
                        #expect(got == outcome, "\(h.name) \(family) port \(port)")
                    }
                }
            } else {
                #expect(!reach.contains { $0.family == .ipv6 }, "\(h.name): IPv6 reachability without an address")
            }

            if (h.expect["parity"] as? String) == "different" {
                let p = try #require(mine.first { $0.kind == FamilyParity.kind }?.facts(as: FamilyParity.self))
                #expect((p.similarity ?? 1) < 0.9, "\(h.name) parity")
            }
            let expectedRules = Set(h.expect["ipv6Rules"] as? [String] ?? [])
            let fired = Set(evaluation.systems.first { $0.system.id == h.name }!.findings.map(\.rule).filter { $0.hasPrefix("ipv6.") })
            #expect(fired == expectedRules, "\(h.name): ipv6 findings")
            checked += 1
        }
        #expect(checked == lab.merged.count && checked > 70)
    }

    @Test("DNS-only names: CNAME chain, timeout, SERVFAIL, DNSSEC secure, bogus and signed without DS, NS and MX without IPv6, an answer too big for UDP")
    func dnsNames() async throws {
        let probe = IPv6DNSProbe(context: context)
        func run(_ name: String) -> [Evidence] { probe.run(try! Endpoint(parsing: "https://\(name)/")) }
        for d in lab.dnsNames {
            guard let name = d["name"] as? String, let e = d["expect"] as? [String: Any] else { continue }
            let found = run(name)
            let resolution = found.first { $0.kind == DNSResolution.kind }!
            if let chain = e["cnameChain"] as? [String] {
                #expect(resolution.facts(as: DNSResolution.self)?.cnameChain == chain, "\(name) CNAME chain")
            }
            switch e["dns"] as? String {
            case "timeout": #expect(resolution.outcome == .failed(.timeout("no DNS answer within 3000 ms")), "\(name)")
            case "servfail":
                if case .failed(let r) = resolution.outcome { #expect(r.code == "servfail") } else { Issue.record("\(name): \(resolution.outcome)") }
            default: break
            }
            switch e["dnssec"] as? String {
            case "secure": #expect(resolution.facts(as: DNSResolution.self)?.validation == .secure, "\(name)")
            case "bogus": #expect(resolution.facts(as: DNSResolution.self)?.validation == .bogus, "\(name)")
            case "unsigned": #expect(found.first { $0.kind == ZoneFacts.kind }?.facts(as: ZoneFacts.self)?.signed == false, "\(name)")
            case "signed-no-ds":
                let zone = found.first { $0.kind == ZoneFacts.kind }?.facts(as: ZoneFacts.self)
                #expect(zone?.signed == true && zone?.dsPublished == false, "\(name)")
            default: break
            }
            if let count = e["aCount"] as? Int {
                // Larger than a UDP answer: resolved whole through the TCP retry.
                #expect(resolution.facts(as: DNSResolution.self)?.a.count == count, "\(name)")
            }
            if let ns = e["ns"] as? [String: [String: Bool]] {
                let zone = try #require(found.first { $0.kind == ZoneFacts.kind }?.facts(as: ZoneFacts.self))
                for (host, facts) in ns {
                    #expect(zone.nameServers.first { $0.name == host }.map { !$0.ipv6.isEmpty } == facts["ipv6"], "NS \(host)")
                }
            }
            if let mx = e["mx"] as? [String: [String: Bool]] {
                let zone = try #require(found.first { $0.kind == ZoneFacts.kind }?.facts(as: ZoneFacts.self))
                for (host, facts) in mx {
                    #expect(zone.mailExchangers.first { $0.name == host }.map { !$0.ipv6.isEmpty } == facts["ipv6"], "MX \(host)")
                }
            }
        }
    }

    @Test("without IPv6 the verdict is could-not-test: no IPv6 pass, no IPv6 fail")
    func couldNotTest() async throws {
        var noV6 = context
        noV6.ipv6Disabled = true
        let sound = try Endpoint(parsing: "https://dichvucong.angiang.gov.vn/")
        let broken = try Endpoint(parsing: "https://thoaison.angiang.gov.vn/")
        let probe = IPv6DNSProbe(context: noV6)
        for ep in [sound, broken] {
            let found = probe.run(ep)
            let v6 = found.filter { $0.kind == Reachability.kind && $0.facts(as: Reachability.self)?.family != .ipv4 }
            #expect(v6.count == 1 && v6[0].outcome == .couldNotTest("IPv6 disabled (--no-ipv6)"), "\(ep)")
            let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
            let system = System(id: "s", name: "s", agency: "a", level: SecurityLevel(3)!, dossier: Dossier(status: .approved), endpoints: [ep])
            let result = Evaluator(policy: policy).evaluate(system, asOf: CalendarDate(year: 2026, month: 11, day: 26)!, evidence: found)!
            #expect(result.results.first { $0.rule == "ipv6.unreachable" }?.status == .unknown)
            #expect(!result.findings.contains { $0.rule.hasPrefix("ipv6.") })
        }
    }

    @Test("domain rules: outside .gov.vn and outside the prescribed form, none on the province's own names")
    func domains() throws {
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        for (host, rule) in [("angiangtourism.vn", "domain.not-gov-vn"), ("dichvucong-angiang.gov.vn", "domain.form"),
                             ("dichvucong.angiang.gov.vn", nil), ("www.angiang.gov.vn", nil)] as [(String, String?)] {
            let system = System(id: "s", name: "s", agency: "a", level: SecurityLevel(3)!, dossier: Dossier(status: .approved),
                                endpoints: [try Endpoint(parsing: "https://\(host)/")])
            let r = Evaluator(policy: policy).evaluate(system, asOf: CalendarDate(year: 2026, month: 11, day: 26)!,
                                                       provinceDomain: "angiang.gov.vn")!
            #expect(Set(r.findings.map(\.rule).filter { $0.hasPrefix("domain.") }) == Set([rule].compactMap { $0 }), "\(host)")
        }
    }
}
