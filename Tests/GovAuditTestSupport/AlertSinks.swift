import Foundation

/// The alert tests' real sinks on loopback (Tests/Alerts/sinks.py): a webhook receiver
/// (Python's http.server) and an SMTP sink (Debian's aiosmtpd), each on a port the kernel
/// picks. What they received is read back from the files they write.
public final class AlertSinks: @unchecked Sendable {
    public struct Request: Sendable {
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]
        /// What the sink answered (503 while `failFirst` lasts).
        public var answered: Int
    }

    public let folder: URL
    public private(set) var webhookPort: Int?
    public private(set) var smtpPort: Int?
    private let process = Process()
    private let input = Pipe()

    /// Starts the sinks asked for. `failFirst`: the webhook answers 503 to that many POSTs first,
    /// then `status`. `starttls`: certificate and key files the SMTP sink offers and requires
    /// STARTTLS with; `auth`: the login it requires (after STARTTLS); `reject`: the reply code it
    /// gives every message's DATA instead of 250 (e.g. 550).
    public init(webhook: Bool, smtp: Bool, failFirst: Int = 0, status: Int = 200, starttls: (cert: String, key: String)? = nil,
                auth: (user: String, password: String)? = nil, reject: Int? = nil, root: URL) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-sinks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("webhook"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("smtp"), withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        var arguments = [root.appendingPathComponent("Tests/Alerts/sinks.py").path]
        if webhook {
            arguments += ["--webhook", folder.appendingPathComponent("webhook").path, "--fail-first", String(failFirst), "--status", String(status)]
        }
        if smtp { arguments += ["--smtp", folder.appendingPathComponent("smtp").path] }
        if let starttls { arguments += ["--starttls", starttls.cert, starttls.key] }
        if let auth { arguments += ["--auth", auth.user, auth.password] }
        if let reject { arguments += ["--reject", String(reject)] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        // One whole line per sink, once it listens (a line may come in pieces).
        var text = ""
        let expected = (webhook ? 1 : 0) + (smtp ? 1 : 0)
        while text.filter({ $0 == "\n" }).count < expected {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw SinkError("the sinks exited before listening (is python3-aiosmtpd installed? make setup)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let port = Int(parts[1]) else { continue }
            if parts[0] == "webhook" { webhookPort = port } else if parts[0] == "smtp" { smtpPort = port }
        }
    }

    public var webhookURL: String { "http://127.0.0.1:\(webhookPort ?? 0)/hooks/govaudit" }
    public var smtpURL: String { "smtp://127.0.0.1:\(smtpPort ?? 0)" }

    /// The POSTs received, in arrival order.
    public func requests() throws -> [Request] {
        try files("webhook", "json").map { data in
            guard let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let headers = doc["headers"] as? [String: String], let body = doc["body"] as? String,
                  let bytes = Data(base64Encoded: body) else { throw SinkError("a request record the test cannot read") }
            return Request(path: doc["path"] as? String ?? "", headers: Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { a, _ in a },
                           body: Array(bytes), answered: doc["answered"] as? Int ?? 0)
        }
    }

    /// The messages received (X-Sink-From, X-Sink-To, X-Sink-TLS, X-Sink-Auth (the login, or -)
    /// and X-Sink-Answer lines first), in arrival order; a rejected one is recorded too.
    public func mails() throws -> [String] {
        try files("smtp", "eml").map { String(decoding: $0, as: UTF8.self) }
    }

    private func files(_ sub: String, _ suffix: String) throws -> [Data] {
        let dir = folder.appendingPathComponent(sub)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix("." + suffix) }.sorted()
            .map { try Data(contentsOf: dir.appendingPathComponent($0)) }
    }

    /// Stops the sinks (closing their standard input ends them).
    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: folder)
    }

    public struct SinkError: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }
}
