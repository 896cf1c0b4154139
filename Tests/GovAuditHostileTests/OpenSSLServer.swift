import Foundation
import GovAuditCore
@testable import GovAuditNet
import Testing

/// `openssl s_server -www` with a fresh P-256 certificate, on `address` and a port of its own,
/// until `stop()`: the real TLS server the probe tests without the lab talk to. The process's
/// output is not read (nothing waits on a pipe); it is up once a TCP connect succeeds.
struct OpenSSLServer {
    let address: String
    let port = Int.random(in: 20_000...40_000)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-s-server-\(UUID().uuidString)").path
    private let process = Process()
    private let input = Pipe()

    /// `certificate`: the `openssl req` arguments that name the certificate (`-subj`, `-addext`...).
    init(address: String = "127.0.0.1", certificate: [String]) throws {
        self.address = address
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        make.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30"]
            + certificate + ["-keyout", folder + "/key.pem", "-out", folder + "/cert.pem"]
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        guard make.terminationStatus == 0 else { throw Failure(detail: "openssl req \(certificate) failed") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "\(address):\(port)", "-cert", folder + "/cert.pem", "-key", folder + "/key.pem", "-www"]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let filter = AddressFilter(allowing: [CIDR("\(address)/32")!])
        for _ in 0..<50 {
            if case .success(let s) = TCP.open(address: address, port: port, timeoutMilliseconds: 200, filter: filter, gate: nil) {
                s.close()
                return
            }
            usleep(100_000)
        }
        stop()
        throw Failure(detail: "s_server did not listen on \(address):\(port)")
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }   // SIGTERM may be ignored (inherited)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }

    struct Failure: Error, CustomStringConvertible {
        var detail: String
        var description: String { detail }
    }
}
