import Foundation
import GovAuditCore
@testable import GovAuditNet
import Testing

/// The suite elimination's hello count against a real `openssl s_server` (TLS 1.2 and 1.3):
/// no hello is asked twice (the version's own hello is the elimination's first step) and TLS 1.3
/// suites come from HelloRetryRequests, so a share-less hello is never asked again with a share.
@Suite("TLS suite elimination against OpenSSL", .serialized)
struct TLSEliminationTests {
    @Test("every suite found with one hello per suite and version, plus each list's refusal, the order and the groups")
    func helloCount() throws {
        let server = try OpenSSLServer(certificate: ["-subj", "/CN=elimination.example"])
        defer { server.stop() }
        let prober = TLSProber(timeoutMilliseconds: 2000, filter: AddressFilter(allowing: [CIDR("127.0.0.1/32")!]))
        let scan = try prober.scan(address: "127.0.0.1", port: server.port, serverName: "elimination.example",
                                   deadline: Deadline(seconds: 60, owner: "the test")).get()
        #expect(scan.offered == [.tls12, .tls13])
        // OpenSSL's default TLS 1.3 suites: AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM.
        #expect(Set(scan.suites[.tls13] ?? []) == [0x1301, 0x1302, 0x1303])
        let tls12 = scan.suites[.tls12] ?? []
        #expect(tls12.count >= 2 && scan.cutShort.isEmpty && !scan.groups.isEmpty)
        // Six version hellos; per version, one hello per suite after the first (the version
        // hello's) and one refused; the TLS 1.2 order; one per ECDHE group candidate.
        let groupHellos = TLSHello.defaultGroups.filter { $0 != 0x0100 }.count
        #expect(scan.handshakes == 6 + tls12.count + 3 + 1 + groupHellos)
        // The TLS 1.3 version hello goes without a key share: OpenSSL names its suite in a
        // HelloRetryRequest, with no signature made, and is not asked again with a share.
        let versions = try prober.versions(address: "127.0.0.1", port: server.port, serverName: "elimination.example",
                                           deadline: Deadline(seconds: 60, owner: "the test")).get()
        #expect(versions.retriesShareless && versions.chosen[.tls13] == scan.suites[.tls13]?.first && versions.handshakes == 6)
    }

    @Test("the certificate's TLS 1.3 handshake reads the tickets when asked, and the 0-RTT check then makes no handshake of its own")
    func ticketsShared() throws {
        let server = try OpenSSLServer(certificate: ["-subj", "/CN=tickets.example"])
        defer { server.stop() }
        let filter = AddressFilter(allowing: [CIDR("127.0.0.1/32")!])
        let inspector = TLSInspector(caFile: nil, timeoutMilliseconds: 2000, filter: filter)
        let read = try inspector.inspect(address: "127.0.0.1", port: server.port, serverName: "tickets.example", hostname: "tickets.example",
                                         ticketWaitMilliseconds: TLSSessionProber.ticketWaitMilliseconds).get()
        #expect(read.protocolVersion == "TLSv1.3")
        let earlyData = try #require(read.earlyData)
        #expect(earlyData.tickets > 0 && earlyData.maxEarlyData == 0)   // s_server sends tickets, 0-RTT off
        let plain = try inspector.inspect(address: "127.0.0.1", port: server.port, serverName: "tickets.example", hostname: "tickets.example").get()
        #expect(plain.earlyData == nil && plain.leaf.sha256 == read.leaf.sha256)
        let session = TLSSessionProber(prober: TLSProber(timeoutMilliseconds: 2000, filter: filter))
        let deadline = Deadline(seconds: 30, owner: "the test")
        let shared = session.run(address: "127.0.0.1", port: server.port, serverName: "tickets.example", offered: [.tls13],
                                 earlyData: earlyData, deadline: deadline)
        #expect(shared.earlyData == .observed(earlyData) && shared.handshakes == 0)
        let own = session.run(address: "127.0.0.1", port: server.port, serverName: "tickets.example", offered: [.tls13], deadline: deadline)
        #expect(own.earlyData == .observed(earlyData) && own.handshakes == 1)
    }
}
