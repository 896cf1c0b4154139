import Foundation

/// At most `perAddress` connections open at once to any one IP address, across every probe of a
/// scan: agency sites share a few hosting servers, and a burst of connections trips their
/// firewalls. Blocking: a connect waits here for a slot (probes run on the blocking pool). No
/// probe holds one connection while opening another, so waiting cannot deadlock.
public final class ConnectionGate: @unchecked Sendable {
    public let perAddress: Int
    private let condition = NSCondition()
    private var open: [[UInt8]: Int] = [:]
    /// The most connections seen open at once to one address (for the scan's record and tests).
    public private(set) var peak = 0

    public init(perAddress: Int) {
        precondition(perAddress >= 1, "a gate lets at least one connection through")
        self.perAddress = perAddress
    }

    /// Waits for a slot for `address` (4 or 16 bytes) and takes it.
    func acquire(_ address: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        while open[address, default: 0] >= perAddress { condition.wait() }
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

    /// Connections open now, over all addresses.
    public var openNow: Int {
        condition.lock()
        defer { condition.unlock() }
        return open.values.reduce(0, +)
    }
}
