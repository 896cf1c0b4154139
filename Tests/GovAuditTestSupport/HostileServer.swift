import Foundation

/// `Tests/Hostile/hostile.py` running for this test process: a hostile site and its DNS on
/// 127.0.0.1, and canary listeners on the addresses a scan must never reach. Started once per
/// process; it ends by itself when the process ends (its standard input closes).
public final class HostileServer: @unchecked Sendable {
    public let dnsPort: Int
    public let webPort: Int
    public let web6Port: Int
    public let canaryPort: Int
    /// 127.0.0.3's ports (80, 443) that have a canary; empty when something else holds them.
    public let targetCanaryPorts: [Int]
    private let hitsFile: URL
    private let process: Process
    private let input: Pipe

    public static let shared: Result<HostileServer, StartFailure> = Result { try HostileServer() }.mapError { $0 as? StartFailure ?? StartFailure(message: "\($0)") }

    public struct StartFailure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        hitsFile = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-canary-\(getpid()).log")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [root.appendingPathComponent("Hostile/hostile.py").path, hitsFile.path]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line says where everything listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let ports = try JSONSerialization.jsonObject(with: line) as? [String: Any],
              let dns = ports["dns"] as? Int, let web = ports["web"] as? Int, let web6 = ports["web6"] as? Int,
              let canary = ports["canary"] as? Int else {
            throw StartFailure(message: "hostile.py did not start: \(String(decoding: line, as: UTF8.self))")
        }
        dnsPort = dns
        webPort = web
        web6Port = web6
        canaryPort = canary
        targetCanaryPorts = ports["targetCanaryPorts"] as? [Int] ?? []
    }

    /// `--resolver` for the hostile DNS.
    public var resolver: String { "127.0.0.1:\(dnsPort)" }

    /// Every connection a canary accepted so far: "address port" lines. The file exists from
    /// the start, so failing to read it is an error, never "no hits".
    public func hits() throws -> [String] {
        try String(contentsOf: hitsFile, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
