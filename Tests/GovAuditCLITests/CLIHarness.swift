import Foundation
import Testing

/// Runs the built `govaudit` binary as a user would, from the repository root, without colour.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        // The test bundle sits next to the executables in the build folder.
        let besideTests = Bundle.main.bundleURL.appendingPathComponent("govaudit")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return root.appendingPathComponent(".build/debug/govaudit")
    }

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["GOVAUDIT_POLICY"] = nil
        // Scans the tests run are stored in a history of their own, never the user's.
        env["GOVAUDIT_DB"] = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-cli-tests-\(getpid()).sqlite").path
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a large report cannot fill a pipe and block.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
    }

    /// Compares `text` with `Golden/<name>`; with GOVAUDIT_UPDATE_GOLDEN=1 rewrites the file instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = root.appendingPathComponent("Tests/GovAuditCLITests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["GOVAUDIT_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if golden != text {
            let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("""
                output differs from Golden/\(name) at line \(first + 1) \
                (rerun with GOVAUDIT_UPDATE_GOLDEN=1 to accept):
                golden: \(first < a.count ? String(a[first]) : "<end>")
                actual: \(first < b.count ? String(b[first]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }
}
