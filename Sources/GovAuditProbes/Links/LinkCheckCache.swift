import Foundation

/// One status check per distinct URL per scan, across every site of the province: agency sites
/// link to the same national portals, and checking them once per site would hammer them. The
/// scan pipeline makes one and hands it to every crawl. Bounded: past `capacity` URLs, checks
/// run without being remembered. A check in flight is waited for, not repeated; a check the
/// deadline cut is not remembered (the next site tries again).
public final class LinkCheckCache: @unchecked Sendable {
    /// What a check found: the final status, or why no answer came.
    public struct Result: Sendable, Equatable {
        public var status: Int?
        public var code: String?
        public init(status: Int?, code: String?) { self.status = status; self.code = code }
    }

    public let capacity: Int
    private let condition = NSCondition()
    private var done: [String: Result] = [:]
    private var inFlight: Set<String> = []
    /// Checks answered from the cache (for the scan's record and tests).
    public private(set) var hits = 0

    public init(capacity: Int = 50_000) { self.capacity = capacity }

    /// The cached result for `url`, or `check()`'s, remembered when `keep` says so.
    func result(for url: String, keep: (Result) -> Bool, _ check: () -> Result) -> Result {
        condition.lock()
        while inFlight.contains(url) { condition.wait() }
        if let r = done[url] {
            hits += 1
            condition.unlock()
            return r
        }
        let remember = done.count + inFlight.count < capacity
        if remember { inFlight.insert(url) }
        condition.unlock()
        let r = check()
        guard remember else { return r }
        condition.lock()
        inFlight.remove(url)
        if keep(r) { done[url] = r }
        condition.broadcast()
        condition.unlock()
        return r
    }

    /// URLs remembered.
    public var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return done.count
    }
}
