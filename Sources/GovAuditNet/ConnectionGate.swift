import Foundation

/// At most `perAddress` connections open at once to any one IP address, across every probe of a
/// scan: agency sites share a few hosting servers, and a burst of connections trips their
/// firewalls. Blocking: a connect waits here for a slot (probes run on the blocking pool). No
/// probe holds one connection while opening another, so waiting cannot deadlock; idle kept-alive
/// HTTP connections do hold slots, and a connect that finds none free first asks their pools to
/// close one (`reclaimers`).
public final class ConnectionGate: @unchecked Sendable {
    public let perAddress: Int
    private let condition = NSCondition()
    private var open: [[UInt8]: Int] = [:]
    /// Each closes one idle connection to an address and says whether it did.
    private var reclaimers: [@Sendable ([UInt8]) -> Bool] = []
    /// Moves on at every release and nudge: a waiter that looked for idle connections while one
    /// was parked does not go to sleep on a stale view.
    private var generation = 0
    /// The most connections seen open at once to one address (for the scan's record and tests).
    public private(set) var peak = 0

    public init(perAddress: Int) {
        precondition(perAddress >= 1, "a gate lets at least one connection through")
        self.perAddress = perAddress
    }

    /// Lets a pool of idle connections give slots back on demand.
    func addReclaimer(_ reclaim: @escaping @Sendable ([UInt8]) -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        reclaimers.append(reclaim)
    }

    /// Waits for a slot for `address` (4 or 16 bytes) and takes it; an idle connection to it is
    /// closed rather than waited for.
    func acquire(_ address: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        while open[address, default: 0] >= perAddress {
            // The reclaimer closes a socket, whose close hook calls release: never under our lock.
            let seen = generation, reclaim = reclaimers
            condition.unlock()
            let freed = reclaim.contains { $0(address) }
            condition.lock()
            if freed || generation != seen { continue }
            condition.wait()
        }
        open[address, default: 0] += 1
        peak = max(peak, open[address]!)
    }

    /// Gives the slot back.
    func release(_ address: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        let n = open[address, default: 1] - 1
        open[address] = n > 0 ? n : nil
        generation += 1
        condition.broadcast()
    }

    /// A connection became idle (its slot still held): waiters look again for one to close.
    func nudge() {
        condition.lock()
        defer { condition.unlock() }
        generation += 1
        condition.broadcast()
    }

    /// Connections open now, over all addresses.
    public var openNow: Int {
        condition.lock()
        defer { condition.unlock() }
        return open.values.reduce(0, +)
    }
}
