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
    /// Moves on each time a connection is parked idle: a waiter looks for one to close once per
    /// move (never in a loop while slots change hands), and one that looked while a connection
    /// was being parked looks again instead of sleeping on a stale view.
    private var parked: [[UInt8]: Int] = [:]
    /// Connects waiting for a slot, per address: a connection parked elsewhere wakes none of them.
    private var waiting: [[UInt8]: Int] = [:]
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
        if open[address, default: 0] >= perAddress {
            // Counted as waiting from here: a connection parked while we look is not missed.
            waiting[address, default: 0] += 1
            var looked = -1
            while open[address, default: 0] >= perAddress {
                if looked != parked[address, default: 0] {
                    // The reclaimer closes a socket, whose close hook calls release: never under our lock.
                    looked = parked[address, default: 0]
                    let reclaim = reclaimers
                    condition.unlock()
                    let freed = reclaim.contains { $0(address) }
                    condition.lock()
                    if freed || looked != parked[address, default: 0] { continue }
                }
                condition.wait()
            }
            if waiting[address]! > 1 { waiting[address]! -= 1 } else { waiting[address] = nil; parked[address] = nil }
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
        condition.broadcast()
    }

    /// A connection to `address` became idle (its slot still held): waiters for that address
    /// look again for one to close.
    func nudge(_ address: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        guard waiting[address] != nil else { return }
        parked[address, default: 0] += 1
        condition.broadcast()
    }

    /// Connections open now, over all addresses.
    public var openNow: Int {
        condition.lock()
        defer { condition.unlock() }
        return open.values.reduce(0, +)
    }
}
