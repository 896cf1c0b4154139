import Foundation
import GovAuditCore
#if canImport(Glibc)
import Glibc
#endif

/// A connect that did not succeed, as an Error for `Result`. `refusedBy` names the filter's
/// range when the address was not allowed.
struct ConnectFailureOutcome: Error, Equatable {
    var outcome: ConnectOutcome
    var refusedBy: String?
    init(_ outcome: ConnectOutcome, refusedBy: String? = nil) {
        self.outcome = outcome
        self.refusedBy = refusedBy
    }
}

public enum TCP {
    /// A connected socket: close it with `close()`, which also gives its gate slot back.
    struct Socket {
        let fd: Int32
        let address: [UInt8]
        let gate: ConnectionGate?

        func close() {
            _ = Glibc.close(fd)
            gate?.release(address)
        }
    }

    /// One non-blocking connect bounded by `timeoutMilliseconds`, if `filter` allows the address,
    /// once `gate` has a slot for it.
    public static func connect(address: String, port: Int, timeoutMilliseconds: Int, filter: AddressFilter,
                               gate: ConnectionGate? = nil) -> ConnectOutcome {
        switch open(address: address, port: port, timeoutMilliseconds: timeoutMilliseconds, filter: filter, gate: gate) {
        case .success(let socket):
            socket.close()
            return .open
        case .failure(let failure):
            return failure.outcome
        }
    }

    /// A connected socket (non-blocking), or why there is none. The caller closes it. The
    /// filter and the per-address gate are applied here, on the numeric address, for every caller.
    static func open(address: String, port: Int, timeoutMilliseconds: Int, filter: AddressFilter,
                     gate: ConnectionGate?) -> Result<Socket, ConnectFailureOutcome> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &info) == 0, let ai = info else { return .failure(.init(.noRoute)) }
        defer { freeaddrinfo(info) }
        let bytes = socketAddressBytes(ai.pointee.ai_addr)
        if case .refused(let range) = filter.check(bytes) {
            return .failure(.init(.notAllowed, refusedBy: range))
        }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(.init(.noRoute)) }
        gate?.acquire(bytes)
        let socket = Socket(fd: fd, address: bytes, gate: gate)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return .success(socket) }
        var err = errno
        if err == EINPROGRESS {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, Int32(timeoutMilliseconds)) == 1 else { socket.close(); return .failure(.init(.stall)) }
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return .success(socket) }
        }
        socket.close()
        return .failure(.init(classify(err)))
    }

    /// The 4 or 16 address bytes of a socket address (empty for another family: refused).
    static func socketAddressBytes(_ sa: UnsafePointer<sockaddr>?) -> [UInt8] {
        guard let sa else { return [] }
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in withUnsafeBytes(of: p.pointee.sin_addr) { Array($0) } }
        case AF_INET6:
            return sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) } }
        default:
            return []
        }
    }

    static func classify(_ err: Int32) -> ConnectOutcome {
        switch err {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .stall
        case EHOSTUNREACH: .unreachable
        default: .noRoute   // ENETUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT, EPERM (local policy)
        }
    }

    /// Whether this machine has a route for the family: a UDP "connect" to a documentation
    /// address only consults the routing table, it sends nothing.
    public static func hasRoute(ipv6: Bool) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(ipv6 ? "2001:db8::1" : "192.0.2.1", "53", &hints, &info) == 0, let ai = info else { return false }
        defer { freeaddrinfo(info) }
        let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0
    }
}

/// An IPv4 or IPv6 network, for `--allow-net` and the address filter.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let prefix: Int

    public init?(_ text: String) {
        // Empty parts kept: "", "/" and "10.0.0.0/" are refused, not a crash on parts[0].
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let b = CIDR.parse(String(first)) else { return nil }
        let max = b.count * 8
        let p = parts.count == 2 ? Int(parts[1]) : max
        guard let p, (0...max).contains(p) else { return nil }
        bytes = b
        prefix = p
    }

    public var description: String {
        (bytes.count == 4 ? IPAddressText.v4(bytes) : IPAddressText.v6(bytes)) + "/\(prefix)"
    }

    public func contains(_ address: String) -> Bool {
        CIDR.parse(address).map(contains) ?? false
    }

    /// Whether the address given as 4 or 16 bytes is in this network (never across families).
    public func contains(_ a: [UInt8]) -> Bool {
        guard a.count == bytes.count else { return false }
        var left = prefix
        for i in 0..<bytes.count where left > 0 {
            let bits = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a[i] & mask != bytes[i] & mask { return false }
            left -= bits
        }
        return true
    }

    /// The address's bytes (4 or 16), or nil when `s` is not an IP address literal.
    public static func parse(_ s: String) -> [UInt8]? {
        if s.utf8.contains(UInt8(ascii: ":")) {
            var a = in6_addr()
            guard inet_pton(AF_INET6, s, &a) == 1 else { return nil }
            return withUnsafeBytes(of: a) { Array($0) }
        }
        var a = in_addr()
        guard inet_pton(AF_INET, s, &a) == 1 else { return nil }
        return withUnsafeBytes(of: a) { Array($0) }
    }
}
