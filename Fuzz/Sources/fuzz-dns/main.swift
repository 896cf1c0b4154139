// The DNS message parser (answer section, name compression) on what a hostile or broken name
// server returns.
import FuzzSupport
@testable import GovAuditNet

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    do {
        let records = try DNSMessage.answers(input)
        // Each record takes at least 11 bytes of the packet (a root owner, then 10 fixed bytes).
        require(records.count <= input.count / 11, "no more records than the packet can hold")
    } catch is DNSMessage.Malformed {
    } catch {
        require(false, "an untyped error: \(error)")
    }
    return 0
}

runFuzzer(fuzzOne)
