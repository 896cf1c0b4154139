import Foundation
import GovAuditCore
import GovAuditNet
import Testing
@testable import GovAuditProbes

/// The scan-wide outbound-check cache: one check per URL across sites, a waiter bounded by its
/// own deadline (it used to wait for as long as another site's check took), cut checks forgotten.
@Suite("Link check cache")
struct LinkCheckCacheTests {
    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var calls = 0
        func check(_ r: LinkCheckCache.Result, delay: Double = 0) -> LinkCheckCache.Result {
            lock.lock(); calls += 1; lock.unlock()
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            return r
        }
    }
    static let ok = LinkCheckCache.Result(status: 200, code: nil)
    static let cut = LinkCheckCache.Result(status: nil, code: FailureReason.budgetExhaustedCode)
    func later() -> Deadline { Deadline(after: .seconds(60), owner: "the link probe") }

    @Test("a URL checked by one site is answered from the cache for the next; a cut check is checked again")
    func keeps() {
        let cache = LinkCheckCache(), counter = Counter()
        let keep = { (r: LinkCheckCache.Result) in r.code != FailureReason.budgetExhaustedCode }
        #expect(cache.result(for: "https://chinhphu.vn/", until: later(), keep: keep) { counter.check(Self.ok) } == Self.ok)
        #expect(cache.result(for: "https://chinhphu.vn/", until: later(), keep: keep) { counter.check(Self.ok) } == Self.ok)
        #expect(counter.calls == 1 && cache.hits == 1 && cache.count == 1)
        _ = cache.result(for: "https://slow.example/", until: later(), keep: keep) { counter.check(Self.cut) }
        _ = cache.result(for: "https://slow.example/", until: later(), keep: keep) { counter.check(Self.ok) }
        #expect(counter.calls == 3)
    }

    /// Had it waited for the other check (1.5 s, past its deadline) it would get 200, not nil.
    @Test("a site waiting on another site's check stops at its own deadline")
    func waiterDeadline() {
        let cache = LinkCheckCache(), counter = Counter()
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.signal()
            _ = cache.result(for: "https://chinhphu.vn/", until: later(), keep: { _ in true }) { counter.check(Self.ok, delay: 1.5) }
            done.signal()
        }
        started.wait()
        Thread.sleep(forTimeInterval: 0.1)  // the first check is in flight
        let short = Deadline(after: .milliseconds(200), owner: "the link probe")
        let r = cache.result(for: "https://chinhphu.vn/", until: short, keep: { _ in true }) {
            Issue.record("checked twice"); return counter.check(Self.ok)
        }
        #expect(r == nil)
        done.wait()
        #expect(counter.calls == 1)
    }
}
