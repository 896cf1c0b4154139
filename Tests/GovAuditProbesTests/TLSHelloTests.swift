import Foundation
import GovAuditCore
import Testing
@testable import GovAuditNet

@Suite("TLS hellos and the suite table")
struct TLSHelloTests {
    let random = (0..<32).map { UInt8($0) }

    @Test("a TLS 1.2 ClientHello: record and handshake headers, suites, SNI")
    func clientHello() {
        let hello = TLSHello.client(version: .tls12, suites: [0xC02F, 0x000A], serverName: "sotuphap.angiang.gov.vn", random: random)
        #expect(hello[0] == 0x16 && hello[1] == 0x03 && hello[2] == 0x01)          // handshake record, TLS 1.0 record version
        #expect(Int(hello[3]) << 8 | Int(hello[4]) == hello.count - 5)
        #expect(hello[5] == 0x01)                                                 // ClientHello
        #expect(hello[9] == 0x03 && hello[10] == 0x03)                            // client_version TLS 1.2
        #expect(hello[43] == 0)                                                   // empty session id
        #expect(Array(hello[44..<50]) == [0x00, 0x04, 0xC0, 0x2F, 0x00, 0x0A])    // two suites
        #expect(String(decoding: hello, as: UTF8.self).contains("sotuphap.angiang.gov.vn"))
        let v13 = TLSHello.client(version: .tls13, suites: [0x1301], serverName: nil, random: random)
        #expect(v13[9] == 0x03 && v13[10] == 0x03)                                // legacy version stays 1.2
        #expect(v13.windowed(by: [0x00, 0x2B, 0x00, 0x03, 0x02, 0x03, 0x04]))     // supported_versions: TLS 1.3
    }

    func serverHello(version: [UInt8], suite: [UInt8], random r: [UInt8]? = nil, supportedVersion: [UInt8]? = nil) -> [UInt8] {
        var body: [UInt8] = version + (r ?? Array(repeating: 7, count: 32)) + [0] + suite + [0]
        if let sv = supportedVersion { body += [0x00, 0x06, 0x00, 0x2B, 0x00, 0x02] + sv }
        let hs = [UInt8(2), 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        return [0x16, 0x03, 0x03, UInt8(hs.count >> 8), UInt8(hs.count & 0xFF)] + hs
    }

    @Test("ServerHello, TLS 1.3 through supported_versions, HelloRetryRequest, alert, garbage")
    func replies() {
        #expect(TLSHello.parse(serverHello(version: [3, 3], suite: [0xC0, 0x2F])) == .serverHello(version: .tls12, rawVersion: 0x0303, suite: 0xC02F))
        #expect(TLSHello.parse(serverHello(version: [3, 1], suite: [0x00, 0x2F])) == .serverHello(version: .tls10, rawVersion: 0x0301, suite: 0x002F))
        #expect(TLSHello.parse(serverHello(version: [3, 3], suite: [0x13, 0x01], supportedVersion: [3, 4])) == .serverHello(version: .tls13, rawVersion: 0x0303, suite: 0x1301))
        #expect(TLSHello.parse(serverHello(version: [3, 3], suite: [0x13, 0x02], random: TLSHello.helloRetryRandom, supportedVersion: [3, 4])) == .helloRetry(suite: 0x1302))
        #expect(TLSHello.parse([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]) == .alert(level: 2, description: 70))
        #expect(TLSHello.parse(Array("HTTP/1.1 400 Bad Request\r\n".utf8)) == .unexpected)
        #expect(TLSHello.parse([0x16, 0x03]) == .unexpected)
    }

    @Test("SSLv2 and SSLv3 paths, on constructed server replies (no Debian server speaks them)")
    func legacy() {
        let v2 = TLSHello.clientSSLv2(random: random)
        #expect(v2[0] & 0x80 != 0 && v2[2] == 1 && v2[3] == 0 && v2[4] == 2)     // CLIENT-HELLO, version 2
        #expect(Int(v2[0] & 0x7F) << 8 | Int(v2[1]) == v2.count - 2)
        // SERVER-HELLO: type 4, hit 0, cert type 1, version 0x0002, cert len 1, specs len 6, conn id len 16, …
        let server: [UInt8] = [0x80, 0x20, 4, 0, 1, 0, 2, 0, 1, 0, 6, 0, 16] + [0x30] + [1, 0, 0x80, 7, 0, 0xC0] + Array(repeating: 9, count: 16)
        #expect(TLSHello.neededLength(Array(server.prefix(2))) == 2 + 0x20)
        #expect(TLSHello.parse(server) == .sslv2ServerHello(cipherKinds: 2))
        let v3 = TLSHello.client(version: .sslv3, suites: [0x0005, 0x000A], serverName: "x.gov.vn", random: random)
        #expect(v3[1] == 0x03 && v3[2] == 0x00 && v3[9] == 0x03 && v3[10] == 0x00)
        #expect(!String(decoding: v3, as: UTF8.self).contains("x.gov.vn"))     // SSLv3 has no extensions
        #expect(TLSHello.parse(serverHello(version: [3, 0], suite: [0x00, 0x05])) == .serverHello(version: .sslv3, rawVersion: 0x0300, suite: 0x0005))
    }

    @Test("the suite table: names agree with OpenSSL's IANA names, properties follow the names")
    func suites() throws {
        let out = Pipe()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var compared = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 2 else { continue }
            let bytes = f[0].split(separator: ",").compactMap { UInt16($0.dropFirst(2), radix: 16) }
            guard bytes.count == 2, let ours = CipherSuite.named(bytes[0] << 8 | bytes[1]) else { continue }
            #expect(ours.name == String(f[2]), "0x\(String(ours.code, radix: 16))")
            compared += 1
        }
        #expect(compared > 40)
        #expect(Set(CipherSuite.all.map(\.code)).count == CipherSuite.all.count)
        let tdes = try #require(CipherSuite.named(0x000A))
        #expect(tdes.traits.properties == ["3des", "cbc"] && tdes.keyExchange == "RSA")
        #expect(CipherSuite.named(0xC02F)?.traits.properties == ["aead", "forward-secrecy"])
        #expect(CipherSuite.named(0xC02F)?.keyExchange == "ECDHE_RSA" && CipherSuite.named(0x1301)?.keyExchange == "ECDHE")
        #expect(CipherSuite.named(0x0003)?.traits.properties == ["export", "rc4"])
        #expect(CipherSuite.named(0x0018)?.traits.properties == ["anonymous", "rc4"])
        #expect(CipherSuite.named(0x0009)?.traits.properties == ["des", "cbc"] && CipherSuite.named(0x0002)?.traits.properties == ["null"])
        #expect(CipherSuite.named(0x0011)?.traits.properties == ["export", "des", "cbc", "forward-secrecy"])
        #expect(CipherSuite.named(0x1301)?.usable(with: .tls13) == true && CipherSuite.named(0x1301)?.usable(with: .tls12) == false)
        #expect(CipherSuite.named(0xC02F)?.usable(with: .tls11) == false && CipherSuite.named(0x002F)?.usable(with: .tls10) == true)
    }
}

extension Array where Element == UInt8 {
    func windowed(by needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
