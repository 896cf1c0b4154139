// The inventory loader on a hostile or broken YAML file: it must load or throw `InputErrors`
// (file, line, field), never crash, hang or grow without bound; what loads is written back and
// must read back the same (written again, the same text).
import FuzzSupport
import GovAuditCore
import GovAuditInventory

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = bytes(data, size)
    if input.starts(with: [0xEF, 0xBB, 0xBF]) { input.removeFirst(3) }
    guard let text = String(validating: input, as: UTF8.self) else { return 0 }
    let inventory: Inventory
    do { inventory = try InventoryLoader.parse(text, file: "fuzz.yaml") } catch {
        require(!error.errors.isEmpty, "a rejected inventory says why")
        return 0
    }
    let written = InventoryWriter.yaml(inventory)
    do {
        let again = try InventoryLoader.parse(written, file: "written.yaml")
        let rewritten = InventoryWriter.yaml(again)
        require(rewritten == written, "the written inventory reads back the same:\n\(written)\n--- written again:\n\(rewritten)")
    } catch {
        require(false, "the written inventory does not load: \(error)\n\(written)")
    }
    return 0
}

runFuzzer(fuzzOne)
