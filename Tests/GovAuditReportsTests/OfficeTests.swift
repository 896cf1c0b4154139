import Foundation
import GovAuditCore
import Testing
@testable import GovAuditReports

/// The official report as its users open it: LibreOffice (headless; Debian
/// libreoffice-writer-nogui, installed by `make office-test`, not by `make test`) converts the
/// DOCX to PDF without error, and the PDF's text (pdftotext, poppler-utils) holds the Quốc hiệu
/// and the figures. The PDF is kept as .build/report-docx.pdf for a look. Skipped, with the reason
/// printed, when soffice or pdftotext is missing.
@Suite("DOCX in LibreOffice")
struct OfficeTests {
    static let soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let pdftotext = "/usr/bin/pdftotext"

    /// `pdftotext` of `pdf`, without layout: words in reading order.
    static func text(of pdf: URL) throws -> String {
        let r = try Binary.run(URL(fileURLWithPath: pdftotext), [pdf.path, "-"])
        #expect(r.status == 0, "pdftotext: \(r.err)")
        return r.out.precomposedStringWithCanonicalMapping
    }

    @Test("LibreOffice converts the DOCX to PDF; its text holds the Quốc hiệu, the number, the date and the figures")
    func convert() async throws {
        guard let soffice = Self.soffice, FileManager.default.isExecutableFile(atPath: Self.pdftotext) else {
            print("OfficeTests skipped: LibreOffice (soffice) or pdftotext is not installed (make office-test installs libreoffice-writer-nogui, poppler-utils and fonts-liberation2)")
            return
        }
        let folder = try TempFolder()
        let (model, _) = try await ReportFixture.model(folder: folder.url)
        let docx = folder.url.appendingPathComponent("report.docx")
        try DOCXReport(language: .vi).render(model, letter: DOCXTests.letter).write(to: docx)
        let r = try Binary.run(URL(fileURLWithPath: "/usr/bin/timeout"), [
            "180", soffice, "-env:UserInstallation=\(folder.url.appendingPathComponent("profile").absoluteString)",
            "--headless", "--norestore", "--convert-to", "pdf", "--outdir", folder.url.path, docx.path,
        ])
        #expect(r.status == 0 && !r.err.lowercased().contains("error"), "soffice: \(r.out) \(r.err)")
        let pdf = folder.url.appendingPathComponent("report.pdf")
        try #require(FileManager.default.fileExists(atPath: pdf.path), "no PDF: \(r.out) \(r.err)")
        let kept = ReportFixture.root.appendingPathComponent(".build/report-docx.pdf")
        try? FileManager.default.removeItem(at: kept)
        try FileManager.default.copyItem(at: pdf, to: kept)

        let text = try Self.text(of: pdf)
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "\(flat.prefix(600))")
        #expect(flat.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(flat.contains("Số: 12/BC-SKHCN") && flat.contains("An Giang, ngày 01 tháng 12 năm 2026"))
        for f in model.figures where f.applicable > 0 {
            #expect(flat.contains("\(f.passed)/\(f.applicable), đạt \(ReportText(.vi).percent(f.percent))"), "\(f.id)")
        }
        #expect(flat.contains("DANH SÁCH KÈM THEO") && flat.contains("Trần Văn Minh"))
    }
}
