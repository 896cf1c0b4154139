import Testing
@testable import GovAuditNet

/// How one header line from libcurl is read: status lines start a new response, fields split at
/// the first colon with the optional whitespace trimmed.
@Suite("Curl header lines")
struct CurlHeaderLineTests {
    func read(_ line: String) -> (isStatus: Bool, field: HTTPHeader?)? {
        Array(line.utf8).withUnsafeBytes { CurlHandle.headerLine($0) }
    }

    @Test("fields, status lines, the blank line and lines without a colon")
    func lines() {
        #expect(read("HTTP/1.1 301 Moved Permanently\r\n")?.isStatus == true)
        #expect(read("HTTP/2 200\r\n")?.field == nil)
        let f = read("Strict-Transport-Security: \t max-age=31536000; includeSubDomains \t\r\n")?.field
        #expect(f?.name == "Strict-Transport-Security")
        #expect(f?.value == "max-age=31536000; includeSubDomains")
        #expect(read("Location:https://a.vn/x:y\n")?.field?.value == "https://a.vn/x:y")
        #expect(read("X-Empty:\r\n")?.field?.value == "")
        #expect(read("Server: Tỉnh\r\n")?.field?.value == "Tỉnh")
        #expect(read("\r\n") == nil)
        #expect(read("no colon here\r\n") == nil)
    }

    @Test("a field is found by its name without case, ASCII letters only, the last of a name winning")
    func lookup() {
        let fields = [("content-type", "text/plain"), ("X-A", "1"), ("x-a", "2"), ("X-[", "bracket"), ("Tỉnh", "v")]
        let r = HTTPResponse(hops: [HTTPHop(url: "https://a.vn/", address: "127.0.0.1", status: 200)],
                             headers: fields.map { HTTPHeader(name: $0.0, value: $0.1) }, body: [])
        #expect(r.header("Content-Type") == "text/plain" && r.header("CONTENT-TYPE") == "text/plain")
        #expect(r.header("x-A") == "2")
        #expect(r.header("X-{") == nil && r.header("X-[") == "bracket")   // '[' and '{' differ by 0x20 but are no letters
        #expect(r.header("Content-Typ") == nil && r.header("Content-Types") == nil)
        #expect(r.header("Tỉnh") == "v" && r.header("TỈNH") == nil)
    }
}
