import Foundation
@testable import GovAuditScan
import Testing

/// The blocking pool's gauge: the most threads alive at once. The caller bounds the jobs in
/// flight (a task group refilled as each job ends, as the pipeline does); the gauge must never
/// read above that bound, and must reach it when the jobs are made to overlap.
@Suite("blocking pool: peak threads")
struct BlockingPoolTests {
    /// `n` jobs on `pool`, at most `bound` awaited at once; the results in the order they came.
    func run(_ n: Int, bound: Int, on pool: BlockingPool, _ job: @escaping @Sendable (Int) -> Int) async -> [Int?] {
        await withTaskGroup(of: Int?.self) { group in
            var next = 0, results: [Int?] = []
            func start() {
                guard next < n else { return }
                let i = next
                next += 1
                group.addTask { await pool.run { job(i) } }
            }
            for _ in 0..<min(bound, n) { start() }
            for await result in group {
                results.append(result)
                start()
            }
            return results
        }
    }

    @Test("jobs held at a barrier until min(N, B) of them run: the peak is exactly min(N, B), and every thread ends",
          arguments: [(12, 4), (3, 8), (5, 5)])
    func barrier(n: Int, bound: Int) async {
        let pool = BlockingPool()
        let barrier = Barrier(count: min(n, bound))
        let results = await run(n, bound: bound, on: pool) { i in barrier.arriveAndWait() ? i : -1 }
        #expect(results.compactMap { $0 }.sorted() == Array(0..<n), "every job ran and met the barrier in time")
        #expect(pool.peak == min(n, bound))
        #expect(pool.alive == 0)
    }

    @Test("short jobs that never wait for one another: the peak stays within 1…B")
    func unheld() async {
        let pool = BlockingPool()
        let results = await run(40, bound: 6, on: pool) { i in usleep(2_000); return i }
        #expect(results.count == 40 && !results.contains(nil))
        #expect((1...6).contains(pool.peak), "\(pool.peak)")
        #expect(pool.alive == 0)
    }
}

/// Holds each arriving thread until `count` have arrived (later ones pass at once); false when
/// that did not happen within 20 s, so a pool that fails to run them side by side fails the test
/// instead of hanging it.
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private var arrived = 0

    init(count: Int) { self.count = count }

    func arriveAndWait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= count { condition.broadcast() }
        let limit = Date(timeIntervalSinceNow: 20)
        while arrived < count {
            if !condition.wait(until: limit) { return arrived >= count }
        }
        return true
    }
}
