import Foundation

/// The PDF report: headless Chromium prints the HTML report (its A4 print stylesheet) to PDF.
/// Chromium loads the page from a private folder with a profile of its own there, so nothing of
/// the user's browser is read or written; the page's CSP forbids script as in any browser.
public enum PDFPrint {
    /// The Debian package that provides the printer, for messages.
    public static let package = "chromium"

    /// Chromium's path: chromium (Debian's name) or chromium-browser on PATH (/usr/bin:/bin when unset).
    public static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        return path.flatMap { ["\($0)/chromium", "\($0)/chromium-browser"] }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// How long a print may take before it is stopped (a page of 64 systems prints in seconds).
    static let timeout: TimeInterval = 120

    /// The PDF of `html`; `path` is the file it is for (named in errors).
    static func pdf(html: String, chromium: String, for path: String) throws -> Data {
        try OfficeFiles.inPrivateFolder(near: path) { folder in
            let page = folder + "/report.html", output = folder + "/report.pdf", log = folder + "/chromium.log"
            try ReportFiles.writeAtomically(Data(html.utf8), to: page)
            let status = try OfficeFiles.run(chromium, [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(folder)/profile", "--no-pdf-header-footer", "--print-to-pdf=\(output)",
                URL(fileURLWithPath: page).absoluteString,
            ], log: log, timeout: timeout, for: path)
            guard status == 0, FileManager.default.fileExists(atPath: output) else {
                throw ReportWriteError(path: path, detail: "chromium did not print the report (exit \(status)): "
                                       + OfficeFiles.tail(of: log))
            }
            return try OfficeFiles.read(output, for: path)
        }
    }
}
