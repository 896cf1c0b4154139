import Foundation
import GovAuditXLSX

/// Bytes of the formats a library writes to a file of its own choosing (libxlsxwriter has no
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
