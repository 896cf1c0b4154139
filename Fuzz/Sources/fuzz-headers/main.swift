// The header side of the TLS probe's evidence and the https rules over it: Strict-Transport-
// Security (RFC 6797), Location resolved against the request, the policy's header list and its
// version-banner pattern, on headers a hostile server chose. The input is two header blocks (the
// plain-HTTP answer, then the HTTPS answer) separated by an empty line, each optionally starting
// with a status line.
import FuzzFixtures
import FuzzSupport
import GovAuditCore

/// Name and value split at the first colon, the value trimmed: as the HTTP client records them.
func block(_ lines: ArraySlice<Substring>, defaultStatus: Int) -> (status: Int, headers: [HeaderField]) {
    var status = defaultStatus
    var headers: [HeaderField] = []
    for line in lines {
        if line.hasPrefix("HTTP/") {
            status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? status
            headers = []
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(HeaderField(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }
    return (status, headers)
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    let gap = lines.firstIndex(where: \.isEmpty) ?? lines.endIndex
    let plain = block(lines[..<gap], defaultStatus: 301)
    let https = block(lines[min(gap + 1, lines.endIndex)...], defaultStatus: 200)

    for h in plain.headers + https.headers {
        let sts = StrictTransportSecurity(h.value)
        if let age = sts.maxAge {
            require(age >= 0, "a max-age is delta-seconds (RFC 6797 §6.1.1), not \(age), from '\(h.value)'")
        }
    }
    let root = Fixtures.endpoint.description
    let answers = [
        Evidence(endpoint: Fixtures.endpoint, facts: PlainHTTPAnswer(url: "http://\(Fixtures.site)/", status: plain.status, headers: plain.headers)),
        Evidence(endpoint: Fixtures.endpoint, facts: HTTPSAnswer(url: root, status: https.status, headers: https.headers)),
    ]
    _ = Fixtures.judge(answers, areas: [.https])
    return 0
}

runFuzzer(fuzzOne)
