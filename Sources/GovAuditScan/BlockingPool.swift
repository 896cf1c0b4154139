import Dispatch
import Foundation

/// Runs blocking work (libcurl, libunbound, connect) off the cooperative thread pool, each job on
/// a thread of its own; callers bound how much runs at once (the scan: its concurrency times its
/// probes). Not a Dispatch queue: on Linux, Dispatch adds a thread to a pool whose threads all
/// block about once a second, so a scan's probes waited there in turn, the CPU idle. A cancelled
/// caller gets nil at once and the work is left to finish on its own (every step of it is bounded
/// by a timeout): a Ctrl-C must not wait for a crawl to end.
///
/// One pool per scan, so its gauge counts that scan's threads: `peak`, the most alive at once,
/// is what to watch before raising `--concurrency` (no bound here stops a caller that forgets
/// its own).
public final class BlockingPool: @unchecked Sendable {
    private let lock = NSLock()
    private var aliveNow = 0
    private var peakSoFar = 0

    public init() {}

    /// Threads running a job now, abandoned jobs included (their threads still run).
    public var alive: Int { lock.withLock { aliveNow } }

    /// The most threads alive at once since the pool was made.
    public var peak: Int { lock.withLock { peakSoFar } }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        let slot = Slot<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard slot.attach(continuation) else { return }
                started()
                Thread.detachNewThread { [self] in
                    let value = work()
                    // Counted out before the caller hears, so a caller that has every answer
                    // sees `alive` at 0.
                    ended()
                    slot.resume(value)
                }
            }
        } onCancel: {
            slot.resume(nil)
        }
    }

    private func started() {
        lock.withLock {
            aliveNow += 1
            peakSoFar = max(peakSoFar, aliveNow)
        }
    }

    private func ended() {
        lock.withLock { aliveNow -= 1 }
    }

    /// A continuation resumed exactly once, by whichever comes first: the work or the cancellation.
    private final class Slot<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T?, Never>?
        private var done = false

        /// False when cancellation came first (the continuation is then resumed with nil here).
        func attach(_ c: CheckedContinuation<T?, Never>) -> Bool {
            lock.lock()
            if done {
                lock.unlock()
                c.resume(returning: nil)
                return false
            }
            continuation = c
            lock.unlock()
            return true
        }

        func resume(_ value: T?) {
            lock.lock()
            let c = continuation
            continuation = nil
            done = true
            lock.unlock()
            c?.resume(returning: value)
        }
    }
}
