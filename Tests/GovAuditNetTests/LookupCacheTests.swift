import Foundation
import Testing
@testable import GovAuditNet

/// The shared resolution step: one query per name however many probes ask at once, answers kept
/// for their TTL and no longer, failures cut by a caller's budget never kept.
@Suite("Lookup cache")
struct LookupCacheTests {
    /// A query that counts its calls and takes `delay` to answer.
    final class Upstream: @unchecked Sendable {
        let lock = NSLock()
        var calls = 0
        let delay: Double
        let result: Result<DNSAnswer, DNSFailure>
        init(ttl: UInt32 = 300, delay: Double = 0, result: Result<DNSAnswer, DNSFailure>? = nil) {
            self.delay = delay
            self.result = result ?? .success(DNSAnswer(rcode: 0, records: [
                DNSRecord(name: "www.example.gov.vn", type: DNSType.a.rawValue, ttl: ttl, data: .address("192.0.2.10")),
            ], validation: .insecure, whyBogus: nil))
        }
        func query() -> Result<DNSAnswer, DNSFailure> {
            lock.lock(); calls += 1; lock.unlock()
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            return result
        }
    }

    func failure(_ r: Result<DNSAnswer, DNSFailure>) -> DNSFailure? {
        if case .failure(let f) = r { f } else { nil }
    }

    @Test("eight probes asking at once send one query and all get its answer")
    func singleFlight() {
        let cache = LookupCache(), upstream = Upstream(delay: 0.2)
        final class Seen: @unchecked Sendable { let lock = NSLock(); var addresses: [[String]] = [] }
        let seen = Seen()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            guard case .success(let answer) = cache.answer("www.example.gov.vn", .a, until: nil, query: upstream.query) else { return }
            seen.lock.lock(); seen.addresses.append(answer.values(.a)); seen.lock.unlock()
        }
        #expect(upstream.calls == 1)
        #expect(seen.addresses == Array(repeating: ["192.0.2.10"], count: 8))
        #expect(cache.counts.sent == 1 && cache.counts.shared == 7)
    }

    @Test("names are one key whatever their case or final dot; types are not")
    func keys() {
        let cache = LookupCache(), upstream = Upstream()
        _ = cache.answer("WWW.Example.gov.vn.", .a, until: nil, query: upstream.query)
        _ = cache.answer("www.example.gov.vn", .a, until: nil, query: upstream.query)
        #expect(upstream.calls == 1)
        _ = cache.answer("www.example.gov.vn", .aaaa, until: nil, query: upstream.query)
        #expect(upstream.calls == 2)
    }

    @Test("a TTL of 0 is never kept (rebinding stays visible); a TTL is kept only that long")
    func ttl() {
        let cache = LookupCache()
        let zero = Upstream(ttl: 0)
        _ = cache.answer("rebind.example", .a, until: nil, query: zero.query)
        _ = cache.answer("rebind.example", .a, until: nil, query: zero.query)
        #expect(zero.calls == 2)
        let one = Upstream(ttl: 1)
        _ = cache.answer("short.example", .a, until: nil, query: one.query)
        _ = cache.answer("short.example", .a, until: nil, query: one.query)
        #expect(one.calls == 1)
        Thread.sleep(forTimeInterval: 1.1)
        _ = cache.answer("short.example", .a, until: nil, query: one.query)
        #expect(one.calls == 2)
    }

    @Test("a timeout is kept for the negative lifetime; a budget cut is never kept")
    func failures() {
        let cache = LookupCache(negativeLifetime: .seconds(30))
        let timeout = Upstream(result: .failure(.timeout(milliseconds: 5000)))
        _ = cache.answer("slow.example", .a, until: nil, query: timeout.query)
        let again = cache.answer("slow.example", .a, until: nil, query: timeout.query)
        #expect(timeout.calls == 1)
        #expect(failure(again) == .timeout(milliseconds: 5000))
        let deadline = Deadline(after: .milliseconds(1), owner: "a test")
        let cut = Upstream(result: .failure(.budgetExhausted(deadline)))
        _ = cache.answer("cut.example", .a, until: nil, query: cut.query)
        _ = cache.answer("cut.example", .a, until: nil, query: cut.query)
        #expect(cut.calls == 2)
    }

    /// Had it waited for the query (1.5 s, past its deadline) it would get the answer, not this.
    @Test("a caller waiting on another's query stops at its own deadline, as budget-exhausted")
    func waiterDeadline() {
        let cache = LookupCache(), upstream = Upstream(delay: 1.5)
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.signal()
            _ = cache.answer("www.example.gov.vn", .a, until: nil, query: upstream.query)
            done.signal()
        }
        started.wait()
        Thread.sleep(forTimeInterval: 0.1)  // the first query is in flight
        let deadline = Deadline(after: .milliseconds(200), owner: "the TLS probe")
        let r = cache.answer("www.example.gov.vn", .a, until: deadline) { Issue.record("queried twice"); return upstream.query() }
        #expect(failure(r) == .budgetExhausted(deadline))
        done.wait()
        #expect(upstream.calls == 1)
    }

    @Test("past its capacity the cache keeps the newest answers")
    func capacity() {
        let cache = LookupCache(capacity: 10), upstream = Upstream()
        for i in 0..<25 { _ = cache.answer("h\(i).example", .a, until: nil, query: upstream.query) }
        #expect(upstream.calls == 25)
        _ = cache.answer("h24.example", .a, until: nil, query: upstream.query)
        #expect(upstream.calls == 25)
        _ = cache.answer("h0.example", .a, until: nil, query: upstream.query)
        #expect(upstream.calls == 26)
    }
}
