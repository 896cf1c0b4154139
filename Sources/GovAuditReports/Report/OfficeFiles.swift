import Foundation
import GovAuditXLSX

/// Bytes of the formats a library or a tool writes to a file of its own choosing (libxlsxwriter has no
/// memory output in Debian's 1.1.4): it writes into a private 0700 folder beside the target,
/// the bytes are read back and the folder removed, so `ReportFiles` still writes every report
/// file atomically and 0600.
enum OfficeFiles {
    static func xlsx(_ book: XLSXWorkbook, near path: String) throws -> Data {
        try inPrivateFolder(near: path) { folder in
            let file = folder + "/report.xlsx"
            do { try book.write(to: file, temporaryFolder: folder) } catch {
                throw ReportWriteError(path: path, detail: "\(error)")
            }
            return try read(file, for: path)
        }
    }

    static func read(_ file: String, for path: String) throws -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw ReportWriteError(path: path, detail: "cannot read back \(file): \(error.localizedDescription)")
        }
    }

    /// Runs `tool` with its output and errors into `log`; its exit status. Stopped (SIGKILL: a
    /// browser may ignore SIGTERM) after `timeout` seconds, which is the run's failure.
    static func run(_ tool: String, _ arguments: [String], log: String, timeout: TimeInterval, for path: String) throws -> Int32 {
        guard FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o600]),
              let sink = FileHandle(forWritingAtPath: log) else {
            throw ReportWriteError(path: path, detail: "cannot create \(log)")
        }
        defer { try? sink.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = sink
        p.standardError = sink
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        do { try p.run() } catch {
            throw ReportWriteError(path: path, detail: "cannot run \(tool): \(error.localizedDescription)")
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            done.wait()
            throw ReportWriteError(path: path, detail: "\((tool as NSString).lastPathComponent) took more than \(Int(timeout)) s: stopped")
        }
        return p.terminationStatus
    }

    /// The last lines of a tool's log, for an error message.
    static func tail(of log: String) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").suffix(5).joined(separator: " | ")
        return lines.isEmpty ? "no message" : String(lines.suffix(800))
    }

    /// Runs `body` with a new 0700 folder in `path`'s folder, removed afterwards.
    static func inPrivateFolder<T>(near path: String, _ body: (String) throws -> T) throws -> T {
        let parent = (path as NSString).deletingLastPathComponent
        var template = Array(((parent.isEmpty ? "." : parent) + "/.govaudit-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ReportWriteError(path: path, detail: "cannot make a temporary folder: " + String(cString: strerror(errno)))
        }
        let folder = String(cString: made)
        defer { removeTree(folder) }
        return try body(folder)
    }

    /// A folder left behind (the removal failed) is hidden and private; the report stands.
    private static func removeTree(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
