import Foundation
import GovAuditCore
import Testing
@testable import GovAuditInventory

/// Inputs written to hurt: aliases that expand without bound, bytes that are not UTF-8, a huge
/// inventory, spreadsheets whose cells would be dropped silently, control characters.
@Suite("Hostile inventories and spreadsheets")
struct HostileInputTests {
    static let laughs = """
    version: 1
    name: x
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """

    private func errors(_ yaml: String) throws -> [String] {
        try #require(throws: InputErrors.self) { try InventoryLoader.parse(yaml, file: "inv.yaml") }.errors.map(\.description)
    }

    @Test("billion laughs: the first anchor is refused with line and field, before anything expands")
    func billionLaughs() throws {
        #expect(try errors(Self.laughs) == ["inv.yaml:3: a: YAML anchors (&a) are not allowed; write the value out"])
    }

    @Test("aliases in a mapping key (expanded by hashing while composing) and deep in the tree are refused too")
    func aliasesAnywhere() throws {
        let key = "? [&a [l,l,l,l,l,l,l,l,l], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]]\n: 1\n"
        #expect(try errors(key) == ["inv.yaml:1: [0]: YAML anchors (&a) are not allowed; write the value out"])
        let deep = """
        version: 1
        systems:
          - id: a
            contacts:
              - name: *someone
        """
        #expect(try errors(deep) == ["inv.yaml:5: systems[0].contacts[0].name: YAML aliases (*someone) are not allowed; write the value out"])
    }

    @Test("a second document, a duplicate key, a list as key and absurd nesting are refused with their line")
    func structure() throws {
        #expect(try errors("version: 1\n---\nname: x\n") == ["inv.yaml:2: a second YAML document; one file holds one document"])
        #expect(try errors("version: 1\nversion: 2\n") == ["inv.yaml:2: version: duplicate key"])
        #expect(try errors("? [a, b]\n: 1\n") == ["inv.yaml:1: keys must be plain words"])
        let deep = "a: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(try errors(deep).first?.hasPrefix("inv.yaml:1: YAML syntax error: ") == true)
    }

    @Test("a YAML file that is not UTF-8 is refused with its line and byte")
    func notUTF8() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ga-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Array("version: 1\nname: \"".utf8) + [0x53, 0xD5] + Array("\"\n".utf8)).write(to: URL(fileURLWithPath: path))
        let e = try #require(throws: InputErrors.self) { try InventoryLoader.load(path: path) }
        #expect(e.errors.map(\.description) == ["\(path):2: not UTF-8 text: byte 0xD5 at column 9 cannot be decoded; save the file as UTF-8"])
    }

    @Test("an inventory of many systems loads, and a duplicate id at its end names the first definition")
    func manySystems() throws {
        // 20,000 systems: a quadratic duplicate check takes minutes here, a linear one a second.
        var yaml = "version: 1\nname: \"Tỉnh lớn\"\nagencies:\n"
        for a in 0..<200 { yaml += "  - {id: so-\(a), name: \"Sở \(a)\"}\n" }
        yaml += "systems:\n"
        for i in 0..<20_000 {
            yaml += "  - {id: ht-\(i), name: \"Hệ thống \(i)\", agency: so-\(i % 200), level: 2, dossier: {status: approved}}\n"
        }
        #expect(try InventoryLoader.parse(yaml, file: "inv.yaml").systems.count == 20_000)
        yaml += "  - {id: ht-7, name: \"Lặp lại\", agency: so-0, level: 2, dossier: {status: approved}}\n"
        #expect(try errors(yaml) == ["inv.yaml:20205: systems[20000].id: system id 'ht-7' is used twice (first at line 212)"])
    }

    @Test("control and bidi characters in a message are shown escaped, and cannot start a second line")
    func escapedMessages() throws {
        let yaml = "version: 1\nname: x\nagencies: []\nsystems: []\n\"bad\\e[31m\\u202E\\nfake.yaml:1: ok\": 1\n"
        let found = try errors(yaml)
        #expect(found == ["inv.yaml:5: bad\\u{1B}[31m\\u{202E}\\u{A}fake.yaml:1: ok: unknown field (known here: agencies, domain, illustrative, name, report, systems, version)"])
        #expect(!found[0].contains("\u{1B}") && !found[0].contains("\n"))
    }
}

@Suite("CSV import: nothing dropped silently, the CSV named in every error")
struct CSVHostileTests {
    private func importing(_ text: String) throws -> (path: String, errors: [String]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("danhmuc-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let e = try #require(throws: InputErrors.self) { try CSVImport.importFile(path: path) }
        return (path, e.errors.map(\.description))
    }

    @Test("a cell beyond the header's columns is an error with its line and column; empty trailing cells are not")
    func beyondHeader() throws {
        let (path, errors) = try importing("""
        id,name,agency_id,level,dossier_status
        a,A,so-a,3,approved,,
        b,B,so-a,3,approved,https://b.angiang.gov.vn/
        """)
        #expect(errors == ["\(path):3: column 6: 'https://b.angiang.gov.vn/' is beyond the header's 5 columns; name the column or remove the cell"])
    }

    @Test("what the inventory loader would refuse is refused here, on the CSV's line: agency ids, staff counts")
    func loaderRules() throws {
        let (path, errors) = try importing("""
        id,name,agency_id,level,dossier_status,onsite_unit,onsite_staff
        a,A,Sở Tư pháp,3,approved,Phòng CNTT,-2
        """)
        #expect(errors == ["\(path):2: column agency_id: 'Sở Tư pháp' is not an id: use lower-case letters, digits, '-', '_' or '.'",
                           "\(path):2: column onsite_staff: '-2' is not a number of staff (0–100000)"])
    }

    @Test("a cell that needs another on its row, and an agency named two ways, are errors, not dropped data")
    func dependents() throws {
        let (path, errors) = try importing("""
        id,name,agency_id,agency_name,level,dossier_status,monitoring_contract_end,contact_email
        a,A,so-a,Sở A,3,approved,2027-01-01,
        b,B,so-a,Sở B,3,approved,,cb@angiang.gov.vn
        """)
        #expect(errors == ["\(path):2: column monitoring_contract_end: needs column monitoring_provider on the same row",
                           "\(path):3: column contact_email: needs column contact_name on the same row"])
        let (path2, errors2) = try importing("""
        id,name,agency_id,agency_name,level,dossier_status
        a,A,so-a,Sở A,3,approved
        b,B,so-a,Sở B,3,approved
        a,C,so-a,,3,approved
        """)
        #expect(errors2 == ["\(path2):3: column agency_name: 'Sở B', but agency 'so-a' is named 'Sở A' on line 2",
                            "\(path2):4: column id: system id 'a' is used twice (first on line 2)"])
    }

    @Test("the YAML written escapes control and bidi characters, and reads back the same")
    func writerEscapes() throws {
        let name = "Cổng \u{1B}[31mđỏ\u{202E}ftp\u{200B}"
        let inv = Inventory(name: "x", agencies: [Agency(id: "a", name: "A")],
                            systems: [System(id: "s", name: name, agency: "a", level: SecurityLevel(1)!, dossier: Dossier(status: .none))])
        let yaml = InventoryWriter.yaml(inv)
        #expect(yaml.contains("name: \"Cổng \\u001B[31mđỏ\\u202Eftp\\u200B\""))
        #expect(!yaml.unicodeScalars.contains { VisibleText.isDangerous($0) && $0 != "\n" })
        #expect(try InventoryLoader.parse(yaml, file: "x.yaml").systems[0].name == name)
    }
}
