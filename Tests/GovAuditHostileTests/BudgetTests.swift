import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditProbes
import GovAuditTestSupport
import Testing

/// Targets built to keep a scan running for hours (Tests/Hostile/budgets.py): each probe ends
/// with a typed outcome — budget-exhausted, too-slow, not-tls… — and counts what its bounds cut.
/// No test asserts a time: what ends a run is read from its outcome.
@Suite("Budgets against hostile servers")
struct BudgetTests {
    let server: BudgetServer
    let context: ProbeContext

    init() throws {
        server = try BudgetServer.shared.get()
        var limits = HTTPLimits()
        limits.connectTimeoutMilliseconds = 1000
        limits.totalTimeoutMilliseconds = 4000
        let resolver = Resolver(upstream: server.resolver, timeoutMilliseconds: 2000)
        let allowed = [CIDR("127.0.0.1/32")!, CIDR("127.0.1.0/24")!, CIDR("127.0.2.0/24")!]
        context = ProbeContext(resolver: resolver, http: HTTPClient(resolver: resolver, limits: limits, filter: AddressFilter(allowing: allowed)),
                               connectTimeoutMilliseconds: 1000)
    }

    func outcome(_ evidence: [Evidence], _ kind: String) -> Outcome? { evidence.first { $0.kind == kind }?.outcome }

    @Test("the certificate handshake against a port trickling one byte a second ends at its deadline: budget-exhausted")
    func handshakeDeadline() throws {
        let inspector = TLSInspector(caFile: nil, timeoutMilliseconds: 5000, filter: context.filter)
        let result = inspector.inspect(address: "127.0.0.1", port: server.tlsPorts["trickle"]!, serverName: "tls.budget.example",
                                       hostname: "tls.budget.example", deadline: Deadline(seconds: 3, owner: "the test"))
        guard case .failure(.budgetExhausted(_, let received)) = result else {
            Issue.record("the handshake was not cut by its deadline: \(result)"); return
        }
        #expect(received >= 5, "the trickled record header was read")
    }

    @Test("hellos answered by a trickle: the offer is too-slow, and what needs TLS is could-not-test for that reason")
    func trickledHellos() throws {
        let evidence = TLSProbe(context: context, caFile: nil).run(try Endpoint(parsing: server.tls("trickle")))
        guard case .failed(let r)? = outcome(evidence, TLSOffer.kind) else { Issue.record("\(evidence)"); return }
        #expect(r.code == "too-slow")
        for kind in [TLSCertificate.kind, HTTPSAnswer.kind, PlainHTTPAnswer.kind] {
            guard case .couldNotTest(let why)? = outcome(evidence, kind) else { Issue.record("\(kind): \(evidence)"); continue }
            #expect(why.contains("TLS unavailable") && why.contains("too-slow"))
        }
    }

    @Test("hellos answered at once but the full handshake trickled: the certificate step is budget-exhausted, the probe ends")
    func trickledHandshake() throws {
        var options = TLSProbeOptions()
        options.budgetSeconds = 4
        // Each step may wait 3 s (the default): the trickle's byte a second never trips it.
        var patient = context
        patient.connectTimeoutMilliseconds = 3000
        let evidence = TLSProbe(context: patient, caFile: nil, options: options).run(try Endpoint(parsing: server.tls("slowHandshake")))
        let offer = try #require(evidence.lazy.compactMap { $0.facts(as: TLSOffer.self) }.first)
        #expect(offer.protocols == [.tls12])
        guard case .failed(let r)? = outcome(evidence, TLSCertificate.kind) else { Issue.record("\(evidence)"); return }
        #expect(r.isBudgetExhausted && r.detail.contains("the TLS probe's 4 s budget") && r.detail.contains("during the handshake"))
        guard case .failed(let https)? = outcome(evidence, HTTPSAnswer.kind) else { Issue.record("\(evidence)"); return }
        #expect(https.isBudgetExhausted)
    }

    @Test("a port that does not speak TLS is TLS unavailable, with the reason, and nothing else is judged on it",
          arguments: [("garbage", "not-tls"), ("truncated", "truncated"), ("oversized", "oversized")])
    func notTLS(_ behaviour: String, _ code: String) throws {
        let evidence = TLSProbe(context: context, caFile: nil).run(try Endpoint(parsing: server.tls(behaviour)))
        guard case .failed(let r)? = outcome(evidence, TLSOffer.kind) else { Issue.record("\(evidence)"); return }
        #expect(r.code == code)
        for kind in [TLSCertificate.kind, HTTPSAnswer.kind, PlainHTTPAnswer.kind] {
            guard case .couldNotTest(let why)? = outcome(evidence, kind) else { Issue.record("\(kind): \(evidence)"); continue }
            #expect(why.contains(code))
        }
    }

    @Test("a name that does not resolve: the DNS probe fails with NXDOMAIN; TLS and the crawl could not test, for that reason")
    func unresolvable() throws {
        let endpoint = try Endpoint(parsing: "https://missing.budget.example/")
        guard case .failed(let r)? = outcome(IPv6DNSProbe(context: context).run(endpoint), DNSResolution.kind) else {
            Issue.record("the DNS probe did not fail"); return
        }
        #expect(r.code == "nxdomain")
        let tls = TLSProbe(context: context, caFile: nil).run(endpoint)
        for e in tls {
            guard case .couldNotTest(let why) = e.outcome else { Issue.record("\(e.kind): \(e.outcome)"); continue }
            #expect(why.contains("does not resolve"))
        }
        guard case .couldNotTest(let why)? = outcome(LinkHygieneProbe(context: context, options: LinkHygieneOptions()).run(endpoint),
                                                    LinkCrawl.kind) else { Issue.record("the crawl did not say could-not-test"); return }
        #expect(why.contains("does not resolve"))
    }

    @Test("hundreds of A records on silent addresses: --max-addresses of them probed at once, the rest counted",
          .enabled(if: BudgetServer.hasSilentAddresses, "needs root: the silent addresses listen on ports 80 and 443"))
    func manyAddresses() throws {
        let evidence = IPv6DNSProbe(context: context).run(try Endpoint(parsing: "https://many.budget.example/"))
        let resolution = try #require(evidence.lazy.compactMap { $0.facts(as: DNSResolution.self) }.first)
        #expect(resolution.a.count == server.silent.count)
        let reach = try #require(evidence.lazy.compactMap { $0.facts(as: Reachability.self) }.first { $0.family == .ipv4 })
        #expect(reach.attempts.count == 16)
        #expect(reach.attempts.allSatisfy { $0.outcome == .stall })
        #expect(reach.addressesNotProbed == server.silent.count - 8)
        let zone = try #require(evidence.lazy.compactMap { $0.facts(as: ZoneFacts.self) }.first)
        #expect(zone.nameServers.count == 8 && zone.nameServersNotFollowed == 32)
        #expect(zone.mailExchangers.count == 8 && zone.mailExchangersNotFollowed == 32)
    }

    @Test("silent addresses and a DNS/IPv6 budget shorter than a connect: the connects are cut short, budget-exhausted",
          .enabled(if: BudgetServer.hasSilentAddresses, "needs root: the silent addresses listen on ports 80 and 443"))
    func connectsCutShort() throws {
        var slow = context
        slow.connectTimeoutMilliseconds = 30_000
        let evidence = IPv6DNSProbe(context: slow).run(try Endpoint(parsing: "https://many.budget.example/"),
                                                      until: Deadline(seconds: 3, owner: "the DNS/IPv6 probe"))
        guard case .failed(let r)? = evidence.first(where: { $0.kind == Reachability.kind })?.outcome else {
            Issue.record("\(evidence.map(\.outcome))"); return
        }
        #expect(r.isBudgetExhausted && r.detail.contains("16 ipv4 connects"))
    }

    @Test("a page of 100,000 links: the first --max-links-per-page analysed and kept, the rest counted")
    func manyLinks() throws {
        var options = LinkHygieneOptions()
        options.cloakingSample = 0
        let evidence = LinkHygieneProbe(context: context, options: options).run(try Endpoint(parsing: server.site))
        let pages = try #require(evidence.lazy.compactMap { $0.facts(as: LinkPages.self) }.first)
        let home = try #require(pages.pages.first)
        #expect(home.links.count == options.maxLinksPerPage)
        #expect(home.links.count + home.linksDropped == server.links)
    }
}
