import Foundation

/// Values computed once from a policy's term lists and kept for the process: folding keywords is
/// costly and the same lists come back for every system evaluated. A pure function's memo (the
/// value depends on the key alone), bounded: a process that loads many policies keeps the last few.
final class FoldMemo<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()  // guards `values`
    private var values: [Key: Value] = [:]
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// The value kept for `key`, or `make()`'s (run without the lock; two callers may both run it).
    func value(for key: Key, _ make: () -> Value) -> Value {
        if let known = lock.withLock({ values[key] }) { return known }
        let made = make()
        lock.withLock {
            if values.count >= capacity { values.removeAll() }
            values[key] = made
        }
        return made
    }
}
