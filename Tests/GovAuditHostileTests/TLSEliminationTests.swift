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
        let server = try SServer()
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
    }
}

/// `openssl s_server` with a fresh P-256 certificate on a port of its own, until `stop()`.
private struct SServer {
    let port = Int.random(in: 20_000...40_000)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-elim-\(UUID().uuidString)").path
    let process = Process()
    let input = Pipe()

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        make.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                          "-subj", "/CN=elimination.example", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem"]
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        try #require(make.terminationStatus == 0, "openssl req failed")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", folder + "/cert.pem", "-key", folder + "/key.pem", "-www"]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let filter = AddressFilter(allowing: [CIDR("127.0.0.1/32")!])
        for _ in 0..<50 {
            if case .success(let s) = TCP.open(address: "127.0.0.1", port: port, timeoutMilliseconds: 200, filter: filter, gate: nil) {
                s.close()
                return
            }
            usleep(100_000)
        }
        stop()
        throw SServerFailure(port: port)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }   // SIGTERM may be ignored (inherited)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

private struct SServerFailure: Error, CustomStringConvertible {
    var port: Int
    var description: String { "s_server did not listen on \(port)" }
}
