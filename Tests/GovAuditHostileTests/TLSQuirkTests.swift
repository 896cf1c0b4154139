import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditTestSupport
import Testing

/// The TLS prober against ports that answer hellos as a real server would but misbehave on some
/// (Tests/Hostile/tlsquirks.py): what the review found mishandled.
@Suite("TLS prober against middlebox quirks")
struct TLSQuirkTests {
    let server: TLSQuirkServer
    let prober = TLSProber(timeoutMilliseconds: 800, filter: AddressFilter(allowing: [CIDR("127.0.0.1/32")!]))
    init() throws { server = try TLSQuirkServer.shared.get() }

    func scan(_ quirk: String) -> Result<TLSProber.VersionScan, TLSProber.Failure> {
        prober.scan(address: "127.0.0.1", port: server.ports[quirk]!, serverName: "quirk.example", deadline: Deadline(seconds: 60, owner: "the test"))
    }

    @Test("an IPS that drops SSLv2 hellos leaves the scan standing: TLS 1.2 is found, SSLv2 recorded as unanswered")
    func droppedSSLv2() throws {
        let result = try scan("drops-sslv2").get()
        #expect(result.offered == [.tls12])
        #expect(result.unanswered == [.sslv2: .timeout])
        #expect(result.suites[.tls12] == [0xC02F, 0xC030, 0x009C] && result.cutShort.isEmpty)
    }

    @Test("a server going silent in the middle of the suite enumeration: the list so far, marked cut short")
    func stallMidway() throws {
        let result = try scan("stalls-midway").get()
        #expect(result.offered == [.tls12])
        #expect(result.suites[.tls12] == [0xC02F])
        #expect(result.cutShort[.tls12] == .timeout)
    }

    @Test("a TLS 1.3 server that refuses hellos without a key share: every suite is still found, each asked again with a share")
    func noHelloRetry() throws {
        let result = try scan("tls13-no-hrr").get()
        #expect(result.offered == [.tls13])
        #expect(result.suites[.tls13] == [0x1302, 0x1301] && result.cutShort.isEmpty)
        // Six version hellos and TLS 1.3's again with a share (its share-less one was refused);
        // the first suite is that hello's own; then, share-less and again with a share, the
        // second suite and the refusal that ends the list.
        #expect(result.handshakes == 11)
    }

    @Test("a port silent to the TLS 1.2 and 1.3 hellos fails as a timeout without waiting out the old versions")
    func silentPort() throws {
        let before = try server.silentConnections()
        #expect(scan("silent") == .failure(.timeout))
        #expect(try server.silentConnections() - before == 2)
    }
}
