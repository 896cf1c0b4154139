import Foundation

/// The scan's one resolution step, shared by every probe and every HTTP hop: a name asked for by
/// the DNS, TLS and link probes of one endpoint (they start side by side) is queried once, and
/// the others wait for that answer instead of sending their own. Answers are kept for their TTL
/// (a TTL of 0 is never kept, so rebinding stays visible to whoever asks next); an empty answer
/// or a failed query for a short while, so a name that timed out is not waited for three times;
/// an answer cut by one caller's budget is never kept, since it says nothing about the name.
/// Bounded: past `capacity` entries the expired ones go, then the oldest.
public final class LookupCache: @unchecked Sendable {
    /// How long an empty answer (NXDOMAIN, NODATA) or a failed query is kept.
    public let negativeLifetime: Duration
    /// The longest an answer is kept, whatever its TTL (a long scan sees a changed record).
    public let maxLifetime: Duration
    public let capacity: Int

    private enum Entry {
        case inFlight
        case done(Result<DNSAnswer, DNSFailure>, expires: ContinuousClock.Instant, order: Int)
    }
    private let condition = NSCondition()  // guards everything below
    private var entries: [String: Entry] = [:]
    private var counter = 0
    /// Queries sent / answers served from the cache or from another caller's query in flight.
    private var sent = 0, shared = 0

    public init(negativeLifetime: Duration = .seconds(30), maxLifetime: Duration = .seconds(3600), capacity: Int = 20_000) {
        self.negativeLifetime = negativeLifetime
        self.maxLifetime = maxLifetime
        self.capacity = max(1, capacity)
    }

    /// What the cache saved: queries sent, and answers given without a query of their own.
    public var counts: (sent: Int, shared: Int) {
        condition.lock(); defer { condition.unlock() }
        return (sent, shared)
    }

    /// The answer for `name`/`type`: kept, or awaited from a query in flight (until `deadline`),
    /// or from `query`, run here with no lock held.
    func answer(_ name: String, _ type: DNSType, until deadline: Deadline?,
                query: () -> Result<DNSAnswer, DNSFailure>) -> Result<DNSAnswer, DNSFailure> {
        let key = "\(type.rawValue) " + name.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        condition.lock()
        while true {
            switch entries[key] {
            case .done(let result, let expires, _) where ContinuousClock.now < expires:
                shared += 1
                condition.unlock()
                return result
            case .inFlight:
                // (Foundation on Linux traps on `wait(until: .distantFuture)`: no deadline, plain wait.)
                guard let deadline else { condition.wait(); continue }
                let limit = Date(timeIntervalSinceNow: Double(deadline.remainingMilliseconds) / 1000)
                if !condition.wait(until: limit), deadline.hasPassed {
                    condition.unlock()
                    return .failure(.budgetExhausted(deadline))
                }
                continue
            default:
                break
            }
            break
        }
        entries[key] = .inFlight
        sent += 1
        condition.unlock()

        let result = query()

        condition.lock()
        if let lifetime = lifetime(of: result), lifetime > .zero {
            counter += 1
            entries[key] = .done(result, expires: .now + lifetime, order: counter)
            trim()
        } else {
            entries[key] = nil  // a waiter then queries for itself
        }
        condition.broadcast()
        condition.unlock()
        return result
    }

    private func lifetime(of result: Result<DNSAnswer, DNSFailure>) -> Duration? {
        switch result {
        case .failure(.budgetExhausted): return nil
        case .failure: return negativeLifetime
        case .success(let answer):
            guard let ttl = answer.records.map(\.ttl).min() else { return negativeLifetime }
            return min(.seconds(Int(ttl)), maxLifetime)
        }
    }

    /// Called with the lock held, after an insertion; trims to 90% so that it runs rarely.
    private func trim() {
        guard entries.count > capacity else { return }
        let now = ContinuousClock.now
        entries = entries.filter { if case .done(_, let expires, _) = $0.value { expires > now } else { true } }
        guard entries.count > capacity else { return }
        let oldest = entries.compactMap { key, entry -> (String, Int)? in
            if case .done(_, _, let order) = entry { (key, order) } else { nil }
        }.sorted { $0.1 < $1.1 }.prefix(entries.count - capacity * 9 / 10)
        for (key, _) in oldest { entries[key] = nil }
    }
}
