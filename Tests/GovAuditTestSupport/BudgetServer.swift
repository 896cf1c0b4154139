import Foundation

/// `Tests/Hostile/budgets.py` running for this test process: targets that would keep a scan
/// running for hours (a TLS port trickling one byte a second, hundreds of A records on silent
/// addresses) or make its report huge (a page of 100,000 links), and ports that answer TLS
/// hellos with garbage. Started once per process; it ends when the process ends.
public final class BudgetServer: @unchecked Sendable {
    public let dnsPort: Int
    public let webPort: Int
    /// TLS ports on 127.0.0.1, by behaviour: trickle, slowHandshake, garbage, truncated, oversized.
    public let tlsPorts: [String: Int]
    /// Addresses whose ports 80 and 443 swallow every connection attempt (empty without root).
    public let silent: [String]
    /// Links on the page at `/`.
    public let links: Int
    private let process: Process
    private let input: Pipe

    public static let shared: Result<BudgetServer, HostileServer.StartFailure> = Result { try BudgetServer() }
        .mapError { $0 as? HostileServer.StartFailure ?? HostileServer.StartFailure(message: "\($0)") }

    /// Whether the tests of silent addresses can run: false only when the server started but
    /// could not set them up (ports below 1024 need root). A server that did not start leaves
    /// them enabled, so they fail and say why.
    public static var hasSilentAddresses: Bool {
        switch shared {
        case .success(let s): !s.silent.isEmpty
        case .failure: true
        }
    }

    private init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [root.appendingPathComponent("Hostile/budgets.py").path]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let ports = try JSONSerialization.jsonObject(with: line) as? [String: Any],
              let dns = ports["dns"] as? Int, let web = ports["web"] as? Int, let links = ports["links"] as? Int,
              let silent = ports["silent"] as? [String] else {
            throw HostileServer.StartFailure(message: "budgets.py did not start: \(String(decoding: line, as: UTF8.self))")
        }
        dnsPort = dns
        webPort = web
        self.links = links
        self.silent = silent
        var tls: [String: Int] = [:]
        for name in ["trickle", "slowHandshake", "garbage", "truncated", "oversized"] {
            guard let port = ports[name] as? Int else { throw HostileServer.StartFailure(message: "budgets.py gave no \(name) port") }
            tls[name] = port
        }
        tlsPorts = tls
    }

    /// `--resolver` for the budget DNS.
    public var resolver: String { "127.0.0.1:\(dnsPort)" }

    /// `https://tls.budget.example:PORT/` for one of the TLS behaviours.
    public func tls(_ behaviour: String) -> String { "https://tls.budget.example:\(tlsPorts[behaviour]!)/" }

    public var site: String { "http://site.budget.example:\(webPort)/" }
}
