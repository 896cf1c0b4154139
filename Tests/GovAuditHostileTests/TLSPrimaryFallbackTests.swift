import Foundation
import GovAuditCore
@testable import GovAuditNet
@testable import GovAuditProbes
import Testing

/// The primary address against real sockets: a name with two A records whose first refuses on
/// the port (nothing listens on 127.0.0.1 there) and whose second is a real `openssl s_server`
/// (127.0.0.2). The second becomes the primary; the first is a failed record. Its HTTPS answer,
/// pinned to each address, is fetched or fails as a typed result.
@Suite("TLS probe: the primary is the first address that answers", .serialized)
struct TLSPrimaryFallbackTests {
    @Test("first A refuses, second serves: the second is scanned in full, the first recorded refused; HTTPS per address")
    func fallback() throws {
        let server = try OpenSSLServer(address: "127.0.0.2", certificate: [
            "-subj", "/CN=cong-thu.angiang.gov.vn", "-addext", "subjectAltName=DNS:cong-thu.angiang.gov.vn"])
        defer { server.stop() }
        let port = server.port
        let filter = AddressFilter(allowing: [CIDR("127.0.0.0/29")!])
        let resolver = Resolver(upstream: "127.0.0.1:9", timeoutMilliseconds: 500)   // the addresses are given: no lookup
        var limits = HTTPLimits()
        limits.totalTimeoutMilliseconds = 4000
        let context = ProbeContext(resolver: resolver, http: HTTPClient(resolver: resolver, limits: limits, filter: filter),
                                   connectTimeoutMilliseconds: 2000)
        let probe = TLSProbe(context: context, caFile: nil)
        let resolved = ResolvedAddresses(ipv4: ["127.0.0.1", "127.0.0.2"], ipv6: [], notProbed: [], lookupFailures: [])
        let deadline = Deadline(seconds: 60, owner: "the test")
        let search = probe.searchPrimary(resolved, port: port, serverName: "cong-thu.angiang.gov.vn", context, deadline)
        guard case .found(let family, let address, let scan, let tried) = search else { Issue.record("\(search)"); return }
        #expect(family == .ipv4 && address == "127.0.0.2")
        #expect(scan.offered.contains(.tls13) && scan.offered.contains(.tls12), "\(scan.offered)")
        #expect(tried.count == 1 && tried.first?.address == "127.0.0.1" && tried.first?.probing == .full)
        guard case .failed(let reason)? = tried.first?.outcome else { Issue.record("\(tried)"); return }
        #expect(reason.code == "refused" && tried.first?.handshakes == 2)

        let endpoint = try Endpoint(parsing: "https://cong-thu.angiang.gov.vn:\(port)/")
        #expect(TLSProbe.fetchHTTPS(endpoint, context, family: .ipv4, address: "127.0.0.2") == .observed(AddressHTTPS(status: 200)))
        guard case .failed(let refused) = TLSProbe.fetchHTTPS(endpoint, context, family: .ipv4, address: "127.0.0.1") else {
            Issue.record("a refused fetch must be a failed result"); return
        }
        #expect(refused.code == "refused")
    }
}
