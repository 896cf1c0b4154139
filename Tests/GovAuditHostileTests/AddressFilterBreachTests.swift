import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditProbes
import GovAuditTestSupport
import Testing

/// A hostile site tries to make the scanner connect to addresses outside --allow-net: redirects
/// to names and numeric host forms, DNS rebinding, outbound links, cloaking. Canary listeners on
/// those addresses count what got through; every test ends with the count at zero, and with the
/// typed result the attempt must produce.
@Suite("Address filter against a hostile site", .serialized)
struct AddressFilterBreachTests {
    let server: HostileServer
    let client: HTTPClient
    let site: String

    init() throws {
        server = try HostileServer.shared.get()
        // Only the hostile site's own address is allowed.
        client = server.client(allowing: ["127.0.0.1/32"])
        site = "http://www.hostile.example:\(server.webPort)"
    }

    func expectNoBreach(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(try server.hits() == [], "a canary was reached", sourceLocation: sourceLocation)
    }

    @Test("the site itself is fetched (the tests can tell allowed from refused)")
    func allowedSite() throws {
        let r = try client.fetch(site + "/landing", family: .ipv4).get()
        #expect(r.status == 200 && r.hops.map(\.address) == ["127.0.0.1"])
        try expectNoBreach()
    }

    @Test("a redirect to any host form of a refused address is refused", arguments: [
        ("canary.hostile.example", "127.0.0.2"), ("2130706434", "127.0.0.2"), ("127.2", "127.0.0.2"),
        ("0x7f000002", "127.0.0.2"), ("0", "0.0.0.0"), ("127.0.2", "127.0.0.2"), ("017700000002", "127.0.0.2"),
        ("[::1]", "::1"), ("[::ffff:127.0.0.2]", "::ffff:127.0.0.2"), ("[::ffff:7f00:2]", "::ffff:7f00:2"),
    ])
    func redirects(_ host: String, _ address: String) throws {
        guard case .failure(.addressNotAllowed(let refused, _)) = client.fetch(site + "/r/" + host, family: .ipv4) else {
            Issue.record("redirect to \(host) not refused"); return
        }
        #expect(refused == address)
        try expectNoBreach()
    }

    @Test("names whose AAAA embeds a refused IPv4 address are refused", arguments: [
        ("mapped.hostile.example", "IPv4-mapped"), ("nat64.hostile.example", "NAT64 of loopback"),
    ])
    func embedded(_ name: String, _ range: String) throws {
        guard case .failure(.addressNotAllowed(_, let why)) = client.fetch("http://\(name):\(server.canaryPort)/", family: .ipv6) else {
            Issue.record("\(name) not refused"); return
        }
        #expect(why == range)
        try expectNoBreach()
    }

    @Test("DNS rebinding (TTL 0, allowed and refused answers in turn) never reaches the refused one")
    func rebinding() throws {
        var landed = 0, refused = 0
        for _ in 0..<8 {
            switch client.fetch(site + "/rebind", family: .ipv4) {
            case .success(let r) where r.status == 200 && r.hops.last?.address == "127.0.0.1": landed += 1
            case .failure(.addressNotAllowed("127.0.0.2", _)): refused += 1
            case let other: Issue.record("unexpected result \(other)")
            }
        }
        #expect(landed > 0 && refused > 0, "the rebinding answers did not alternate: \(landed) landed, \(refused) refused")
        try expectNoBreach()
    }

    @Test("a redirect to another scheme is recorded, never followed")
    func otherScheme() throws {
        let r = try client.fetch(site + "/ftp", family: .ipv4).get()
        #expect(r.status == 302 && r.hops.count == 1)
        #expect(r.hops.last?.location == "ftp://canary.hostile.example:\(server.canaryPort)/file")
        try expectNoBreach()
    }

    @Test("an IPv6-literal URL is fetched when its network is allowed")
    func ipv6Literal() throws {
        var v6 = client
        v6.filter = AddressFilter(allowing: [CIDR("::1/128")!])
        let r = try v6.fetch("http://[::1]:\(server.web6Port)/landing", family: .ipv4).get()
        #expect(r.status == 200 && r.hops.map(\.address) == ["::1"])
        #expect(String(decoding: r.body, as: UTF8.self) == "landed\n")
    }

    @Test("TCP, the TLS prober and the certificate inspector refuse the address before connecting")
    func sockets() throws {
        let filter = client.filter
        #expect(TCP.connect(address: "127.0.0.2", port: server.canaryPort, timeoutMilliseconds: 1000, filter: filter) == .notAllowed)
        #expect(TCP.connect(address: "::ffff:127.0.0.2", port: server.canaryPort, timeoutMilliseconds: 1000, filter: filter) == .notAllowed)
        #expect(TCP.connect(address: "127.0.0.1", port: server.webPort, timeoutMilliseconds: 1000, filter: filter) == .open)
        let prober = TLSProber(timeoutMilliseconds: 1000, filter: filter)
        #expect(prober.exchange(address: "127.0.0.2", port: server.canaryPort, hello: [0x16]) == .failure(.notAllowed("loopback")))
        let inspector = TLSInspector(caFile: nil, timeoutMilliseconds: 1000, filter: filter)
        guard case .failure(.connect(.notAllowed)) = inspector.inspect(address: "::1", port: server.canaryPort, serverName: nil,
                                                                       hostname: "canary.hostile.example") else {
            Issue.record("inspector connected to ::1"); return
        }
        try expectNoBreach()
    }

    @Test("the crawl's redirects, outbound checks and cloaking views never reach a canary")
    func crawl() throws {
        let context = ProbeContext(resolver: client.resolver, http: client, connectTimeoutMilliseconds: 1000)
        var options = LinkHygieneOptions()
        options.checkOutbound = 20
        options.timeBudgetSeconds = 20
        let evidence = LinkHygieneProbe(context: context, options: options).run(try Endpoint(parsing: site + "/"))
        let crawl = try #require(evidence.lazy.compactMap { $0.facts(as: LinkCrawl.self) }.first)
        #expect(crawl.pagesFetched >= 1)
        // The same-site /internal redirects to the canary's host: off the site, so recorded, never followed.
        #expect(crawl.offsiteRedirects.contains { $0.page == "/internal" && $0.target.contains("canary.") }, "\(crawl.offsiteRedirects)")
        try expectNoBreach()
    }

    @Test("a target whose name resolves to loopback is not scanned without --allow-net")
    func loopbackTarget() throws {
        let context = ProbeContext(resolver: client.resolver, http: client, connectTimeoutMilliseconds: 1000)
        let endpoint = try Endpoint(parsing: "http://target.hostile.example:\(server.canaryPort)/")
        let reach = IPv6DNSProbe(context: context).run(endpoint).filter { $0.kind == Reachability.kind }
        guard case .couldNotTest(let why)? = reach.first?.outcome else { Issue.record("reachability was tested: \(reach)"); return }
        #expect(why.contains("127.0.0.3") && why.contains("loopback"))
        let crawl = LinkHygieneProbe(context: context, options: LinkHygieneOptions()).run(endpoint)
        guard case .couldNotTest(let detail)? = crawl.first?.outcome else { Issue.record("the crawl ran: \(crawl)"); return }
        #expect(detail.contains("127.0.0.3"))
        try expectNoBreach()
    }
}

/// The per-address connection bound, on real sockets to the hostile site.
@Suite("Connection gate")
struct ConnectionGateTests {
    @Test("concurrent fetches to one address never exceed the gate, and every slot is given back")
    func bound() throws {
        let server = try HostileServer.shared.get()
        let gate = ConnectionGate(perAddress: 2)
        let client = server.client(allowing: ["127.0.0.1/32"], gate: gate)
        let url = "http://www.hostile.example:\(server.webPort)/landing"
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 12) { i in
            if i % 3 == 0 {
                let outcome = TCP.connect(address: "127.0.0.1", port: server.webPort, timeoutMilliseconds: 1000,
                                          filter: client.filter, gate: gate)
                statuses.add(outcome == .open ? 200 : -1)
            } else {
                statuses.add((try? client.fetch(url, family: .ipv4).get())?.status ?? -1)
            }
        }
        #expect(statuses.all == Array(repeating: 200, count: 12))
        #expect(gate.peak >= 1 && gate.peak <= 2)
        #expect(gate.openNow == 0)
    }

    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ v: Int) { lock.withLock { values.append(v) } }
        var all: [Int] { lock.withLock { values } }
    }
}
