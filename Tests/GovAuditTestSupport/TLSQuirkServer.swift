import Foundation

/// `Tests/Hostile/tlsquirks.py` running for this test process: TLS ports on 127.0.0.1 that answer
/// hand-built hellos with real ServerHello records but misbehave on some, as middleboxes do
/// (drop SSLv2 hellos, go silent in the middle of a suite enumeration). Started once per process.
public final class TLSQuirkServer: @unchecked Sendable {
    /// Ports by quirk: drops-sslv2, stalls-midway, silent, tls13-no-hrr.
    public let ports: [String: Int]
    private let process: Process
    private let input: Pipe
    private let output: Pipe
    private let lock = NSLock()

    public static let shared: Result<TLSQuirkServer, HostileServer.StartFailure> = Result { try TLSQuirkServer() }
        .mapError { $0 as? HostileServer.StartFailure ?? HostileServer.StartFailure(message: "\($0)") }

    private init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [root.appendingPathComponent("Hostile/tlsquirks.py").path]
        input = Pipe()
        output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let ports = try JSONSerialization.jsonObject(with: line) as? [String: Int],
              ports["drops-sslv2"] != nil, ports["stalls-midway"] != nil else {
            throw HostileServer.StartFailure(message: "tlsquirks.py did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.ports = ports
    }

    /// Hellos the silent port has received so far.
    public func silentConnections() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        try input.fileHandleForWriting.write(contentsOf: Data("count\n".utf8))
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("connections "), let n = Int(text.dropFirst(12)) else {
            throw HostileServer.StartFailure(message: "tlsquirks.py answered: \(text)")
        }
        return n
    }
}
