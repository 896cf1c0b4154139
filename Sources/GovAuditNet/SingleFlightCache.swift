import Foundation

/// A scan-wide cache in which each key is computed once: a caller asking for a key that another
/// caller is computing waits for that result instead of computing it again, but never past its
/// own deadline. What is kept, and for how long, is the caller's to say (`Keep`): a result cut by
/// one caller's budget says nothing about the key and is not kept, so a waiter then computes it
/// for itself. Bounded: past `capacity` entries the expired ones go, then the oldest.
/// Both the DNS lookups (`LookupCache`) and the link checks (`LinkCheckCache`) use it.
public final class SingleFlightCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    /// How long a computed value is kept.
    public enum Keep: Sendable, Equatable {
        case no
        case lifetime(Duration)
        /// Until the cache is trimmed or dropped (a scan's own cache).
        case always
    }

    public let capacity: Int

    private enum Entry {
        case inFlight
        case done(Value, expires: ContinuousClock.Instant?, order: Int)
    }
    private let condition = NSCondition()  // guards everything below
    private var entries: [Key: Entry] = [:]
    private var counter = 0
    private var computed = 0, shared = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Values computed here / values given without computing (kept, or awaited from another caller).
    public var counts: (computed: Int, shared: Int) {
        condition.lock(); defer { condition.unlock() }
        return (computed, shared)
    }

    /// Entries kept (in flight included).
    public var count: Int {
        condition.lock(); defer { condition.unlock() }
        return entries.count
    }

    /// The value for `key`: kept, or awaited from a computation in flight (until `deadline`; nil
    /// when it passes first), or from `compute`, run here with no lock held and kept as `keep`
    /// says. Without a deadline a waiter waits as long as the computation takes.
    public func value(for key: Key, until deadline: Deadline?, keep: (Value) -> Keep, compute: () -> Value) -> Value? {
        condition.lock()
        while true {
            switch entries[key] {
            case .done(let value, let expires, _) where expires.map({ ContinuousClock.now < $0 }) ?? true:
                shared += 1
                condition.unlock()
                return value
            case .inFlight:
                // (Foundation on Linux traps on `wait(until: .distantFuture)`: no deadline, plain wait.)
                guard let deadline else { condition.wait(); continue }
                let limit = Date(timeIntervalSinceNow: Double(deadline.remainingMilliseconds) / 1000)
                if !condition.wait(until: limit), deadline.hasPassed {
                    condition.unlock()
                    return nil
                }
                continue
            default:
                break
            }
            break
        }
        entries[key] = .inFlight
        computed += 1
        condition.unlock()

        let value = compute()

        condition.lock()
        counter += 1
        switch keep(value) {
        case .lifetime(let d) where d > .zero: entries[key] = .done(value, expires: .now + d, order: counter)
        case .always: entries[key] = .done(value, expires: nil, order: counter)
        default: entries[key] = nil  // a waiter then computes for itself
        }
        trim()
        condition.broadcast()
        condition.unlock()
        return value
    }

    /// Called with the lock held, after an insertion; trims to 90% so that it runs rarely.
    private func trim() {
        guard entries.count > capacity else { return }
        let now = ContinuousClock.now
        entries = entries.filter { if case .done(_, let expires?, _) = $0.value { expires > now } else { true } }
        guard entries.count > capacity else { return }
        let oldest = entries.compactMap { key, entry -> (Key, Int)? in
            if case .done(_, _, let order) = entry { (key, order) } else { nil }
        }.sorted { $0.1 < $1.1 }.prefix(entries.count - capacity * 9 / 10)
        for (key, _) in oldest { entries[key] = nil }
    }
}
