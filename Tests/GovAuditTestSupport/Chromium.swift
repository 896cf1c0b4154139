import Foundation

/// Headless Chromium (Debian `chromium`) for the report checks: it loads a file and dumps the
/// DOM it ended with, or saves a screenshot. Runs as root here, hence `--no-sandbox`; a fresh
/// profile per test; bounded by `timeout` so a stuck browser fails the test instead of hanging it.
public enum Chromium {
    public static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    public struct Run: Sendable {
        public var status: Int32
        public var out: String
        public var err: String
    }

    public static func run(_ arguments: [String], file: URL, profile: URL) throws -> Run {
        guard let path else { throw Missing() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["90", path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                       "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + arguments + [file.absoluteString]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Both pipes read while it runs: a full stderr pipe would block the browser.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box(), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errBox.data, as: UTF8.self))
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "chromium is not installed (make test installs chromium and fonts-liberation2)" }
    }
}
