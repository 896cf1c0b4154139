import GovAuditCore
import Testing
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
