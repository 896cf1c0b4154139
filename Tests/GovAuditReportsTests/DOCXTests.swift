import Foundation
import GovAuditCore
import Testing
@testable import GovAuditReports

/// The official report (DOCX) read back with Python's zipfile and XML parser
/// (Scripts/read-docx.py): a valid package, A4 with NĐ 30/2020's margins, Times New Roman,
/// the form's blocks in order, the figures of the model, hostile names as text.
@Suite("DOCX official report")
struct DOCXTests {
    struct Package: Decodable {
        struct Table: Decodable { var border: String; var rows: [[String]] }
        var entries: [String]
        var badCRC: String?
        var parseErrors: [String]
        var page: [String: Int]
        var margins: [String: Int]
        var font: String
        var sizes: [Int]
        var paragraphs: [String]
        var tables: [Table]
    }

    static let issuer = ReportIssuer(parentBody: "UBND tỉnh An Giang", body: "Sở Khoa học và Công nghệ", place: "An Giang",
                                     signer: .init(onBehalf: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Trần Văn Minh"),
                                     recipients: ["UBND tỉnh (để báo cáo)", "Công an tỉnh"], archive: "Lưu: VT, CNTT.")
    static let letter = OfficialLetter(issuer: issuer, number: "12/BC-SKHCN", date: CalendarDate(year: 2026, month: 12, day: 1)!)

    static func read(_ file: String) throws -> Package {
        let script = ReportFixture.root.appendingPathComponent("Tests/GovAuditReportsTests/Scripts/read-docx.py")
        let r = try Binary.run(URL(fileURLWithPath: "/usr/bin/python3"), [script.path, file])
        try #require(r.status == 0, "python could not read the package: \(r.err)")
        return try JSONDecoder().decode(Package.self, from: Data(r.out.utf8))
    }

    /// Twentieths of a point in whole millimetres.
    func mm(_ twips: Int?) -> Double { Double(twips ?? 0) / 1440 * 25.4 }

    @Test("a valid package: A4 portrait, margins of NĐ 30/2020, Times New Roman 13–14")
    func page() async throws {
        let folder = try TempFolder()
        let (model, _) = try await ReportFixture.model(folder: folder.url)
        let paths = try ReportFiles.write(model, formats: [.docx], language: .vi, to: folder.url.path + "/out", letter: Self.letter)
        #expect(mode(paths[0]) == 0o600)
        let p = try Self.read(paths[0])
        #expect(p.badCRC == nil && p.parseErrors.isEmpty, "\(p.badCRC ?? "") \(p.parseErrors)")
        #expect(Set(p.entries).isSuperset(of: ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"]))
        #expect(p.page == ["w": 11906, "h": 16838], "A4 is 210 × 297 mm")
        #expect((20...25).contains(mm(p.margins["top"]).rounded()) && (20...25).contains(mm(p.margins["bottom"]).rounded()))
        #expect((30...35).contains(mm(p.margins["left"]).rounded()) && (15...20).contains(mm(p.margins["right"]).rounded()))
        #expect(p.font == "Times New Roman")
        #expect(p.sizes.contains(28) && p.sizes.contains(26), "body 14 pt, header 13 pt: \(p.sizes)")
    }

    @Test("the form's blocks: issuer beside the Quốc hiệu, number and place–date, title, figures, Nơi nhận beside the signer, the attached list")
    func form() async throws {
        let folder = try TempFolder()
        let (model, _) = try await ReportFixture.model(folder: folder.url)
        let file = folder.url.appendingPathComponent("r.docx")
        try DOCXReport(language: .vi).render(model, letter: Self.letter).write(to: file)
        let p = try Self.read(file.path)
        #expect(p.tables.map(\.border) == ["nil", "nil", "single"], "header and signature borderless, the list bordered")
        let head = p.tables[0].rows
        #expect(head[0][0] == "UBND TỈNH AN GIANGSỞ KHOA HỌC VÀ CÔNG NGHỆ")
        #expect(head[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc")
        #expect(head[1] == ["Số: 12/BC-SKHCN", "An Giang, ngày 01 tháng 12 năm 2026"])
        let body = p.paragraphs
        #expect(body.contains("BÁO CÁO"))
        let dossier = try #require(model.figures.first { $0.id == "dossier-approved" })
        #expect(body.contains("- \(dossier.label.vi): 2/3, đạt 66,7% (tăng so với lần trước (1/3));"), "\(body)")
        for f in model.figures where f.applicable > 0 {
            #expect(body.contains { $0.hasPrefix("- \(f.label.vi): \(f.passed)/\(f.applicable), đạt \(ReportText(.vi).percent(f.percent))") }, "\(f.id)")
        }
        #expect(body.contains("Tình trạng IPv6 của từng hệ thống: theo danh sách kèm theo."))
        let sign = p.tables[1].rows[0]
        #expect(sign[0] == "Nơi nhận:- UBND tỉnh (để báo cáo);- Công an tỉnh;- Lưu: VT, CNTT.")
        #expect(sign[1] == "KT. GIÁM ĐỐCPHÓ GIÁM ĐỐCTrần Văn Minh")
        #expect(body.contains("(Kèm theo Báo cáo số 12/BC-SKHCN ngày 01/12/2026 của Sở Khoa học và Công nghệ)"))
        let list = p.tables[2].rows
        #expect(list.count == model.ipv6.count + 1 && list[0][0] == "STT")
        #expect(list[2][1] == ReportEscape.inert(ReportFixture.hostileName), "a hostile name is text in the list")
        #expect(list.dropFirst().map { $0[2] } == model.ipv6.map(\.endpoint))
    }

    @Test("dates of the form: days below 10 and months 1–2 with a leading zero; English reads as English")
    func dates() {
        let vi = DOCXReport(language: .vi)
        func on(_ y: Int, _ m: Int, _ d: Int) -> OfficialLetter {
            OfficialLetter(issuer: Self.issuer, number: "1/BC", date: CalendarDate(year: y, month: m, day: d)!)
        }
        #expect(vi.placeAndDate(on(2027, 2, 5)) == "An Giang, ngày 05 tháng 02 năm 2027")
        #expect(vi.placeAndDate(on(2027, 3, 15)) == "An Giang, ngày 15 tháng 3 năm 2027")
        #expect(DOCXReport(language: .en).placeAndDate(on(2027, 3, 15)) == "An Giang, 15 March 2027")
    }

    @Test("the stored ZIP's CRC-32 is the standard one")
    func crc() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
    }
}
