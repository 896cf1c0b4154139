import Foundation
import Testing
@testable import GovAuditNet

/// Certificate names as UTF-8: a Vietnamese CA reads "Tỉnh", never `T\xE1\xBB\x89nh`. The
/// certificate is made by `openssl req` at test time; the inspector sees it through a real
/// `openssl s_server` on 127.0.0.1.
@Suite("Certificate names", .serialized)
struct CertificateNameTests {
    static let organisation = "Sở Thông tin và Truyền thông"
    static let commonName = "Tỉnh An Giang"

    /// A self-signed certificate and key in a fresh folder; the common name ends with `cnTail`.
    func makeCertificate(cnTail: String = "") throws -> (folder: String, cert: String, key: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-cert-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cert = folder + "/cert.pem", key = folder + "/key.pem"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-utf8", "-days", "2",
                       "-subj", "/C=VN/O=\(Self.organisation)/CN=\(Self.commonName)\(cnTail)", "-keyout", key, "-out", cert]
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return (folder, cert, key)
    }

    @Test("subject and issuer of a PEM certificate come out as UTF-8, in RFC 2253 order")
    func pemNames() throws {
        let made = try makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: made.folder) }
        let pem = [UInt8](try Data(contentsOf: URL(fileURLWithPath: made.cert)))
        let (names, count) = PEMCertificates.names(in: pem)
        #expect(count == 1)
        #expect(names.first?.commonName == Self.commonName)
        #expect(names.first?.subject == "CN=\(Self.commonName),O=\(Self.organisation),C=VN")
        #expect(names.first?.issuer == names.first?.subject)  // self-signed
        #expect(names.first?.issuer.contains("\\x") == false)
    }

    @Test("control characters in a name stay escaped; text without a certificate counts none")
    func hostileNames() throws {
        let made = try makeCertificate(cnTail: " \u{1B}[31m")
        defer { try? FileManager.default.removeItem(atPath: made.folder) }
        let names = PEMCertificates.names(in: [UInt8](try Data(contentsOf: URL(fileURLWithPath: made.cert)))).names
        #expect(names.first?.commonName == "\(Self.commonName) \\1B[31m")
        #expect(names.first?.subject.unicodeScalars.contains("\u{1B}") == false)
        #expect(PEMCertificates.names(in: Array("-----BEGIN CERTIFICATE-----\nnot base64\n".utf8)).count == 0)
        #expect(PEMCertificates.names(in: []).count == 0)
    }

    @Test("the TLS inspector reports the same UTF-8 subject and issuer from a live handshake")
    func inspector() throws {
        let made = try makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: made.folder) }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", made.cert, "-key", made.key, "-naccept", "1"]
        let out = Pipe(), input = Pipe()  // s_server quits at the end of its standard input
        server.standardOutput = out
        server.standardInput = input
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            try? input.fileHandleForWriting.close()
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
        var printed = ""
        while !(printed.contains("ACCEPT") && printed.hasSuffix("\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // the server ended
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let accept = try #require(printed.split(separator: "\n").first { $0.hasPrefix("ACCEPT ") }, "s_server printed: \(printed)")
        let port = try #require(accept.split(separator: ":").last.flatMap { Int($0) })
        let report = try TLSInspector(caFile: nil, timeoutMilliseconds: 3000, filter: AddressFilter(allowing: [CIDR("127.0.0.1/32")!]))
            .inspect(address: "127.0.0.1", port: port, serverName: "localhost", hostname: "localhost").get()
        #expect(report.leaf.subjectCN == Self.commonName)
        #expect(report.leaf.issuer == "CN=\(Self.commonName),O=\(Self.organisation),C=VN")
        #expect(report.chain.first?.subjectCN == Self.commonName && report.chain.first?.issuerCN == Self.commonName)
    }

    @Test("CIDR: an empty network, a bare slash or a missing prefix is refused, not a crash",
          arguments: ["", "/", "//", "10.0.0.0/", "/24", "fd10::/129"])
    func badCIDR(text: String) {
        #expect(CIDR(text) == nil)
    }
}
