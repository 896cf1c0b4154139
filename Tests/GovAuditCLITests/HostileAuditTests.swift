import Foundation
import GovAuditTestSupport
import Testing

/// `govaudit audit` as a user runs it, against the hostile site (Tests/Hostile/hostile.py): with
/// every probe on and outbound links checked, no connection reaches a canary.
@Suite("audit against a hostile site", .serialized)
struct HostileAuditTests {
    let server: HostileServer

    init() throws {
        server = try HostileServer.shared.get()
    }

    @Test("redirects, numeric hosts, outbound checks and cloaking views stay inside --allow-net")
    func hostileSite() throws {
        let r = try CLI.run(["audit", "http://www.hostile.example:\(server.webPort)/", "--resolver", server.resolver,
                             "--allow-net", "127.0.0.1/32", "--check-outbound", "20", "--timeout", "2", "--format", "json",
                             "--fail-on", "none"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("address-not-allowed"))
        #expect(try server.hits() == [])
    }

    @Test("a target whose name resolves to loopback is not scanned without --allow-net")
    func loopbackTarget() throws {
        let target = "https://target.hostile.example:\(server.canaryPort)/"
        let r = try CLI.run(["audit", target, "--resolver", server.resolver, "--timeout", "2", "--lang", "en", "--fail-on", "none"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("127.0.0.3 is loopback"))
        #expect(try server.hits() == [])
        #expect(!server.targetCanaryPorts.isEmpty, "ports 80 and 443 of 127.0.0.3 were taken: the reach check went unwatched")
    }
}
