import Foundation
import GovAuditCore
import GovAuditTestSupport
import Testing
@testable import GovAuditInventory

/// The inventory and CSV fuzzers' seeds and findings (Tests/Fuzz), through the same functions and
/// the same property as the harnesses: a file imports or is refused with input errors, and what is
/// written reads back the same.
@Suite("Fuzz regressions: inventory and CSV import")
struct InventoryFuzzRegressionTests {
    /// Writes `inventory`, reads it back, and expects the same text when written again.
    func expectRoundTrip(_ inventory: Inventory, _ input: FuzzInputs.Input) {
        let written = InventoryWriter.yaml(inventory)
        do {
            let again = try InventoryLoader.parse(written, file: "written.yaml")
            #expect(InventoryWriter.yaml(again) == written, "\(input): the written inventory reads back otherwise")
        } catch {
            Issue.record("\(input): the written inventory does not load: \(error)")
        }
    }

    @Test("every committed inventory input loads or is refused, and reads back the same",
          arguments: FuzzInputs.all("inventory"))
    func inventory(_ input: FuzzInputs.Input) throws {
        var bytes = input.bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = try #require(String(validating: bytes, as: UTF8.self))
        do {
            expectRoundTrip(try InventoryLoader.parse(text, file: input.name), input)
        } catch {
            #expect(!error.errors.isEmpty)
        }
    }

    @Test("every committed CSV input imports or is refused, and its YAML reads back the same",
          arguments: FuzzInputs.all("csv"))
    func csv(_ input: FuzzInputs.Input) {
        do {
            let (text, _) = try TextDecoding.decode(input.bytes, file: input.name)
            expectRoundTrip(try CSVImport.parse(text, file: input.name, name: "fuzz"), input)
        } catch let e as InputErrors {
            #expect(!e.errors.isEmpty)
        } catch {
            #expect(error is InputError, "\(input): an untyped error \(error)")
        }
    }

    @Test("the fuzzers' findings are refused with the column named, or kept character for character")
    func findings() throws {
        func imported(_ name: String) throws -> Result<Inventory, InputErrors> {
            let bytes = try #require(FuzzInputs.named("csv", name))
            let (text, _) = try TextDecoding.decode(bytes, file: name)
            do { return .success(try CSVImport.parse(text, file: name, name: "fuzz")) } catch let e as InputErrors {
                return .failure(e)
            }
        }
        guard case .failure(let agency) = try imported("agency-id-not-an-id-9d01fab") else {
            Issue.record("an agency id with 'Ɐ' imports"); return
        }
        #expect(agency.errors.map(\.field) == ["column agency_id"])
        guard case .failure(let staff) = try imported("staff-out-of-range") else { Issue.record("staff -3 imports"); return }
        #expect(staff.errors.map(\.field) == ["column onsite_staff"])

        // A header and no rows: an empty inventory, written with empty lists (a bare key is null).
        guard case .success(let empty) = try imported("header-only-79fbf62") else { Issue.record("a header alone is refused"); return }
        #expect(try InventoryLoader.parse(InventoryWriter.yaml(empty), file: "empty.yaml").systems.isEmpty)

        for name in ["noncharacter-in-cell", "line-separators-in-cell"] {
            guard case .success(let inventory) = try imported(name) else { Issue.record("\(name) is refused"); continue }
            let again = try InventoryLoader.parse(InventoryWriter.yaml(inventory), file: name)
            #expect(again.systems.map(\.name) == inventory.systems.map(\.name))
            #expect(again.systems.map(\.dossier.decision?.authority) == inventory.systems.map(\.dossier.decision?.authority))
        }
    }
}
