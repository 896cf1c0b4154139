import Foundation
import GovAuditCore
import Testing
@testable import GovAuditNet

/// The depth checks' parsers on constructed server replies: Debian's servers cannot be made
/// vulnerable to Heartbleed, CCS injection or CRIME, so the vulnerable answers are built here
/// byte by byte, as RFC 5246/6520 lay them out.
@Suite("TLS depth checks on constructed replies")
struct TLSDepthParsingTests {
    func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [type, 0x03, 0x03, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body }
    func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [type] + TLSHello.u24(body.count) + body }
    func ext(_ type: UInt16, _ data: [UInt8]) -> [UInt8] { TLSHello.extensionBlock(type, data) }

    func serverHello(suite: UInt16, compression: UInt8 = 0, extensions: [UInt8] = [], random: [UInt8] = Array(repeating: 7, count: 32)) -> [UInt8] {
        var body: [UInt8] = [0x03, 0x03] + random + [0] + TLSHello.u16(suite) + [compression]
        if !extensions.isEmpty { body += TLSHello.u16(UInt16(extensions.count)) + extensions }
        return handshake(2, body)
    }

    /// ServerDHParams with a prime of `bits` bits starting with `prefix`.
    func dhKeyExchange(bits: Int, prefix: [UInt8]) -> [UInt8] {
        var p = prefix + [UInt8](repeating: 0xA5, count: bits / 8 - prefix.count)
        p[p.count - 1] |= 1
        return handshake(12, TLSHello.u16(UInt16(p.count)) + p + [0, 1, 2] + [0, 1, 9] + [4, 1, 0, 2] + [0xDE, 0xAD])
    }

    @Test("a ServerHello's extensions: heartbeat, RFC 5746, RFC 7627, ticket, ALPN h2 and the compression chosen")
    func helloExtensions() throws {
        let alpn: [UInt8] = [0, 3, 2] + Array("h2".utf8)
        let bytes = record(0x16, serverHello(suite: 0xC02F, compression: 1, extensions: ext(0xFF01, [0]) + ext(0x0017, []) + ext(0x0023, [])
                                             + ext(0x000F, [1]) + ext(0x0010, alpn)) + handshake(14, []))
        let flight = ServerFlight(records: ServerFlight.records(bytes).records)
        let hello = try #require(flight.hello)
        #expect(flight.isComplete && hello.compression == 1 && hello.suite == 0xC02F && hello.version == .tls12)
        let e = TLSVulnerabilityProber.extensions(hello, version: .tls12)
        #expect(e == .init(version: .tls12, secureRenegotiation: true, extendedMasterSecret: true, sessionTicket: true, alpn: "h2"))
        let bare = ServerFlight(records: ServerFlight.records(record(0x16, serverHello(suite: 0xC02F))).records)
        #expect(try TLSVulnerabilityProber.extensions(#require(bare.hello), version: .tls12)
                == .init(version: .tls12, secureRenegotiation: false, extendedMasterSecret: false, sessionTicket: false, alpn: nil))
        #expect(!bare.isComplete)   // no ServerHelloDone yet: the flight is still coming
    }

    @Test("DH parameters from a ServerKeyExchange split across records; RFC 7919 and RFC 3526 primes named, others not")
    func dhParameters() throws {
        let flight = serverHello(suite: 0x009E) + dhKeyExchange(bits: 1024, prefix: [0xC3, 0x7F]) + handshake(14, [])
        let split = record(0x16, Array(flight.prefix(60))) + record(0x16, Array(flight.dropFirst(60)))
        let parsed = ServerFlight(records: ServerFlight.records(split).records)
        #expect(parsed.keyExchange == .dh(primeBits: 1024, primePrefix: [0xC3, 0x7F] + Array(repeating: 0xA5, count: 14)))
        let used = TLSVulnerabilityProber.used(.success(parsed)).value
        #expect(used?.dhBits == 1024 && used?.dhPrime == nil && used?.suite.name == "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
        let ffdhe = ServerFlight(records: ServerFlight.records(record(0x16, serverHello(suite: 0x009E)
            + dhKeyExchange(bits: 2048, prefix: ServerFlight.ffdhePrefix) + handshake(14, []))).records)
        #expect(TLSVulnerabilityProber.used(.success(ffdhe)).value?.group == .init(code: 0x0100, name: "ffdhe2048"))
        #expect(ServerFlight.namedPrime(bits: 1024, prefix: ServerFlight.modpPrefix) == "modp1024")
        #expect(ServerFlight.namedPrime(bits: 1024, prefix: ServerFlight.ffdhePrefix) == nil)   // no 1024-bit RFC 7919 group
        let ecdhe = ServerFlight(records: ServerFlight.records(record(0x16, serverHello(suite: 0xC02F)
            + handshake(12, [3, 0x00, 0x17, 65] + Array(repeating: 4, count: 65)) + handshake(14, []))).records)
        #expect(TLSVulnerabilityProber.used(.success(ecdhe)).value?.group == .init(code: 0x0017, name: "secp256r1"))
    }

    @Test("Heartbleed: a heartbeat response carrying memory counts its over-read; an alert or a patched silence none")
    func heartbleed() {
        #expect(TLSVulnerabilityProber.heartbeatRequest(.tls12) == [0x18, 0x03, 0x03, 0x00, 0x03, 0x01, 0x40, 0x00])
        let leak = record(0x18, [2, 0x40, 0x00] + [UInt8](repeating: 0x41, count: 16_384 + 16))
        #expect(TLSVulnerabilityProber.overread(ServerFlight.records(leak).records) == 16_400)
        #expect(TLSVulnerabilityProber.overread(ServerFlight.records(record(0x15, [2, 10])).records) == 0)
        #expect(TLSVulnerabilityProber.overread([]) == 0)
    }

    @Test("CCS injection: unexpected_message rejects; bad_record_mac after the second CCS means the first was taken")
    func earlyCCS() {
        #expect(TLSVulnerabilityProber.judgeCCS(attempt: 1, alert: 10) == .init(accepted: false, alert: 10))
        #expect(TLSVulnerabilityProber.judgeCCS(attempt: 2, alert: 20) == .init(accepted: true, alert: 20))
        #expect(TLSVulnerabilityProber.judgeCCS(attempt: 2, alert: 21).accepted)
        #expect(!TLSVulnerabilityProber.judgeCCS(attempt: 2, alert: 10).accepted)
    }

    @Test("a HelloRetryRequest names the group the server wants; an ordinary ServerHello names none")
    func helloRetry() {
        let hrr = record(0x16, serverHello(suite: 0x1301, extensions: ext(0x002B, [3, 4]) + ext(0x0033, [0x00, 0x18]),
                                           random: TLSHello.helloRetryRandom))
        let flight = ServerFlight(records: ServerFlight.records(hrr).records)
        #expect(flight.isComplete && TLSVulnerabilityProber.retryGroup(flight) == 0x0018)
        let plain = ServerFlight(records: ServerFlight.records(record(0x16, serverHello(suite: 0x1301, extensions: ext(0x002B, [3, 4])))).records)
        #expect(plain.isComplete && TLSVulnerabilityProber.retryGroup(plain) == nil)   // TLS 1.3: the rest is encrypted
    }

    @Test("RFC 7685: a hello of 256–511 bytes is padded to 512; shorter and longer ones are not; extensions as asked")
    func padding() {
        let random = (0..<32).map { UInt8($0) }
        for count in [1, 40, 60, 100, 140, 200, 300] {
            let hello = ClientHelloSpec(version: .tls12, suites: (0..<count).map { UInt16(0xC000 + $0) }, serverName: "a.gov.vn").bytes(random: random)
            let length = hello.count - 5
            #expect(!(256...511).contains(length), "\(count) suites: \(length) bytes")
            #expect(Int(hello[3]) << 8 | Int(hello[4]) == length)
        }
        #expect(ClientHelloSpec.padding(helloLength: 255).isEmpty && ClientHelloSpec.padding(helloLength: 512).isEmpty)
        #expect(ClientHelloSpec.padding(helloLength: 300).count == 212)   // 4 header bytes + 208 zeros: 512
        var spec = ClientHelloSpec(version: .tls12, suites: [0xC02F], serverName: nil)
        spec.heartbeat = true
        spec.alpn = ["h2", "http/1.1"]
        spec.compression = [1, 0]
        let bytes = spec.bytes(random: random)
        #expect(bytes.windowed(by: [0x00, 0x0F, 0x00, 0x01, 0x01]) && bytes.windowed(by: [0x02, 0x01, 0x00]))
        #expect(bytes.windowed(by: [0x00, 0x10, 0x00, 0x0E, 0x00, 0x0C, 0x02] + Array("h2".utf8)))
        #expect(bytes.windowed(by: [0x08, 0x07, 0x08, 0x08]))   // ed25519, ed448 among the signature algorithms
    }

    @Test("a check's result reads back as written: observed, not applicable or failed")
    func checkResultCoding() throws {
        let cases: [CheckResult<Bool>] = [.observed(false), .notApplicable("no TLS 1.3"), .failed(.timeout("silent"))]
        for c in cases {
            let data = try JSONEncoder().encode(c)
            #expect(try JSONDecoder().decode(CheckResult<Bool>.self, from: data) == c)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CheckResult<Bool>.self, from: Data("{}".utf8)) }
    }

    @Test("a long list the server chokes on goes again in chunks of 128; a clean refusal or a short list does not")
    func chunks() {
        let suites = (0..<300).map { UInt16(0xC000 + $0) }
        var sent: [[UInt16]] = []
        let send = { (offered: [UInt16]) -> Result<TLSHello.Reply, TLSProber.Failure> in
            sent.append(offered)
            return offered.contains(0xC000 + 200) ? .success(.serverHello(version: .tls12, rawVersion: 0x0303, suite: 0xC000 + 200))
                : .success(.alert(level: 2, description: 40))
        }
        let choked = TLSProber.inChunks(suites, first: .failure(.closed), send: send)
        #expect(choked == .success(.serverHello(version: .tls12, rawVersion: 0x0303, suite: 0xC0C8)))
        #expect(sent.map(\.count) == [128, 128])   // the second chunk holds the suite
        sent = []
        let clean = TLSProber.inChunks(suites, first: .success(.alert(level: 2, description: 40)), send: send)
        #expect(clean == .success(.alert(level: 2, description: 40)) && sent.isEmpty)
        #expect(TLSProber.inChunks(Array(suites.prefix(100)), first: .failure(.closed), send: send) == .failure(.closed) && sent.isEmpty)
        #expect(TLSProber.inChunks(suites, first: .failure(.timeout), send: send) == .failure(.timeout) && sent.isEmpty)
    }

    @Test("the suite table is the IANA registry: CAMELLIA-GCM, ARIA, static DH, PSK, SM4 all there; signalling values never offered")
    func registry() throws {
        #expect(CipherSuite.all.count > 330)
        for code: UInt16 in [0xC07A, 0xC050, 0x0030, 0x00A8, 0xCCAB, 0x00C6, 0xC0B4, 0xD005, 0xC100] {
            #expect(CipherSuite.all.contains { $0.code == code }, "0x\(String(code, radix: 16))")
        }
        #expect(!CipherSuite.all.contains { [0x0000, 0x00FF, 0x5600].contains($0.code) })
        #expect(CipherSuite.named(0x5600)?.name == "TLS_FALLBACK_SCSV")
        let aria = try #require(CipherSuite.named(0xC051))
        #expect(aria.name == "TLS_RSA_WITH_ARIA_256_GCM_SHA384" && aria.usable(with: .tls12) && !aria.usable(with: .tls11))
        #expect(CipherSuite.named(0x00C6)?.usable(with: .tls13) == true && CipherSuite.named(0x00C6)?.usable(with: .tls12) == false)
        #expect(CipherSuite.named(0xC0B4)?.traits.properties.contains("null") == true)   // TLS_SHA256_SHA256: integrity only
        #expect(CipherSuite.named(0xC0B4)?.traits.properties.contains("aead") == false)
        #expect(CipherSuite.named(0x0030)?.keyExchange == "DH_DSS")
    }

    @Test("every prefix of a flight, and bytes of no meaning, parse without a fault")
    func robustness() {
        let flight = record(0x16, serverHello(suite: 0x009E, compression: 1, extensions: ext(0xFF01, [0]) + ext(0x0010, [0, 9, 200]))
                            + dhKeyExchange(bits: 1024, prefix: [0xC3]) + handshake(14, [])) + record(0x18, [2, 0xFF, 0xFF])
        for n in 0...flight.count {
            let parsed = ServerFlight(records: ServerFlight.records(Array(flight.prefix(n))).records)
            _ = (parsed.hello, parsed.keyExchange, parsed.alert, parsed.isComplete, TLSVulnerabilityProber.retryGroup(parsed))
            if let hello = parsed.hello { _ = TLSVulnerabilityProber.extensions(hello, version: .tls12) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let noise = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let parsed = ServerFlight(records: ServerFlight.records([0x16, 0x03, 0x03, 0x01, 0x00] + noise).records
                                      + [.init(type: 0x16, body: noise)])
            _ = (parsed.hello, parsed.keyExchange, parsed.handshakeMessages.count, TLSVulnerabilityProber.overread(parsed.records))
        }
    }
}
