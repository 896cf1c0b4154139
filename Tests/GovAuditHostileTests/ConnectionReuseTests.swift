import Dispatch
import Foundation
import GovAuditCore
@testable import GovAuditNet
import GovAuditTestSupport
import Testing

/// HTTP keep-alive is keyed on scheme, host, port, pinned address and family: a kept connection
/// carries the next request of the same key, and nothing else. The hostile site's /keep/ answers
/// leave the connection open and name the connection that carried them ("connection N address").
@Suite("HTTP connection reuse against a hostile site", .serialized)
struct ConnectionReuseTests {
    let server: HostileServer
    let client: HTTPClient

    init() throws {
        server = try HostileServer.shared.get()
        client = server.client(allowing: ["127.0.0.1/32", "::1/128"], gate: ConnectionGate(perAddress: 4))
    }

    /// "connection N address" from a /keep/ answer.
    func carrier(_ r: HTTPResponse) -> (number: Int, address: String)? {
        let words = String(decoding: r.body, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 3, words[0] == "connection", let n = Int(words[1]) else { return nil }
        return (n, String(words[2]))
    }

    @Test("a second fetch of the same key rides the kept connection")
    func sameKeyReuses() throws {
        let url = "http://www.hostile.example:\(server.webPort)/keep/same"
        let first = try client.fetch(url, family: .ipv4).get()
        let second = try client.fetch(url, family: .ipv4).get()
        #expect(!first.reusedConnection && second.reusedConnection)
        #expect(carrier(first)?.number != nil && carrier(first)?.number == carrier(second)?.number)
        #expect(try server.hits() == [])
    }

    @Test("the IPv6 side of a host never rides the IPv4 side's connection, nor the reverse")
    func familiesApart() throws {
        try #require(server.webPort == server.web6Port, "the site has no port free in both families")
        let url = "http://www.hostile.example:\(server.webPort)/keep/families"
        let v4 = try client.fetch(url, family: .ipv4).get()
        let v6 = try client.fetch(url, family: .ipv6).get()
        let v4again = try client.fetch(url, family: .ipv4).get()
        #expect(carrier(v4)?.address == "127.0.0.1" && carrier(v6)?.address == "::1")
        #expect(v6.hops.last?.address == "::1" && !v6.reusedConnection)
        #expect(v4again.reusedConnection && carrier(v4again)?.number == carrier(v4)?.number)
    }

    @Test("a request pinned to another address of the same name opens its own connection")
    func pinApart() throws {
        try #require(server.webPort == server.web6Port, "the site has no port free in both families")
        let url = "http://www.hostile.example:\(server.webPort)/keep/pinned"
        let a = try client.fetch(url, family: .ipv4, address: "127.0.0.1").get()
        let b = try client.fetch(url, family: .ipv6, address: "::1").get()
        #expect(carrier(a)?.address == "127.0.0.1" && carrier(b)?.address == "::1")
        #expect(carrier(a)?.number != carrier(b)?.number)
    }

    @Test("a rebinding name never gets a kept connection to carry a request for a refused address")
    func rebindingWithKeptConnection() throws {
        let strict = server.client(allowing: ["127.0.0.1/32"], gate: ConnectionGate(perAddress: 4))
        let url = "http://rebind.hostile.example:\(server.webPort)/keep/rebind"
        var landed: [String] = [], refused = 0
        for _ in 0..<8 {
            switch strict.fetch(url, family: .ipv4) {
            case .success(let r):
                landed.append(carrier(r)?.address ?? "?")
                #expect(r.hops.last?.address == "127.0.0.1")
            case .failure(.addressNotAllowed("127.0.0.2", _)): refused += 1
            case let other: Issue.record("unexpected result \(other)")
            }
        }
        #expect(!landed.isEmpty && refused > 0, "the rebinding answers did not alternate: \(landed), \(refused) refused")
        #expect(landed.allSatisfy { $0 == "127.0.0.1" })
        #expect(try server.hits() == [], "a canary was reached")
    }

    @Test("an idle kept connection gives its gate slot to a connect that needs it")
    func idleConnectionYieldsItsSlot() throws {
        let gate = ConnectionGate(perAddress: 1)
        var one = client
        one.gate = gate
        let kept = try one.fetch("http://www.hostile.example:\(server.webPort)/keep/slot", family: .ipv4).get()
        #expect(!kept.reusedConnection && gate.openNow == 1)
        // Another key on the same address: the literal host. It must close the idle connection,
        // not wait for it; a watchdog turns a deadlock into a failure instead of a hung run.
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let other = one
        let port = server.webPort
        Thread.detachNewThread {
            box.value = other.fetch("http://127.0.0.1:\(port)/keep/literal", family: .ipv4)
            done.signal()
        }
        guard done.wait(timeout: .now() + 30) == .success else { Issue.record("the connect waited for an idle connection's slot"); return }
        let literal = try #require(try box.value?.get())
        #expect(!literal.reusedConnection && gate.peak == 1)
        let again = try one.fetch("http://www.hostile.example:\(server.webPort)/keep/slot", family: .ipv4).get()
        #expect(!again.reusedConnection, "the idle connection was closed for the other key")
    }

    @Test("the pool hands a handle back only for its own key")
    func keying() throws {
        let pool = HTTPConnectionPool()
        let key = HTTPConnectionKey(scheme: "https", host: "cong.angiang.gov.vn", port: 443, address: [127, 0, 10, 5], family: .ipv4,
                                    verifyTLS: false, caFile: nil, filter: AddressFilter(), gate: nil)
        var otherAddress = key
        otherAddress.address = [127, 0, 10, 6]
        var otherFamily = key
        otherFamily.family = .ipv6
        otherFamily.address = Array(repeating: 0, count: 15) + [1]
        var otherPort = key
        otherPort.port = 8443
        var otherScheme = key
        otherScheme.scheme = "http"
        var otherFilter = key
        otherFilter.filter = AddressFilter(allowing: [CIDR("127.0.10.0/24")!])
        let handle = try #require(CurlHandle(filter: AddressFilter(), gate: nil))
        pool.put(key, handle, gate: nil)
        for other in [otherAddress, otherFamily, otherPort, otherScheme, otherFilter] {
            #expect(pool.take(other) == nil, "\(other) got \(key)'s handle")
        }
        #expect(pool.take(key) === handle)
        #expect(pool.take(key) == nil, "a handle is handed out once")
    }
}

/// A result written by one thread and read after a semaphore by another.
private final class ResultBox: @unchecked Sendable {
    var value: Result<HTTPResponse, HTTPFailure>?
}
