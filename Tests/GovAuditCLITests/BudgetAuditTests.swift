import Foundation
import GovAuditTestSupport
import Testing

/// `govaudit audit` as a user runs it against targets built to make it run for hours or print
/// megabytes (Tests/Hostile/budgets.py): it ends with typed outcomes, one finding per root cause,
/// and a report that stays readable. Outcomes are asserted, never times.
@Suite("audit against targets that exhaust budgets")
struct BudgetAuditTests {
    let server: BudgetServer
    let validator: JSONSchemaValidator

    init() throws {
        server = try BudgetServer.shared.get()
        validator = JSONSchemaValidator(root: try JSON.parse(String(contentsOf: CLI.root.appendingPathComponent("Reports/schema/evaluation.schema.json"),
                                                                     encoding: .utf8)))
    }

    func audit(_ target: String, _ extra: [String]) throws -> CLI.Result {
        try CLI.run(["audit", target, "--resolver", server.resolver, "--allow-net", "127.0.0.1/32", "--no-store", "--timeout", "2",
                     "--fail-on", "none", "--lang", "en"] + extra)
    }

    /// The JSON document of an audit, checked against the schema; its one system.
    func system(_ r: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(validator.validate(try JSON.parse(r.stdout)) == [], sourceLocation: sourceLocation)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require((doc["systems"] as? [[String: Any]])?.first)
    }

    func evidence(_ s: [String: Any], _ kind: String) -> [String: Any]? {
        let endpoints = s["endpoints"] as? [[String: Any]] ?? []
        return endpoints.flatMap { $0["evidence"] as? [[String: Any]] ?? [] }.first { $0["kind"] as? String == kind }
    }

    func rule(_ s: [String: Any], _ id: String) -> (status: String, reason: String)? {
        (s["rules"] as? [[String: Any]])?.first { $0["rule"] as? String == id }.map { ($0["status"] as? String ?? "", $0["reason"] as? String ?? "") }
    }

    func findings(_ s: [String: Any]) -> [String] { (s["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }

    @Test("a TLS port that answers hellos but trickles the handshake: the certificate is budget-exhausted, its rules and the grade unknown")
    func trickledHandshake() throws {
        let s = try system(try audit(server.tls("slowHandshake"), ["--checks", "tls", "--tls-seconds", "6", "--format", "json"]))
        let outcome = try #require(evidence(s, "tls.certificate")?["outcome"] as? [String: Any])
        #expect((outcome["reason"] as? [String: Any])?["code"] as? String == "budget-exhausted")
        for id in ["tls.cert-expired", "tls.cert-untrusted", "tls.grade", "https.no-hsts"] {
            #expect(rule(s, id)?.status == "unknown", "\(id)")
            #expect(rule(s, id)?.reason.contains("cut short") == true, "\(id)")
        }
        // (A missing CAA record is a fact of the name's DNS, not of the handshake that was cut.)
        #expect(!findings(s).contains { ($0.hasPrefix("tls.") || $0.hasPrefix("https.")) && $0 != "tls.no-caa" })
    }

    @Test("the endpoint's budget bounds its probes: a shorter --endpoint-seconds cuts the TLS probe, and says whose budget it was")
    func endpointBudget() throws {
        let s = try system(try audit(server.tls("slowHandshake"), ["--checks", "tls", "--endpoint-seconds", "8", "--format", "json"]))
        let reason = try #require((evidence(s, "tls.certificate")?["outcome"] as? [String: Any])?["reason"] as? [String: Any])
        #expect(reason["code"] as? String == "budget-exhausted")
        #expect((reason["detail"] as? String)?.contains("the endpoint's") == true)
    }

    @Test("a port answering TLS with garbage: one finding, TLS unavailable; no grade, no HSTS, no headers, no crawl failure")
    func garbage() throws {
        let s = try system(try audit(server.tls("garbage"), ["--format", "json"]))
        let found = findings(s)
        #expect(found.contains("tls.unavailable"))
        for id in ["tls.no-tls12", "tls.grade", "https.no-hsts", "https.missing-headers", "links.crawl-failed"] {
            #expect(!found.contains(id), "\(id)")
            #expect(rule(s, id)?.status == "unknown", "\(id)")
        }
        let unavailable = (s["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "tls.unavailable" }
        #expect((unavailable?["evidence"] as? [String: String])?["result"] == "not-tls")
    }

    @Test("a name that does not resolve: one finding, dns.resolution-failed; TLS and links could not test for that reason")
    func unresolvable() throws {
        let s = try system(try audit("https://missing.budget.example/", ["--format", "json"]))
        #expect(Set(findings(s)) == ["dns.resolution-failed", "domain.not-gov-vn"])
        for id in ["tls.unavailable", "tls.no-tls12", "https.no-hsts", "links.crawl-failed", "links.spam"] {
            #expect(rule(s, id)?.status == "unknown", "\(id)")
            #expect(rule(s, id)?.reason.contains("does not resolve") == true, "\(id)")
        }
    }

    @Test("a page of 100,000 links: JSON keeps every finding (1,000, the page's bound) and counts the links cut")
    func manyLinksJSON() throws {
        let s = try system(try audit(server.site, ["--checks", "links", "--format", "json"]))
        #expect(findings(s).filter { $0 == "links.outside-vn" }.count == 1_000)
        let pages = try #require((evidence(s, "links.pages")?["facts"] as? [String: Any])?["pages"] as? [[String: Any]])
        #expect((pages.first?["links"] as? [Any])?.count == 1_000)
        #expect(pages.first?["linksDropped"] as? Int == server.links - 1_000)
    }

    @Test("a page of 100,000 links on the terminal: 20 findings listed per rule, the rest counted")
    func manyLinksTerminal() throws {
        let r = try audit(server.site, ["--checks", "links"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        let group = try #require(lines.firstIndex { $0.contains("links.outside-vn") })
        #expect(lines[(group + 1)...].prefix { $0.hasPrefix("  ") }.filter { $0.hasPrefix("  - ") }.count == 20)
        #expect(r.stdout.contains("… and 980 more; see --format json"))
        #expect(lines.count < 120)
    }

    @Test("a crawl its budget cuts (a page sent slowly) is budget-exhausted: the links rules are unknown, never clean")
    func crawlCutShort() throws {
        let s = try system(try audit(server.site + "slow/", ["--checks", "links", "--crawl-seconds", "3", "--format", "json"]))
        let reason = try #require((evidence(s, "links.crawl")?["outcome"] as? [String: Any])?["reason"] as? [String: Any])
        #expect(reason["code"] as? String == "budget-exhausted")
        for id in ["links.spam", "links.hidden-link", "links.cloaking", "links.crawl-failed"] {
            #expect(rule(s, id)?.status == "unknown", "\(id)")
            #expect(rule(s, id)?.reason.contains("cut short") == true, "\(id)")
        }
        #expect(findings(s).allSatisfy { !$0.hasPrefix("links.") })
    }

    @Test("hundreds of A records on silent addresses: ends, 8 probed per family, the rest counted; list facts capped with their count",
          .enabled(if: BudgetServer.hasSilentAddresses, "needs root: the silent addresses listen on ports 80 and 443"))
    func manyAddresses() throws {
        let s = try system(try CLI.run(["audit", "https://many.budget.example/", "--resolver", server.resolver, "--no-store",
                                        "--allow-net", "127.0.1.0/24", "--allow-net", "127.0.2.0/24", "--checks", "dns",
                                        "--timeout", "2", "--fail-on", "none", "--format", "json"]))
        let reach = try #require(evidence(s, "net.reachability")?["facts"] as? [String: Any])
        #expect((reach["attempts"] as? [Any])?.count == 16)
        #expect(reach["addressesNotProbed"] as? Int == server.silent.count - 8)
        let noAAAA = (s["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "ipv6.no-aaaa" }
        let facts = try #require(noAAAA?["evidence"] as? [String: String])
        #expect(facts["A.count"] == String(server.silent.count))
        #expect(facts["A"]?.hasSuffix("… (+\(server.silent.count - 20) more)") == true)
    }
}
