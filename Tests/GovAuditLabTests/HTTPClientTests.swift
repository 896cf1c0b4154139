import GovAuditCore
import GovAuditNet
import Testing

/// The bounded HTTP client against the lab's hostile hosts: each must end in its typed failure
/// (asserted as a result, never as a time).
@Suite("Bounded HTTP client against the lab (integration)", .serialized)
struct HTTPClientTests {
    let lab: Lab
    let client: HTTPClient

    init() throws {
        lab = try Lab.running()
        var limits = HTTPLimits()
        limits.connectTimeoutMilliseconds = 2000
        limits.totalTimeoutMilliseconds = 6000
        limits.lowSpeedSeconds = 2
        limits.maxBodyBytes = 1024 * 1024
        client = HTTPClient(resolver: Resolver(upstream: lab.resolver, timeoutMilliseconds: 3000), caFile: lab.caFile,
                            limits: limits, filter: AddressFilter(allowing: ["127.0.10.0/24", "fd10::/16"].compactMap(CIDR.init)))
    }

    func fetch(_ url: String, _ family: AddressFamily = .ipv4, client c: HTTPClient? = nil) -> Result<HTTPResponse, HTTPFailure> {
        (c ?? client).fetch(url, family: family)
    }

    @Test("a redirect loop is detected, with the URLs that loop")
    func loop() {
        guard case .failure(.redirectLoop(let urls)) = fetch("https://loop.lab.angiang.gov.vn/") else {
            Issue.record("no loop detected"); return
        }
        #expect(urls.last == "https://loop.lab.angiang.gov.vn/vong-lap/a")
    }

    @Test("a 30 MB body hits the size cap")
    func huge() {
        #expect(fetch("https://huge.lab.angiang.gov.vn/") == .failure(.tooLarge(limit: 1024 * 1024)))
    }

    @Test("a one-byte-per-second server is cut as too slow")
    func trickle() {
        guard case .failure(.tooSlow) = fetch("https://trickle.lab.angiang.gov.vn/") else { Issue.record("not cut as too slow"); return }
    }

    @Test("a TLS port that never answers ends in a timeout")
    func silent() {
        guard case .failure(.timeout) = fetch("https://silent.lab.angiang.gov.vn/") else { Issue.record("no timeout"); return }
    }

    @Test("nothing on 443 is a refusal; a silent IPv6 address is a timeout")
    func refusedAndStall() {
        guard case .failure(.refused) = fetch("https://bqlkkt.angiang.gov.vn/") else { Issue.record("not refused"); return }
        guard case .failure(.timeout) = fetch("https://thoaison.angiang.gov.vn/", .ipv6) else { Issue.record("no stall timeout"); return }
    }

    @Test("redirects are followed hop by hop, across hosts, each resolved and pinned")
    func crossHost() throws {
        let r = try fetch("http://cross-host.lab.angiang.gov.vn/").get()
        #expect(r.hops.map(\.status) == [301, 200])
        #expect(r.hops.map(\.address) == ["127.0.10.108", "127.0.10.12"])
        #expect(r.finalURL == "https://dichvucong.angiang.gov.vn/")
        let v6 = try fetch("http://dichvucong.angiang.gov.vn/", .ipv6).get()
        #expect(v6.hops.allSatisfy { $0.address == "fd10::12" })
    }

    @Test("a redirect into a lab network outside --allow-net is refused; so is the target itself")
    func addressFilter() {
        var strict = client
        strict.filter = AddressFilter(allowing: ["127.0.10.108/32"].compactMap(CIDR.init))
        guard case .failure(.addressNotAllowed("127.0.10.12", range: "loopback")) = fetch("http://cross-host.lab.angiang.gov.vn/", client: strict) else {
            Issue.record("redirect into 127.0.10.12 not refused"); return
        }
        guard case .failure(.addressNotAllowed("127.0.10.12", _)) = fetch("http://dichvucong.angiang.gov.vn/", client: strict) else {
            Issue.record("a target on loopback outside --allow-net was fetched"); return
        }
    }
}

extension Result where Success == HTTPResponse, Failure == HTTPFailure {
    static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.failure(let x), .failure(let y)): x == y
        default: false
        }
    }
}
