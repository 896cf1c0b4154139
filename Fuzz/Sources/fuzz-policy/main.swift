// The policy loader on a hostile or broken policy: the input is policy.yaml, then rule files,
// separated by NUL bytes. It must load or throw `InputErrors`, never crash, hang or grow
// without bound.
import FuzzSupport
import GovAuditCore
import GovAuditPolicy

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let texts = parts(bytes(data, size)).map { String(validating: $0, as: UTF8.self) }
    guard let first = texts.first, let main = first, !texts.contains(where: { $0 == nil }) else { return 0 }
    let rules = texts.dropFirst().enumerated().map { ("rules/\($0.offset).yaml", $0.element!) }
    do {
        _ = try PolicyLoader.parse(main: ("policy.yaml", main), rules: rules)
    } catch {
        require(!error.errors.isEmpty, "a rejected policy says why")
    }
    return 0
}

runFuzzer(fuzzOne)
