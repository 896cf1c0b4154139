import Dispatch
import Foundation

/// Blocking work for several items at once, each on a thread of its own: connects and fetches
/// wait rather than compute, so they must not be bounded by the number of cores. The callers
/// keep the item lists small (a bound per probe); the per-address gate still applies inside.
public enum Concurrently {
    /// `body` for every item, results in the order of `items`.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(body) }
        let slots = Slots<R>(count: items.count)
        let group = DispatchGroup()
        // Threads of their own: Dispatch's shared pool grows slowly past the number of cores
        // while its threads block, which would turn "at once" into "a few at a time".
        for (i, item) in items.enumerated() {
            group.enter()
            Thread.detachNewThread {
                slots.set(i, body(item))
                group.leave()
            }
        }
        group.wait()
        return slots.values
    }

    /// Slots filled from several threads, read once all are done.
    private final class Slots<R>: @unchecked Sendable {
        private var slots: [R?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: R) { lock.withLock { slots[i] = value } }
        var values: [R] { lock.withLock { slots.map { $0! } } }
    }
}
