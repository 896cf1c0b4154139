// The parser of a TLS port's first answer to a hand-built ClientHello (ServerHello,
// HelloRetryRequest, alert, SSLv2 ServerHello, garbage): what a hostile server sends back.
import FuzzSupport
import GovAuditNet

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    // As the prober reads: the framing is checked on what has come so far (byte by byte here, as
    // a trickling server sends it), the header says how long the first record is, then it is parsed.
    for count in 0...min(input.count, 8) {
        _ = TLSHello.framingProblem(Array(input.prefix(count)))
    }
    _ = TLSHello.framingProblem(input)
    if let needed = TLSHello.neededLength(Array(input.prefix(5))) {
        require(needed >= 2, "a record is at least its header")
        _ = TLSHello.parse(Array(input.prefix(needed)))
    }
    _ = TLSHello.parse(input)
    return 0
}

runFuzzer(fuzzOne)
