import GovAuditCore

/// The moment by which a probe (or a whole endpoint) must be done. Every blocking step takes the
/// smaller of its own timeout and the time left, so a target that answers just slowly enough at
/// every step cannot add up to hours. Monotonic: a change of the wall clock moves nothing.
public struct Deadline: Sendable, Comparable, CustomStringConvertible {
    public let instant: ContinuousClock.Instant
    /// The budget it was made from, for messages ("the TLS probe's 30 s budget").
    public let budget: Duration
    /// Whose budget it is ("the TLS probe", "the endpoint"), for messages.
    public let owner: String

    /// `budget` is what messages name when it is not the time to the deadline (the endpoint's
    /// probes stop a little before its budget ends, so that its watchdog can still collect them).
    public init(after duration: Duration, owner: String, budget: Duration? = nil) {
        self.instant = .now + duration
        self.budget = budget ?? duration
        self.owner = owner
    }

    public init(seconds: Double, owner: String) {
        self.init(after: .milliseconds(Int((seconds * 1000).rounded())), owner: owner)
    }

    /// The earlier of two deadlines (an endpoint's bounds its probes').
    public static func earlier(_ a: Deadline, _ b: Deadline?) -> Deadline {
        guard let b else { return a }
        return b < a ? b : a
    }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.instant < b.instant }
    public static func == (a: Deadline, b: Deadline) -> Bool { a.instant == b.instant }

    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// Milliseconds left, 0 once passed.
    public var remainingMilliseconds: Int {
        let left = instant - ContinuousClock.now
        return left > .zero ? left.wholeMilliseconds : 0
    }

    /// `milliseconds`, or the time left when that is less (0 once passed).
    public func cap(_ milliseconds: Int) -> Int { min(milliseconds, remainingMilliseconds) }

    /// "the TLS probe's 30 s budget"
    public var description: String {
        let (s, atto) = budget.components
        let seconds = Double(s) + Double(atto) / 1e18
        let text = seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
        return "\(owner)'s \(text) s budget"
    }
}
