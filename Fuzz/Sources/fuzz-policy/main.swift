// The policy loader on a hostile or broken policy: the input is policy.yaml, then rule files,
// separated by NUL bytes. It must load or throw `InputErrors`, never crash, hang or grow without
// bound; and a policy that loads must be usable: its parameters were checked at load, so judging
// stored evidence of every kind and a small inventory with it must not crash either.
import FuzzFixtures
import FuzzSupport
import GovAuditCore
import GovAuditPolicy

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let texts = parts(bytes(data, size)).map { String(validating: $0, as: UTF8.self) }
    guard let first = texts.first, let main = first, !texts.contains(where: { $0 == nil }) else { return 0 }
    let rules = texts.dropFirst().enumerated().map { ("rules/\($0.offset).yaml", $0.element!) }
    let policy: Policy
    do {
        policy = try PolicyLoader.parse(main: ("policy.yaml", main), rules: rules)
    } catch {
        require(!error.errors.isEmpty, "a rejected policy says why")
        return 0
    }
    let evaluator = Evaluator(policy: policy)
    _ = evaluator.evaluate(Fixtures.inventory.systems[0], asOf: Fixtures.asOf, evidence: Fixtures.evidence,
                           provinceDomain: Fixtures.inventory.domain)
    if evaluator.validate(Fixtures.smallInventory, asOf: Fixtures.asOf).isEmpty {
        _ = evaluator.evaluate(Fixtures.smallInventory, asOf: Fixtures.asOf)
    }
    return 0
}

runFuzzer(fuzzOne)
