import Dispatch
import Foundation

/// Runs blocking work (libcurl, libunbound, connect) off the cooperative thread pool, on a queue
/// of its own; callers bound how much runs at once. A cancelled caller gets nil at once and the
/// work is left to finish on its own (every step of it is bounded by a timeout): a Ctrl-C must
/// not wait for a crawl to end.
enum BlockingPool {
    private static let queue = DispatchQueue(label: "govaudit.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        let slot = Slot<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard slot.attach(continuation) else { return }
                queue.async { slot.resume(work()) }
            }
        } onCancel: {
            slot.resume(nil)
        }
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
