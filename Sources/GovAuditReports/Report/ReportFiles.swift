import Foundation
import GovAuditCore

/// A report file that could not be written: the run's failure, with the path.
public struct ReportWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "cannot write \(path): \(detail)" }
}

/// Writes a report's files. The inventory holds contacts' personal data, so files are 0600 and
/// folders created here 0700; each file is written to a temporary file in its own folder and
/// renamed over the old one, so a reader never sees half a report.
public enum ReportFiles {
    /// Renders each format once from `model` and writes it into `directory`; returns the paths
    /// written, in the order of `formats` (CSV: summary, systems, findings, ipv6). `docx` needs
    /// `letter` (issuer, number, date), `pdf` the path of `chromium`.
    public static func write(_ model: ReportModel, formats: [ReportFormat], language: Language,
                             to directory: String, letter: OfficialLetter? = nil, chromium: String? = nil) throws -> [String] {
        try makeDirectory(directory)
        var written: [String] = []
        for format in formats {
            let files: [(name: String, content: Data)]
            switch format {
            case .html: files = [("report.html", Data(HTMLReport(language: language).render(model).utf8))]
            case .md: files = [("report.md", Data(MarkdownReport(language: language).render(model).utf8))]
            case .json:
                do { files = [("report.json", Data(try ReportJSON.render(model).utf8))] } catch {
                    throw ReportWriteError(path: directory + "/report.json", detail: "\(error)")
                }
            case .csv: files = CSVReport(language: language).render(model).map { ($0.name, Data($0.content.utf8)) }
            case .xlsx:
                let path = (directory as NSString).appendingPathComponent("report.xlsx")
                files = [("report.xlsx", try OfficeFiles.xlsx(XLSXReport(language: language).workbook(model), near: path))]
            case .docx:
                guard let letter else { throw ReportWriteError(path: directory + "/report.docx", detail: "no issuer and number given") }
                files = [("report.docx", DOCXReport(language: language).render(model, letter: letter))]
            case .pdf:
                let path = (directory as NSString).appendingPathComponent("report.pdf")
                guard let chromium else { throw ReportWriteError(path: path, detail: "no chromium to print with") }
                files = [("report.pdf", try PDFPrint.pdf(html: HTMLReport(language: language).render(model), chromium: chromium, for: path))]
            }
            for file in files {
                let path = (directory as NSString).appendingPathComponent(file.name)
                try writeAtomically(file.content, to: path)
                written.append(path)
            }
        }
        return written
    }

    /// Writes the report as one folder, `parent/name`, that appears whole or not at all: the
    /// files go into a fresh hidden folder beside it (`.name.partial-XXXXXX`, 0700), which is
    /// renamed to `name` once every file is on disk. A crash or a failed format leaves at most
    /// that hidden folder, never a `name` with some formats missing. Returns the folder and the
    /// files' final paths. An existing `parent/name` is refused, never merged into.
    public static func publish(_ model: ReportModel, formats: [ReportFormat], language: Language, in parent: String,
                               as name: String, chromium: String? = nil) throws -> (folder: String, files: [String]) {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else {
            throw ReportWriteError(path: parent, detail: "'\(name)' is not a folder name")
        }
        try makeDirectory(parent)
        let folder = (parent as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: folder) { throw ReportWriteError(path: folder, detail: "already exists") }
        var template = Array((parent as NSString).appendingPathComponent(".\(name).partial-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw ReportWriteError(path: folder, detail: String(cString: strerror(errno))) }
        let partial = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            let written = try write(model, formats: formats, language: language, to: partial, chromium: chromium)
            guard rename(partial, folder) == 0 else { throw ReportWriteError(path: folder, detail: String(cString: strerror(errno))) }
            syncFolder(parent)
            return (folder, written.map { folder + "/" + ($0 as NSString).lastPathComponent })
        } catch {
            try? FileManager.default.removeItem(atPath: partial)  // the failure to report is `error`, not this clean-up
            throw error
        }
    }

    /// Flushes a folder's entries (a rename is durable only once its folder is); best effort,
    /// as the files themselves are already synced.
    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Creates `path` and any missing parent, each 0700; an existing folder is left as it is.
    public static func makeDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw ReportWriteError(path: path, detail: "exists and is not a folder") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw ReportWriteError(path: path, detail: String(cString: strerror(errno)))
        }
        // mkdir's mode passes through the umask; the folder must be 0700 whatever it is.
        if chmod(path, 0o700) != 0 { throw ReportWriteError(path: path, detail: String(cString: strerror(errno))) }
    }

    /// Temporary file (0600, created exclusively) in the same folder, flushed, then renamed.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temp = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ReportWriteError(path: path, detail: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = String(cString: strerror(errno)); return }
                offset += n
            }
        }
        if failure == nil, fchmod(fd, 0o600) != 0 || fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temp, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temp)
            throw ReportWriteError(path: path, detail: failure)
        }
    }
}
