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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-literal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        make.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                          "-subj", "/CN=Cổng thử", "-utf8", "-addext", "subjectAltName=IP:127.0.0.1",
                          "-addext", "keyUsage=critical,digitalSignature", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem"]
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        #expect(make.terminationStatus == 0)
        // A port of our own choosing, then connects until s_server listens (its stdout is not
        // read: nothing waits on a pipe).
        let port = Int.random(in: 20_000...40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", folder + "/cert.pem", "-key", folder + "/key.pem", "-www"]
        let input = Pipe()
        server.standardInput = input
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            try? input.fileHandleForWriting.close()
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }   // SIGTERM may be ignored (inherited)
            server.waitUntilExit()
        }
        let filter = AddressFilter(allowing: [CIDR("127.0.0.1/32")!])
        var listening = false
        for _ in 0..<50 where !listening {
            if case .success(let s) = TCP.open(address: "127.0.0.1", port: port, timeoutMilliseconds: 200, filter: filter, gate: nil) {
                s.close()
                listening = true
            } else {
                usleep(100_000)
            }
        }
        try #require(listening, "s_server did not listen on \(port)")
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
