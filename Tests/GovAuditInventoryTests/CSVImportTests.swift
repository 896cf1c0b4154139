import Foundation
import GovAuditCore
import Testing
@testable import GovAuditInventory

@Suite("CSV import")
struct CSVImportTests {
    static let header = "id,name,agency_id,agency_name,level,dossier_status,decision_number,decision_date,decision_authority,decision_role,endpoints,assessment_date,assessor,national_connected,tags"
    static let rows = [
        "dichvucong,Cổng dịch vụ công tỉnh,vpubnd,Văn phòng UBND tỉnh,3,approved,1234/QĐ-UBND,15/03/2023,UBND tỉnh An Giang,owner,\"https://dichvucong.angiang.gov.vn/; https://e-services.angiang.gov.vn/\",2026-03-01,\"Công ty A, chi nhánh B\",có,\"public-service;portal\"",
        "baydien,\"Hệ thống bẫy đèn \"\"thông minh\"\"\",sonnmt,Sở Nông nghiệp và Môi trường,1,drafting,,,,,,,,,",
    ]

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ga-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func utf16LE(_ s: String, bom: Bool) -> [UInt8] {
        (bom ? [0xFF, 0xFE] : []) + s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// The sample re-separated with `separator` (commas inside quoted fields kept).
    private func sample(separator: Character, lineEnd: String) -> String {
        ([Self.header] + Self.rows).map { line in
            var out = "", quoted = false
            for c in line { if c == "\"" { quoted.toggle() }; out.append(!quoted && c == "," ? separator : c) }
            return out
        }.joined(separator: lineEnd)
    }

    private func check(_ inv: Inventory) {
        #expect(inv.systems.map(\.id) == ["dichvucong", "baydien"])
        let dvc = inv.systems[0]
        #expect(dvc.name == "Cổng dịch vụ công tỉnh")
        #expect(dvc.level.value == 3)
        #expect(dvc.dossier.decision?.date == CalendarDate(year: 2023, month: 3, day: 15))
        #expect(dvc.dossier.decision?.role == .owner)
        #expect(dvc.endpoints.map(\.host) == ["dichvucong.angiang.gov.vn", "e-services.angiang.gov.vn"])
        #expect(dvc.layers.assessment?.assessor == "Công ty A, chi nhánh B")
        #expect(dvc.layers.nationalMonitoring?.connected == true)
        #expect(dvc.tags == ["public-service", "portal"])
        #expect(inv.systems[1].name == "Hệ thống bẫy đèn \"thông minh\"")
        #expect(inv.systems[1].dossier.status == .drafting && inv.systems[1].dossier.decision == nil)
        #expect(inv.agencies.map(\.name) == ["Văn phòng UBND tỉnh", "Sở Nông nghiệp và Môi trường"])
    }

    @Test("UTF-8 with a byte-order mark, CRLF line ends (Excel's \"CSV UTF-8\")")
    func utf8BOM() throws {
        let text = ([Self.header] + Self.rows).joined(separator: "\r\n") + "\r\n"
        let r = try CSVImport.importFile(path: try write([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        #expect(r.encoding == .utf8BOM)
        check(r.inventory)
    }

    @Test("UTF-8 without a mark, semicolon-separated (Excel in a decimal-comma locale)")
    func semicolons() throws {
        let r = try CSVImport.importFile(path: try write(Array(sample(separator: ";", lineEnd: "\n").utf8)))
        #expect(r.encoding == .utf8)
        check(r.inventory)
    }

    @Test("UTF-16LE with a mark and tabs (Excel's \"Unicode Text\"), and without the mark")
    func utf16() throws {
        let text = sample(separator: "\t", lineEnd: "\r\n")
        let withBOM = try CSVImport.importFile(path: try write(utf16LE(text, bom: true)))
        #expect(withBOM.encoding == .utf16LE)
        check(withBOM.inventory)
        let noBOM = try CSVImport.importFile(path: try write(utf16LE(text, bom: false)))
        #expect(noBOM.encoding == .utf16LE)
        check(noBOM.inventory)
    }

    @Test("a legacy code page is refused with the line and byte, not guessed")
    func legacy() throws {
        // "Sở" in Windows-1258 is 0x53 0xD5 0xDE... any such byte is invalid UTF-8.
        let bytes = Array((Self.header + "\n" + "a,ok,b,,1,none\n").utf8) + [0x63, 0x2C, 0x53, 0xD5, 0xDE, 0x2C]
        let path = try write(bytes)
        let e = try #require(throws: InputErrors.self) { try CSVImport.importFile(path: path) }
        #expect(e.errors.count == 1)
        #expect(e.errors[0].location.line == 3)
        #expect(e.errors[0].description.contains("byte 0xD5 at column 4"))
        #expect(e.errors[0].description.contains("CSV UTF-8"))
    }

    @Test("bad cells name file, line and column; all rows are checked")
    func badCells() throws {
        let text = """
        id,name,agency_id,level,dossier_status,decision_date,national_connected
        a,A,x,bốn,approved,2024-01-01,yes
        b,B,x,2,approve,31/02/2024,maybe
        c,,x,2,none,,
        """
        let path = try write(Array(text.utf8))
        let errors = try #require(throws: InputErrors.self) { try CSVImport.importFile(path: path) }.errors
        let short = errors.map { "\($0.location.line ?? 0) \($0.field ?? "")" }
        #expect(short == ["2 column level", "3 column dossier_status", "3 column decision_date",
                          "3 column national_connected", "4 column name"])
        #expect(errors[0].description == "\(path):2: column level: 'bốn' is not a security level 1–5")
    }

    @Test("an unknown or missing column is an error on the header line")
    func columns() throws {
        let path = try write(Array("id,name,agency,level,dossier_status\n".utf8))
        let errors = try #require(throws: InputErrors.self) { try CSVImport.importFile(path: path) }.errors
        #expect(errors.map(\.field) == ["column 3", "column agency_id"])
        #expect(errors.allSatisfy { $0.location.line == 1 })
    }

    @Test("import, write, load gives back the same systems")
    func roundTrip() throws {
        let text = ([Self.header] + Self.rows).joined(separator: "\n")
        let inv = try CSVImport.importFile(path: try write(Array(text.utf8))).inventory
        let again = try InventoryLoader.parse(InventoryWriter.yaml(inv), file: "x.yaml")
        #expect(again.systems.map(\.name) == inv.systems.map(\.name))
        #expect(again.systems.map(\.dossier) == inv.systems.map(\.dossier))
        #expect(again.systems.map(\.endpoints) == inv.systems.map(\.endpoints))
        #expect(again.systems.map(\.layers) == inv.systems.map(\.layers))
    }
}
