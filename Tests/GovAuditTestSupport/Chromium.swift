import Foundation

/// Headless Chromium (Debian `chromium`) for the report checks: it loads a file and dumps the
/// DOM it ended with, or saves a screenshot. Runs as root here, hence `--no-sandbox`; a fresh
/// profile per test; bounded by `timeout` so a stuck browser fails the test instead of hanging it.
public enum Chromium {
    public static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    public static func run(_ arguments: [String], file: URL, profile: URL) throws -> Subprocess.Result {
        guard let path else { throw Missing() }
        return try Subprocess.run(URL(fileURLWithPath: "/usr/bin/timeout"), ["90", path, "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + arguments + [file.absoluteString])
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "chromium is not installed (make test installs chromium and fonts-liberation2)" }
    }
}
