import Foundation
import GovAuditCore
import Testing
@testable import GovAuditReports

/// The workbook read back by an independent reader, openpyxl (Debian `python3-openpyxl`, in
/// `make setup`), through Scripts/read-xlsx.py: the figures are the model's, cell by cell.
@Suite("XLSX report read back with openpyxl")
struct XLSXTests {
    struct Book: Decodable {
        var sheets: [Sheet]
    }

    struct Sheet: Decodable {
        var name: String
        var freeze: String?
        var filter: String?
        var widths: [String: Double]
        var rows: [[Cell]]
    }

    struct Cell: Decodable {
        var type: String
        var value: Value?
        var format: String
        var isDate: Bool

        var text: String? { if case .text(let s) = value { s } else { nil } }
        var number: Double? { if case .number(let d) = value { d } else { nil } }
    }

    enum Value: Decodable, Equatable {
        case text(String), number(Double)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .text(try c.decode(String.self)) }
        }
    }

    static let script = ReportFixture.root.appendingPathComponent("Tests/GovAuditReportsTests/Scripts/read-xlsx.py")

    /// Writes `model` as report.xlsx and reads it back.
    func readBack(_ model: ReportModel, language: Language, folder: TempFolder) throws -> Book {
        let paths = try ReportFiles.write(model, formats: [.xlsx], language: language, to: folder.url.path)
        #expect(paths == [folder.url.path + "/report.xlsx"])
        #expect(mode(paths[0]) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix(".") }.isEmpty,
                "the temporary folder is removed")
        let r = try Binary.run(URL(fileURLWithPath: "/usr/bin/python3"), [Self.script.path, paths[0]])
        try #require(r.status == 0, "openpyxl could not read the workbook (install python3-openpyxl: make setup): \(r.err)")
        return try JSONDecoder().decode(Book.self, from: Data(r.out.utf8))
    }

    @Test("four sheets with frozen, filtered headers and widths; counts, shares and dates typed; Vietnamese intact")
    func figures() async throws {
        let folder = try TempFolder()
        let (model, _) = try await ReportFixture.model(folder: folder.url)
        let out = try TempFolder()
        let book = try readBack(model, language: .vi, folder: out)
        #expect(book.sheets.map(\.name) == ["Tổng hợp", "Hệ thống", "Phát hiện", "IPv6"])
        for sheet in book.sheets {
            #expect(sheet.freeze == "A2", "\(sheet.name): header row frozen")
            let width = sheet.rows.first?.count ?? 0
            let lastColumn = String(UnicodeScalar(UInt8(64 + width)))
            #expect(sheet.filter == "A1:\(lastColumn)\(sheet.rows.count)", "\(sheet.name): autofilter over the table")
            #expect(sheet.widths["A"] != nil && sheet.widths["B"] != nil, "\(sheet.name): column widths set")
        }

        let summary = book.sheets[0]
        #expect(summary.rows[0].prefix(5).compactMap(\.text) == ["Mã", "Chỉ tiêu", "Đạt", "Áp dụng", "Tỷ lệ"])
        #expect(summary.rows.count == model.figures.count + 1)
        for (f, row) in zip(model.figures, summary.rows.dropFirst()) {
            #expect(row[0].text == f.id && row[1].text == f.label.vi)
            #expect(row[2].number == Double(f.passed) && row[3].number == Double(f.applicable), "\(f.id)")
            #expect(row[5].number == Double(f.unknown) && row[6].number == Double(f.notApplicable), "\(f.id)")
            if let p = f.percent {
                #expect(row[4].type == "n" && abs(row[4].number! - p / 100) < 1e-9 && row[4].format == "0.0%", "\(f.id)")
            } else {
                #expect(row[4].value == nil, "\(f.id): no share when nothing applies")
            }
            #expect(row[11].isDate && row[11].format == "dd/mm/yyyy" && row[11].text == "2026-12-01T00:00:00")
        }
        let dossier = try #require(summary.rows.first { $0[0].text == "dossier-approved" })
        #expect(dossier[2].number == 2 && dossier[3].number == 3 && dossier[7].text == "tăng" && dossier[8].number == 1)

        let systems = book.sheets[1]
        #expect(systems.rows.dropFirst().compactMap { $0[0].text } == model.systems.map(\.id))
        let justice = try #require(systems.rows.first { $0[0].text == "so-tu-phap" })
        #expect(justice[1].text == ReportFixture.hostileName, "the name, markup and all, is plain text")
        #expect(justice[2].text?.hasPrefix("Sở Tư pháp \\u{202E}<b onmouseover") == true, "the bidi override is shown, not applied")
        #expect(justice[3].number == 3)

        let findings = book.sheets[2]
        #expect(findings.rows.count == model.systems.flatMap(\.findings).count + 1)
        #expect(findings.rows.joined().allSatisfy { $0.type != "f" }, "no formula anywhere")
        let formula = try #require(findings.rows.joined().compactMap(\.text).first { $0.contains("=HYPERLINK(") })
        #expect(formula.contains("nhà cái uy tín =HYPERLINK(\"https://kuwin.example\""))
        #expect(findings.rows[0][11].text == "Đánh giá" && findings.rows[0][12].text == "Lý do đánh giá")
        let triaged = findings.rows.dropFirst().filter { $0[11].text != nil }
        #expect(triaged.count == 1 && triaged.first?[12].text == "Liên kết của đối tác " + ReportFixture.script, "the triage beside its finding")

        let ipv6 = book.sheets[3]
        #expect(ipv6.rows.dropFirst().map { [$0[0].text, $0[2].text, $0[5].text, $0[6].text] }
                == model.ipv6.map { [$0.system, $0.endpoint, ReportText(.vi).observed($0.aaaa), ReportText(.vi).observed($0.reachable)] })
    }

    @Test("a value that starts like a formula stays a string cell; a value over 32,767 characters is cut with a note")
    func hostileCells() async throws {
        let folder = try TempFolder()
        var (model, _) = try await ReportFixture.model(folder: folder.url)
        model.systems[0].name = ReportFixture.formula
        model.systems[1].name = String(repeating: "Ệ", count: 40_000)
        model.systems[2].name = "xã \u{FFFE}\u{FFFF}\u{1B}[0m"
        let book = try readBack(model, language: .en, folder: try TempFolder())
        #expect(book.sheets.map(\.name) == ["Summary", "Systems", "Findings", "IPv6"])
        let rows = book.sheets[1].rows
        #expect(rows[1][1].type == "s" && rows[1][1].text == ReportFixture.formula)
        let long = try #require(rows[2][1].text)
        #expect(long.utf16.count <= 32_767 && long.hasSuffix("more characters]"))
        #expect(long.hasPrefix(String(repeating: "Ệ", count: 1000)))
        #expect(long.contains("[cut: \(40_000 - long.filter { $0 == "Ệ" }.count) more characters]"))
        #expect(rows[3][1].text == "xã \\u{FFFE}\\u{FFFF}\\u{1B}[0m", "characters XML forbids are shown, so the file still opens")
    }
}
