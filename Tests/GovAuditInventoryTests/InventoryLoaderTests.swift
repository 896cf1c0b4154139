import Foundation
import GovAuditCore
import Testing
@testable import GovAuditInventory

/// Paths of the repository, found from this file's location (tests read the real files).
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let fixtures = path("Tests/GovAuditInventoryTests/Fixtures")
}

@Suite("Inventory loader")
struct InventoryLoaderTests {
    @Test("the example inventory holds the province's 64 systems, all approved as the seed report says")
    func example() throws {
        let inv = try InventoryLoader.load(path: Repo.path("Policies/inventory/angiang.yaml"))
        #expect(inv.systems.count == 64)
        #expect(inv.illustrative)
        #expect(Set(inv.systems.map(\.id)).count == 64)
        #expect(inv.systems.filter { $0.tags.contains("component-portal") }.count == 33)
        #expect(inv.systems.allSatisfy { $0.dossier.status == .approved })
        let hosts = inv.systems.flatMap(\.endpoints).map(\.host)
        #expect(hosts.contains("angiang.gov.vn") && hosts.contains("dichvucong.angiang.gov.vn"))
        #expect(hosts.allSatisfy { HostName.isSubdomain($0, of: "angiang.gov.vn") })
        for id in ["dichvucong", "opendata", "cds", "qlvbdh", "lgsp", "lris"] {
            #expect(inv.systems.contains { $0.id == id }, "missing \(id)")
        }
    }

    @Test("every error names file, line and field, and all are reported at once")
    func errors() throws {
        let file = Repo.fixtures + "/broken.yaml"
        let errors = try #require(throws: InputErrors.self) { try InventoryLoader.load(path: file) }.errors
        let found = errors.map { "\($0.location.line ?? 0) \($0.field ?? "")" }
        #expect(found.contains("10 systems[0].level"), "\(found)")
        #expect(found.contains("14 systems[0].dossier.decision.date"), "\(found)")
        #expect(found.contains("17 systems[1].agency"), "\(found)")
        #expect(found.contains("19 systems[1].dosier"), "\(found)")
        #expect(found.contains("15 systems[1].dossier"), "\(found)")          // required, missing
        #expect(found.contains("22 systems[1].endpoints[0]"), "\(found)")
        #expect(found.contains("28 systems[2].dossier.status"), "\(found)")
        #expect(errors.allSatisfy { $0.location.file == file })
        let text = errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("\(file):10: systems[0].level: 7 is outside 1–5"))
        #expect(text.contains("scheme 'ftp' is not http or https"))
        #expect(text.contains("expected one of none, drafting, submitted, approved, rejected, found 'pending'"))
    }

    @Test("a duplicate system id is reported at the second definition")
    func duplicateID() throws {
        let yaml = """
        version: 1
        name: x
        agencies: [{id: a, name: A}]
        systems:
          - {id: s, name: S, agency: a, level: 1, dossier: {status: none}}
          - {id: s, name: T, agency: a, level: 1, dossier: {status: none}}
        """
        let errors = try #require(throws: InputErrors.self) { try InventoryLoader.parse(yaml, file: "d.yaml") }.errors
        #expect(errors.map(\.description) == ["d.yaml:6: systems[1].id: system id 's' is used twice (first at line 5)"])
    }

    @Test("YAML syntax errors carry the line libyaml reports")
    func syntax() throws {
        let yaml = "version: 1\nname: x\nagencies:\n  - id: a\n   name: bad indent\n"
        let errors = try #require(throws: InputErrors.self) { try InventoryLoader.parse(yaml, file: "s.yaml") }.errors
        #expect(errors.count == 1)
        #expect(errors[0].location.line == 5)
        #expect(errors[0].description.hasPrefix("s.yaml:5: YAML syntax error"))
    }

    @Test("writer output loads back to the same inventory, hostile text included")
    func roundTrip() throws {
        var inv = try InventoryLoader.load(path: Repo.path("Policies/inventory/angiang.yaml"))
        inv.systems[0].name = "Tên \"lạ\": # không phải chú thích \\ \u{1B}[31m đỏ"
        let again = try InventoryLoader.parse(InventoryWriter.yaml(inv), file: "w.yaml")
        #expect(again.systems.count == inv.systems.count)
        for (a, b) in zip(inv.systems, again.systems) {
            var a = a, b = b
            a.location = nil; b.location = nil
            a.waivers = a.waivers.map { var w = $0; w.location = nil; return w }
            b.waivers = b.waivers.map { var w = $0; w.location = nil; return w }
            #expect(a == b)
        }
    }
}
