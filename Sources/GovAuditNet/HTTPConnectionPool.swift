import Foundation
import GovAuditCore

/// What a kept HTTP connection may be reused for: the same scheme, host, port, pinned address and
/// family, the same TLS settings, under the same address filter and connection gate. libcurl alone would reuse a connection by host name and port,
/// so a request pinned to another address of the same name (the IPv6 side of the IPv4/IPv6
/// comparison, a re-resolved name) could ride a connection to the first address; keyed here, a
/// connection only ever carries requests for the address it was opened to, which the address
/// filter checked when the socket was made.
struct HTTPConnectionKey: Hashable, Sendable {
    var scheme: String
    var host: String
    var port: Int
    /// The address the request is pinned to, as 4 or 16 bytes (one form per address).
    var address: [UInt8]
    var family: AddressFamily
    var verifyTLS: Bool
    var caFile: String?
    /// The handle's socket hook applies this filter and gate (a client copy may change them).
    var filter: AddressFilter
    var gate: ObjectIdentifier?
}

/// Idle libcurl handles with their kept connections, per connection key, shared by every copy of
/// one `HTTPClient` (so by every probe of a scan). A fetch takes a handle for its key (or gets a
/// new one) and gives it back when the transfer ended cleanly; any failure drops the handle and
/// its connection. Idle connections still count against the per-address gate (they are open
/// connections), so the gate asks the pool to close one before it makes a connect wait. Bounded:
/// `perKey` idle handles per key, `capacity` in all, none older than `maxIdle`.
final class HTTPConnectionPool: @unchecked Sendable {
    let perKey: Int
    let capacity: Int
    let maxIdle: Duration

    private struct Idle {
        var handle: CurlHandle
        var since: ContinuousClock.Instant
    }
    private let lock = NSLock()  // guards everything below
    private var idle: [HTTPConnectionKey: [Idle]] = [:]
    private var idleCount = 0
    private var reused = 0, made = 0

    /// The gates whose slots idle handles of this pool hold, each told how to reclaim them.
    private var gates: Set<ObjectIdentifier> = []

    init(perKey: Int = 2, capacity: Int = 48, maxIdle: Duration = .seconds(10)) {
        self.perKey = max(1, perKey)
        self.capacity = max(1, capacity)
        self.maxIdle = maxIdle
    }

    /// A handle for `key`: the most recently used idle one, or nil (the caller makes one).
    func take(_ key: HTTPConnectionKey) -> CurlHandle? {
        var expired: [CurlHandle] = []
        defer { withExtendedLifetime(expired) {} }  // closed here, outside the lock
        return lock.withLock {
            let now = ContinuousClock.now
            while var list = idle[key], let last = list.popLast() {
                idle[key] = list.isEmpty ? nil : list
                idleCount -= 1
                if now - last.since > maxIdle { expired.append(last.handle); continue }
                reused += 1
                return last.handle
            }
            made += 1
            return nil
        }
    }

    /// Gives `handle` back after a clean transfer for `key`, its sockets holding slots of `gate`;
    /// past a bound, the longest idle goes.
    func put(_ key: HTTPConnectionKey, _ handle: CurlHandle, gate: ConnectionGate?) {
        var dropped: [CurlHandle] = []
        var newGate = false
        defer {
            withExtendedLifetime(dropped) {}
            if newGate, let gate {
                let id = ObjectIdentifier(gate)
                gate.addReclaimer { [weak self] address in self?.closeIdle(to: address, gate: id) ?? false }
            }
            // A connect waiting for a slot this idle connection holds may now close it.
            gate?.nudge(key.address)
        }
        lock.withLock {
            if let gate { newGate = gates.insert(ObjectIdentifier(gate)).inserted }
            var list = idle[key, default: []]
            list.append(Idle(handle: handle, since: .now))
            idleCount += 1
            if list.count > perKey {
                dropped.append(list.removeFirst().handle)
                idleCount -= 1
            }
            idle[key] = list
            if idleCount > capacity, let oldest = idle.min(by: { $0.value[0].since < $1.value[0].since })?.key {
                var list = idle[oldest]!
                dropped.append(list.removeFirst().handle)
                idle[oldest] = list.isEmpty ? nil : list
                idleCount -= 1
            }
        }
    }

    /// Closes one idle connection to `address` (4 or 16 bytes) holding a slot of `gate`, the
    /// longest idle, so the gate can give its slot to a connect that would otherwise wait. False
    /// when the pool holds none.
    func closeIdle(to address: [UInt8], gate: ObjectIdentifier) -> Bool {
        let handle: CurlHandle? = lock.withLock {
            var best: (key: HTTPConnectionKey, index: Int, since: ContinuousClock.Instant)?
            for (key, list) in idle where key.gate == gate {
                for (i, entry) in list.enumerated() where entry.handle.openAddresses.contains(address) {
                    if best == nil || entry.since < best!.since { best = (key, i, entry.since) }
                }
            }
            guard let best else { return nil }
            var list = idle[best.key]!
            let entry = list.remove(at: best.index)
            idle[best.key] = list.isEmpty ? nil : list
            idleCount -= 1
            return entry.handle
        }
        // Released here, with no lock held: libcurl closes the socket and the gate gets its slot.
        return handle != nil
    }

    /// Handles reused and handles made (each made one opened at least one connection).
    var counts: (reused: Int, made: Int) {
        lock.withLock { (reused, made) }
    }
}
