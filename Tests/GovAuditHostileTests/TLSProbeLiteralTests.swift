import Foundation
import GovAuditCore
@testable import GovAuditNet
import GovAuditProbes
import Testing

/// The TLS probe against an IP-literal endpoint served by a real `openssl s_server`: no SNI is
/// sent (RFC 6066 §3), the host is matched against the IP-address names, and a self-signed leaf
/// without keyCertSign is self-signed.
@Suite("TLS probe on an IP literal", .serialized)
struct TLSProbeLiteralTests {
    @Test("no SNI for an IP literal; IP-address SAN matched; a self-signed leaf said so")
    func literal() throws {
        let server = try OpenSSLServer(certificate: ["-subj", "/CN=Cổng thử", "-utf8", "-addext", "subjectAltName=IP:127.0.0.1",
                                                     "-addext", "keyUsage=critical,digitalSignature"])
        defer { server.stop() }
        let port = server.port
        let filter = AddressFilter(allowing: [CIDR("127.0.0.1/32")!])
        let resolver = Resolver(upstream: "127.0.0.1:9", timeoutMilliseconds: 500)   // an IP literal needs no lookup
        var limits = HTTPLimits()
        limits.totalTimeoutMilliseconds = 4000
        let context = ProbeContext(resolver: resolver, http: HTTPClient(resolver: resolver, limits: limits, filter: filter),
                                   connectTimeoutMilliseconds: 2000)
        let evidence = TLSProbe(context: context, caFile: nil).run(try Endpoint(parsing: "https://127.0.0.1:\(port)/"))
        let cert = try #require(evidence.lazy.compactMap { $0.facts(as: TLSCertificate.self) }.first, "\(evidence)")
        #expect(cert.serverName == nil)
        #expect(cert.hostnameMatches && cert.ipAddresses == ["127.0.0.1"] && cert.subjectAltNames.isEmpty)
        #expect(cert.selfSigned && cert.chain.first?.selfSigned == true && cert.subject == "Cổng thử")
        #expect(cert.withoutSNI.subject == cert.subject && cert.otherKeyTypes.isEmpty)
        #expect(cert.ocsp == nil && !cert.ocspStapled)
    }
}
