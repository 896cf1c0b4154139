import Foundation
import GovAuditCore

/// The formats `govaudit report` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, xlsx, csv, md, json, docx, pdf
}

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
