import Foundation
import GovAuditCore

/// The scan's one resolution step, shared by every probe and every HTTP hop: a name asked for by
/// the DNS, TLS and link probes of one endpoint (they start side by side) is queried once, and
/// the others wait for that answer instead of sending their own. Answers are kept for their TTL
/// (a TTL of 0 is never kept, so rebinding stays visible to whoever asks next); an empty answer
/// or a failed query for a short while, so a name that timed out is not waited for three times;
/// an answer cut by one caller's budget is never kept, since it says nothing about the name.
/// Bounded: past `capacity` entries the expired ones go, then the oldest.
public final class LookupCache: Sendable {
    /// How long an empty answer (NXDOMAIN, NODATA) or a failed query is kept.
    public let negativeLifetime: Duration
    /// The longest an answer is kept, whatever its TTL (a long scan sees a changed record).
    public let maxLifetime: Duration
    /// The most entries kept: the single-flight cache's own bound.
    public var capacity: Int { flights.capacity }

    private let flights: SingleFlightCache<String, Result<DNSAnswer, DNSFailure>>

    public init(negativeLifetime: Duration = .seconds(30), maxLifetime: Duration = .seconds(3600), capacity: Int = 20_000) {
        self.negativeLifetime = negativeLifetime
        self.maxLifetime = maxLifetime
        self.flights = SingleFlightCache(capacity: capacity)
    }

    /// What the cache saved: queries sent, and answers given without a query of their own.
    public var counts: (sent: Int, shared: Int) {
        let c = flights.counts
        return (c.computed, c.shared)
    }

    /// The answer for `name`/`type`: kept, or awaited from a query in flight (until `deadline`),
    /// or from `query`, run here with no lock held.
    func answer(_ name: String, _ type: DNSType, until deadline: Deadline?,
                query: () -> Result<DNSAnswer, DNSFailure>) -> Result<DNSAnswer, DNSFailure> {
        let key = "\(type.rawValue) " + name.lowercased().trimming(".")
        let kept = flights.value(for: key, until: deadline, keep: { self.lifetime(of: $0).map { .lifetime($0) } ?? .no }, compute: query)
        // nil only when the wait outlived the caller's deadline, which is then set.
        return kept ?? .failure(.budgetExhausted(deadline!))
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
}
