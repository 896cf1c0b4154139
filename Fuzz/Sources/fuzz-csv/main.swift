// `inventory import` on a hostile or broken spreadsheet export: the text decoding (UTF-8 with or
// without BOM, UTF-16), the CSV reader and the row checks must give an inventory or `InputError`s;
// what imports is written as YAML and must read back the same with the inventory loader.
import FuzzSupport
import GovAuditCore
import GovAuditInventory

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let inventory: Inventory
    do {
        let (text, _) = try TextDecoding.decode(bytes(data, size), file: "fuzz.csv")
        inventory = try CSVImport.parse(text, file: "fuzz.csv", name: "fuzz")
    } catch is InputError {
        return 0
    } catch let e as InputErrors {
        require(!e.errors.isEmpty, "a rejected file says why")
        return 0
    } catch {
        require(false, "an untyped error: \(error)")
        return 0
    }
    let written = InventoryWriter.yaml(inventory)
    do {
        let again = try InventoryLoader.parse(written, file: "imported.yaml")
        let rewritten = InventoryWriter.yaml(again)
        require(rewritten == written, "the written inventory reads back the same:\n\(written)\n--- written again:\n\(rewritten)")
    } catch {
        require(false, "the imported inventory does not load: \(error)\n\(written)")
    }
    return 0
}

runFuzzer(fuzzOne)
