import Foundation
import GovAuditNet

/// One status check per distinct URL per scan, across every site of the province: agency sites
/// link to the same national portals, and checking them once per site would hammer them. The
/// scan pipeline makes one and hands it to every crawl. Bounded: past `capacity` URLs the oldest
/// are forgotten. A check in flight is waited for (within the waiter's own deadline), not
/// repeated; a check the deadline cut is not remembered (the next site tries again).
public final class LinkCheckCache: Sendable {
    /// What a check found: the final status, or why no answer came.
    public struct Result: Sendable, Equatable {
        public var status: Int?
        public var code: String?
        public init(status: Int?, code: String?) { self.status = status; self.code = code }
    }

    private let flights: SingleFlightCache<String, Result>

    public init(capacity: Int = 50_000) { flights = SingleFlightCache(capacity: capacity) }

    /// The cached result for `url`, or `check()`'s, remembered when `keep` says so. A check in
    /// flight elsewhere is waited for until `deadline`; nil when it passes first.
    func result(for url: String, until deadline: Deadline, keep: @escaping (Result) -> Bool, _ check: () -> Result) -> Result? {
        flights.value(for: url, until: deadline, keep: { keep($0) ? .always : .no }, compute: check)
    }

    /// Checks answered from the cache or from another site's check in flight.
    public var hits: Int { flights.counts.shared }

    /// URLs remembered.
    public var count: Int { flights.count }
}
