import GovAuditNet
import Testing

/// The address filter on its own: which addresses a scan may connect to, whatever form they
/// arrive in. The lab's hostile-server tests prove it is applied on every socket.
@Suite("Address filter")
struct AddressFilterTests {
    let strict = AddressFilter()

    @Test("public addresses pass, in both families", arguments: ["203.162.4.190", "8.8.8.8", "1.1.1.1", "2001:ee0:4f00::1",
                                                               "2a00:1450:4001:80b::200e"])
    func publicAddresses(_ address: String) {
        #expect(strict.check(address) == .allowed)
    }

    @Test("special-purpose ranges are refused by name", arguments: [
        ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("0.0.0.0", "this network"), ("0.1.2.3", "this network"),
        ("10.1.2.3", "private"), ("172.31.0.1", "private"), ("192.168.1.1", "private"), ("100.64.0.1", "shared (CGNAT)"),
        ("169.254.169.254", "link-local"), ("192.0.0.8", "IETF protocol assignments"), ("192.0.2.1", "documentation"),
        ("198.51.100.7", "documentation"), ("203.0.113.9", "documentation"), ("198.18.0.1", "benchmarking"),
        ("224.0.0.251", "multicast"), ("239.255.255.250", "multicast"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
        ("::", "unspecified"), ("::1", "loopback"), ("fd10::1", "unique-local"), ("fc00::1", "unique-local"),
        ("fe80::1", "link-local"), ("fec0::1", "site-local"), ("ff02::1", "multicast"), ("2001:db8::1", "documentation"),
        ("3fff::1", "documentation"), ("100::1", "discard-only"), ("2001:2::1", "benchmarking"),
        ("::ffff:127.0.0.1", "IPv4-mapped"), ("::ffff:8.8.8.8", "IPv4-mapped"), ("::127.0.0.1", "IPv4-compatible"),
    ])
    func specialRanges(_ address: String, _ range: String) {
        #expect(strict.check(address) == .refused(range))
    }

    @Test("IPv6 forms that carry an IPv4 address are judged by the address they carry")
    func embedded() {
        #expect(strict.check("64:ff9b::7f00:1") == .refused("NAT64 of loopback"))
        #expect(strict.check("64:ff9b::a00:1") == .refused("NAT64 of private"))
        #expect(strict.check("64:ff9b::808:808") == .allowed)
        #expect(strict.check("2002:7f00:1::1") == .refused("6to4 of loopback"))
        #expect(strict.check("2002:c0a8:101::1") == .refused("6to4 of private"))
        #expect(strict.check("2002:808:808::1") == .allowed)
        // Teredo: server at bits 32–63, client address inverted in the last 32 bits.
        #expect(strict.check("2001:0:808:808::80ff:fffe") == .refused("Teredo of loopback"))   // client ~127.0.0.1
        #expect(strict.check("2001:0:7f00:1::f7f7:f7f7") == .refused("Teredo of loopback"))    // server 127.0.0.1
        #expect(strict.check("2001:0:808:808::f7f7:f7f7") == .allowed)                          // both 8.8.8.8
    }

    @Test("--allow-net opens exactly the networks it names")
    func allowNet() throws {
        let lab = AddressFilter(allowing: ["127.0.10.0/24", "fd10::/16"].compactMap(CIDR.init))
        #expect(lab.check("127.0.10.12") == .allowed && lab.check("fd10::12") == .allowed)
        #expect(lab.check("127.0.0.1") == .refused("loopback"))
        #expect(lab.check("127.0.11.1") == .refused("loopback"))
        #expect(lab.check("::ffff:127.0.10.12") == .refused("IPv4-mapped"))
        #expect(lab.check("8.8.8.8") == .allowed)
    }

    @Test("what is not an address is refused")
    func notAddresses() {
        #expect(strict.check("localhost") == .refused("not an IP address"))
        #expect(strict.check([]) == .refused("not an IP address"))
        #expect(strict.check([127, 0, 0]) == .refused("not an IP address"))
    }

    @Test("numeric IPv4 host forms are read as the addresses they name", arguments: [
        ("2130706433", "127.0.0.1"), ("127.1", "127.0.0.1"), ("0x7f000001", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
        ("0", "0.0.0.0"), ("127.0.2817", "127.0.11.1"), ("0x7F.1", "127.0.0.1"),
    ])
    func numericHosts(_ host: String, _ address: String) {
        #expect(NumericHost.ipv4(host) == address)
    }

    @Test("host names are not numeric forms", arguments: ["angiang.gov.vn", "cafe", "dead.beef.example", "1.2.3.4.5", "x1"])
    func names(_ host: String) {
        #expect(NumericHost.ipv4(host) == nil)
    }
}
