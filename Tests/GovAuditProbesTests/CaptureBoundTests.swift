import GovAuditCore
import Testing
@testable import GovAuditNet
@testable import GovAuditProbes

/// The evidence bundles' capture bound (`--capture-kb`, `LinkHygieneOptions.maxCaptureBytes`):
/// a response keeps its first bytes up to the bound, says it was cut, and hashes what it kept.
@Suite("crawl captures: the body bound")
struct CaptureBoundTests {
    func capture(of body: [UInt8], bound: Int) -> RawCapture {
        var options = LinkHygieneOptions()
        options.maxCaptureBytes = bound
        let resolver = Resolver(upstream: "127.0.0.1:9", timeoutMilliseconds: 100)   // nothing is fetched
        let probe = LinkHygieneProbe(context: ProbeContext(resolver: resolver, http: HTTPClient(resolver: resolver)), options: options)
        let response = HTTPResponse(hops: [HTTPHop(url: "https://sotuphap.angiang.gov.vn/", address: "127.0.0.1", status: 200, location: nil)],
                                    headers: [HTTPHeader(name: "Content-Type", value: "text/html")], body: body)
        return Crawl(probe: probe, deadline: Deadline(after: .seconds(5), owner: "test")).capture(response, page: "/", visitor: "crawler")
    }

    @Test("a body over the bound is cut at the bound, marked truncated, its full size kept; one within it is kept whole")
    func bound() {
        let body = Array("<p>Nhà cái uy tín</p>".utf8) + [UInt8](repeating: 0x20, count: 3000)
        let cut = capture(of: body, bound: 1024)
        #expect(cut.body.count == 1024 && cut.size == body.count && cut.truncated)
        #expect(cut.sha256 == Digest.sha256Hex(Array(body.prefix(1024))), "the hash is over what is kept")
        let whole = capture(of: body, bound: 4096)
        #expect(whole.body.count == body.count && !whole.truncated && whole.sha256 == Digest.sha256Hex(body))
    }
}
