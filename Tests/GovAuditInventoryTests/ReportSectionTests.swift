import Foundation
import GovAuditCore
import Testing
@testable import GovAuditInventory

@Suite("Inventory report: section")
struct ReportSectionTests {
    @Test("the example inventory names its report's issuer, signer and recipients")
    func example() throws {
        let inv = try InventoryLoader.load(path: Repo.path("Policies/inventory/angiang.yaml"))
        let r = try #require(inv.report)
        #expect(r.parentBody == "UBND TỈNH AN GIANG" && r.body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ" && r.place == "An Giang")
        #expect(r.signer == ReportIssuer.Signer(onBehalf: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Trần Văn Minh"))
        #expect(r.recipients.first == "UBND tỉnh (để báo cáo)" && r.recipients.count == 4 && r.archive == "Lưu: VT, CNTT.")
    }

    @Test("an inventory without report: has none; a broken one gives file, line and field for each problem")
    func errors() throws {
        let head = """
        version: 1
        name: x
        agencies: [{id: a, name: A}]
        systems: []

        """
        #expect(try InventoryLoader.parse(head, file: "ok.yaml").report == nil)
        let yaml = head + """
        report:
          body: ""
          signer:
            title: GIÁM ĐỐC
            nam: Lê Thị Thu
          recipients:
            - "UBND tỉnh"
            - {name: x}
          seal: yes
        """
        let errors = try #require(throws: InputErrors.self) { try InventoryLoader.parse(yaml, file: "inv.yaml") }.errors
        let found = errors.map(\.description)
        #expect(found.contains("inv.yaml:6: report.body: must not be empty"), "\(found)")
        #expect(found.contains { $0.hasPrefix("inv.yaml:6: report.place: missing required field") }, "\(found)")
        #expect(found.contains { $0 == "inv.yaml:9: report.signer.nam: unknown field (known here: name, onBehalf, title)" }, "\(found)")
        #expect(found.contains { $0.hasPrefix("inv.yaml:8: report.signer.name: missing required field") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("inv.yaml:12: report.recipients[1]: expected a recipient's name") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("inv.yaml:13: report.seal: unknown field") }, "\(found)")
    }
}
