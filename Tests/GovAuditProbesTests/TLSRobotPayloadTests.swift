import Foundation
import GovAuditCore
import Testing
@testable import GovAuditNet

/// The ROBOT check's bytes on their own: the five premaster-secret blocks as RFC 8017 §7.2.1
/// reads them, the client flight that carries one, what a server's answer is recorded as, and
/// the raw RSA encryption checked against OpenSSL's own decryption with a key made for the test.
@Suite("ROBOT payloads, flights and answers")
struct TLSRobotPayloadTests {
    func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [type, 0x03, 0x03, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body }
    func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [type] + TLSHello.u24(body.count) + body }
    func serverHello(suite: UInt16) -> [UInt8] { handshake(2, [0x03, 0x03] + Array(repeating: 7, count: 32) + [0] + TLSHello.u16(suite) + [0]) }
    func certificates(_ ders: [[UInt8]]) -> [UInt8] {
        let list = ders.flatMap { TLSHello.u24($0.count) + $0 }
        return handshake(11, TLSHello.u24(list.count) + list)
    }
    func flight(_ bytes: [UInt8]) -> ServerFlight { ServerFlight(records: ServerFlight.records(record(0x16, bytes)).records) }

    /// What a strict EME-PKCS1-v1_5 decoder finds: the secret after the first 00 that follows
    /// 00 02 and eight non-zero bytes, or nil.
    func strictSecret(_ b: [UInt8]) -> [UInt8]? {
        guard b.count > 11, b[0] == 0, b[1] == 2, let zero = b[2...].firstIndex(of: 0), zero >= 10 else { return nil }
        return Array(b[(zero + 1)...])
    }

    @Test("each block is as long as the modulus; only the correct one decodes to a 48-byte secret of the hello's version")
    func blocks() throws {
        for k in [64, 128, 256, 512] {
            let decoded = try TLSRobot.Variant.allCases.map { v -> [UInt8]? in
                let b = try #require(RobotPayload.block(v, modulusBytes: k, version: .tls12))
                #expect(b.count == k, "\(v) \(k)")
                return strictSecret(b)
            }
            #expect(decoded[0]?.count == 48 && decoded[0]?.prefix(2) == [0x03, 0x03])      // correct
            #expect(decoded[1] == nil)                                                      // wrong first bytes
            #expect(decoded[2]?.count == 1)                                                 // the 00 two bytes before the end
            #expect(decoded[3] == nil)                                                      // no 00 at all
            #expect(decoded[4]?.count == 48 && decoded[4]?.prefix(2) == [0x02, 0x02])     // well padded, wrong version
        }
        let wrong = try #require(RobotPayload.block(.wrongFirstBytes, modulusBytes: 256, version: .tls12))
        #expect(wrong.prefix(2) != [0x00, 0x02] && wrong[0] < 0x80)   // below any modulus, whose top bit is set
        #expect(RobotPayload.block(.correct, modulusBytes: 58, version: .tls12) == nil)   // no room for 8 bytes of padding
        #expect(RobotPayload.block(.correct, modulusBytes: 128, version: .tls10)?[128 - 48 ..< 128 - 46] == [0x03, 0x01])
    }

    @Test("the flight: ClientKeyExchange carrying the encrypted secret, ChangeCipherSpec, a 64-byte Finished, records of the version")
    func clientFlight() {
        let secret = [UInt8](repeating: 0xEE, count: 256)
        let bytes = RobotPayload.flight(encryptedSecret: secret, version: .tls11)
        let records = ServerFlight.records(bytes)
        #expect(records.rest == 0 && records.records.map(\.type) == [0x16, 0x14, 0x16])
        #expect(bytes[1] == 0x03 && bytes[2] == 0x02)
        let cke = records.records[0].body
        #expect(cke.prefix(4) == [16, 0x00, 0x01, 0x02] && cke[4..<6] == [0x01, 0x00] && Array(cke.dropFirst(6)) == secret)
        #expect(records.records[1].body == [1] && records.records[2].body.count == 64)
        // Asked for a client certificate: an empty Certificate message before the ClientKeyExchange, in the same record.
        let answered = ServerFlight.records(RobotPayload.flight(encryptedSecret: secret, version: .tls12, emptyCertificate: true))
        #expect(answered.records.map(\.type) == [0x16, 0x14, 0x16])
        #expect(Array(answered.records[0].body.prefix(8)) == [11, 0, 0, 3, 0, 0, 0, 16] && Array(answered.records[0].body.dropFirst(7)) == cke)
    }

    @Test("every block refused alike with handshake_failure, bad_certificate or certificate_required: refused without a certificate")
    func certificateRefusal() {
        func round(_ responses: [TLSRobot.Response]) -> TLSRobot.Round {
            .init(waitMilliseconds: 1, answers: zip(TLSRobot.Variant.allCases, responses).map { .init(variant: $0, response: $1) })
        }
        let refusal = TLSRobot.Response(end: .alert, alertLevel: 2, alertDescription: 40)
        #expect(TLSRobotProber.refusedWithoutCertificate(round(Array(repeating: refusal, count: 5)))?.code == "client-certificate-required")
        let required = TLSRobot.Response(end: .alert, alertLevel: 2, alertDescription: 116)
        #expect(TLSRobotProber.refusedWithoutCertificate(round(Array(repeating: required, count: 5))) != nil)
        // A sound server's answer, and answers that differ, are answers about the padding.
        let mac = TLSRobot.Response(end: .alert, alertLevel: 2, alertDescription: 20)
        #expect(TLSRobotProber.refusedWithoutCertificate(round(Array(repeating: mac, count: 5))) == nil)
        #expect(TLSRobotProber.refusedWithoutCertificate(round([refusal, mac, mac, mac, mac])) == nil)
    }

    @Test("an answer is its first alert, the records that came instead, or how the connection ended")
    func answers() {
        let alert = ServerFlight.Record(type: 0x15, body: [2, 20])
        let ccs = ServerFlight.Record(type: 0x14, body: [1])
        #expect(RobotPayload.response([alert], end: .done) == .init(end: .alert, alertLevel: 2, alertDescription: 20))
        #expect(RobotPayload.response([ccs, .init(type: 0x16, body: [0, 1])], end: .done) == .init(end: .records, recordTypes: [20, 22]))
        #expect(RobotPayload.response([], end: .closed) == .init(end: .closed))
        #expect(RobotPayload.response([], end: .reset) == .init(end: .reset))
        #expect(RobotPayload.response([], end: .quiet) == .init(end: .silent))
    }

    @Test("suites offered: the accepted ones of RSA key exchange, the AES-GCM ones alone when there are any")
    func suites() {
        // ECDHE_RSA, RSA CBC, RSA GCM, RSA_PSK, RSA_EXPORT.
        #expect(TLSRobotProber.rsaSuites([0xC02F, 0x002F, 0x009C, 0x0094, 0x0003]) == [0x009C])
        #expect(TLSRobotProber.rsaSuites([0xC02F, 0x002F, 0x000A]) == [0x002F, 0x000A])
        #expect(TLSRobotProber.rsaSuites([0xC02F, 0x1301, 0x009E]).isEmpty)
    }

    @Test("the test stops with a typed reason on a refused hello, a non-RSA suite, no ServerHelloDone, no or a bad certificate")
    func stops() {
        func code(_ f: ServerFlight) -> String? {
            if case .failure(let stop) = TLSRobotProber.prepare(.correct, flight: f, version: .tls12) { return stop.reason.code }
            return nil
        }
        #expect(code(ServerFlight(records: [.init(type: 0x15, body: [2, 40])])) == "refused-hello")
        #expect(code(flight(serverHello(suite: 0xC02F) + handshake(14, []))) == "not-rsa-suite")
        #expect(code(flight(serverHello(suite: 0x009C) + certificates([[1, 2, 3]]))) == "incomplete-flight")
        #expect(code(flight(serverHello(suite: 0x009C) + handshake(14, []))) == "no-certificate")
        #expect(code(flight(serverHello(suite: 0x009C) + certificates([[0x30, 0x03, 1, 2, 3]]) + handshake(14, []))) == "bad-certificate")
    }

    /// A certificate and its key made by the openssl command for the test, DER and PEM paths.
    func makeCertificate(_ key: [String]) throws -> (der: [UInt8], keyPath: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("robot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try openssl(["req", "-x509", "-newkey"] + key + ["-nodes", "-keyout", "\(dir)/key.pem", "-outform", "DER", "-out", "\(dir)/cert.der",
                     "-subj", "/CN=robot.lab.angiang.gov.vn", "-days", "2"])
        return (Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/cert.der"))), "\(dir)/key.pem")
    }

    @discardableResult
    func openssl(_ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
        let p = Process(), out = Pipe(), inPipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = arguments
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = inPipe
        try p.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input)) }
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "openssl \(arguments.joined(separator: " "))")
        return Array(data)
    }

    @Test("raw RSA encryption: OpenSSL's no-padding decryption gives every block back exactly; an EC certificate has no RSA key")
    func rawEncryption() throws {
        let (der, keyPath) = try makeCertificate(["rsa:2048"])
        #expect(RSARaw.modulusBits(certificate: der) == .success(2048))
        for variant in TLSRobot.Variant.allCases {
            let block = try #require(RobotPayload.block(variant, modulusBytes: 256, version: .tls12))
            guard case .success(let encrypted) = RSARaw.encrypt(block, certificate: der) else { Issue.record("\(variant)"); continue }
            #expect(encrypted.count == 256 && encrypted != block)
            let decrypted = try openssl(["pkeyutl", "-decrypt", "-inkey", keyPath, "-pkeyopt", "rsa_padding_mode:none"], input: encrypted)
            #expect(decrypted == block, "\(variant)")
        }
        #expect(RSARaw.encrypt([0, 2, 3], certificate: der) == .failure(.wrongLength))
        // Not below the modulus: OpenSSL refuses, and says why.
        guard case .failure(.failed(let why)) = RSARaw.encrypt([UInt8](repeating: 0xFF, count: 256), certificate: der) else {
            Issue.record("a block above the modulus was encrypted"); return
        }
        #expect(!why.isEmpty)
        let (ec, _) = try makeCertificate(["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        #expect(RSARaw.modulusBits(certificate: ec) == .failure(.notRSA))
        #expect(RSARaw.modulusBits(certificate: [0x30, 0x03, 1, 2, 3]) == .failure(.notCertificate))
    }

    @Test("a complete flight with an RSA certificate gives the variant's records, the suite chosen and the key size")
    func prepared() throws {
        let (der, keyPath) = try makeCertificate(["rsa:1024"])
        let f = flight(serverHello(suite: 0x009C) + certificates([der, [0x30, 0]]) + handshake(14, []))
        guard case .success(let p) = TLSRobotProber.prepare(.wrongVersion, flight: f, version: .tls12) else {
            Issue.record("not prepared"); return
        }
        #expect(p.suite == 0x009C && p.bits == 1024 && !p.certificateRequested)
        let records = ServerFlight.records(p.bytes).records
        #expect(records.map(\.type) == [0x16, 0x14, 0x16])
        let decrypted = try openssl(["pkeyutl", "-decrypt", "-inkey", keyPath, "-pkeyopt", "rsa_padding_mode:none"],
                                    input: Array(records[0].body.dropFirst(6)))
        #expect(decrypted == RobotPayload.block(.wrongVersion, modulusBytes: 128, version: .tls12))
        // A CertificateRequest in the flight: the test goes on, with an empty Certificate first.
        let asking = flight(serverHello(suite: 0x009C) + certificates([der]) + handshake(13, [1, 1, 0, 2, 4, 1, 0, 0]) + handshake(14, []))
        guard case .success(let q) = TLSRobotProber.prepare(.correct, flight: asking, version: .tls12) else {
            Issue.record("not prepared with a certificate request"); return
        }
        #expect(q.certificateRequested && Array(ServerFlight.records(q.bytes).records[0].body.prefix(7)) == RobotPayload.emptyCertificate)
    }
}
