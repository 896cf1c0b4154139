import GovAuditCore
import Testing
import GovAuditNet
@testable import GovAuditProbes

/// The bound on every address (`--max-addresses`): addresses in address order, duplicates once,
/// the ones beyond the bound counted and named, never dropped in silence.
@Suite("TLS probe: the address bound")
struct TLSAddressBoundTests {
    @Test("the first N addresses in address order are probed; the rest are counted and listed")
    func bound() {
        let answer = ["127.0.10.140", "127.0.10.9", "127.0.10.137", "127.0.10.9", "127.0.10.136"]
        let (probed, beyond) = ResolvedAddresses.bounded(answer, .ipv4, 2)
        #expect(probed == ["127.0.10.9", "127.0.10.136"])
        #expect(beyond == .init(family: .ipv4, count: 2, addresses: ["127.0.10.137", "127.0.10.140"]))
        let (all, none) = ResolvedAddresses.bounded(answer, .ipv4, 8)
        #expect(all.count == 4 && none == nil)
    }

    @Test("IPv6 addresses sort by value, not by text, and the primary is the first A, else the first AAAA")
    func order() {
        let (v6, _) = ResolvedAddresses.bounded(["fd10::1:0", "fd10::137", "fd10::9"], .ipv6, 8)
        #expect(v6 == ["fd10::9", "fd10::137", "fd10::1:0"])
        let both = ResolvedAddresses(ipv4: ["127.0.10.9"], ipv6: v6, notProbed: [], lookupFailures: [])
        #expect(both.primary?.address == "127.0.10.9")
        let only6 = ResolvedAddresses(ipv4: [], ipv6: v6, notProbed: [], lookupFailures: [])
        #expect(only6.primary?.family == .ipv6 && only6.primary?.address == "fd10::9")
    }
}

/// One address that fails while the others answer is a typed record, never dropped.
@Suite("TLS probe: a failing address")
struct TLSAddressFailureTests {
    func probe(ipv6Disabled: Bool = false) -> AddressProbe {
        let filter = AddressFilter(allowing: [CIDR("127.0.0.1/32")!])
        let resolver = Resolver(upstream: "127.0.0.1:9", timeoutMilliseconds: 500)   // addresses are given: no lookup
        let context = ProbeContext(resolver: resolver, http: HTTPClient(resolver: resolver, limits: HTTPLimits(), filter: filter),
                                   ipv6Disabled: ipv6Disabled, connectTimeoutMilliseconds: 1000)
        // Port 9 (discard) listens nowhere on a build machine: every connect is refused.
        return AddressProbe(probe: TLSProbe(context: context, caFile: nil), context: context,
                            endpoint: try! Endpoint(parsing: "https://cong-thu.angiang.gov.vn:9/"), port: 9,
                            serverName: "cong-thu.angiang.gov.vn", deadline: Deadline(seconds: 20, owner: "the test"))
    }

    @Test("a refusing address is a failed record (refused), with the hellos it took, fingerprinted or full")
    func refused() {
        let reference = TLSAddresses.Record(address: "127.0.0.2", family: .ipv4, primary: true, probing: .full, outcome: .collected,
                                            versions: [.tls12], leafSHA256: String(repeating: "a1", count: 32))
        for against in [reference, nil] {
            let r = probe().run("127.0.0.1", .ipv4, against: against)
            guard case .failed(let reason) = r.outcome else { Issue.record("\(r.outcome)"); continue }
            #expect(reason.code == "refused" && reason.detail.contains("127.0.0.1:9"))
            #expect(r.probing == (against == nil ? .full : .fingerprint))
            #expect(r.handshakes == 2, "TLS 1.2 and 1.3 refused, then the port is taken as closed")
            #expect(r.versions.isEmpty && r.leafSHA256 == nil)
        }
    }

    @Test("an IPv6 address under --no-ipv6 is could-not-test, not a failure")
    func noIPv6() {
        let r = probe(ipv6Disabled: true).run("fd10::9", .ipv6, against: nil)
        #expect(r.outcome == .couldNotTest("IPv6 disabled (--no-ipv6)") && r.handshakes == 0)
    }
}
