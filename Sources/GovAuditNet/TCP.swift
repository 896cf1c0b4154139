import Foundation
import GovAuditCore
#if canImport(Glibc)
import Glibc
#endif

/// A connect that did not succeed, as an Error for `Result`.
struct ConnectFailureOutcome: Error, Equatable {
    var outcome: ConnectOutcome
    init(_ outcome: ConnectOutcome) { self.outcome = outcome }
}

public enum TCP {
    /// One non-blocking connect bounded by `timeoutMilliseconds`.
    public static func connect(address: String, port: Int, timeoutMilliseconds: Int) -> ConnectOutcome {
        switch open(address: address, port: port, timeoutMilliseconds: timeoutMilliseconds) {
        case .success(let fd):
            close(fd)
            return .open
        case .failure(let failure):
            return failure.outcome
        }
    }

    /// A connected socket (non-blocking), or why there is none. The caller closes it.
    static func open(address: String, port: Int, timeoutMilliseconds: Int) -> Result<Int32, ConnectFailureOutcome> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &info) == 0, let ai = info else { return .failure(.init(.noRoute)) }
        defer { freeaddrinfo(info) }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(.init(.noRoute)) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return .success(fd) }
        var err = errno
        if err == EINPROGRESS {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, Int32(timeoutMilliseconds)) == 1 else { close(fd); return .failure(.init(.stall)) }
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return .success(fd) }
        }
        close(fd)
        return .failure(.init(classify(err)))
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
        guard let a = CIDR.parse(address), a.count == bytes.count else { return false }
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
        if s.contains(":") {
            var a = in6_addr()
            guard inet_pton(AF_INET6, s, &a) == 1 else { return nil }
            return withUnsafeBytes(of: a) { Array($0) }
        }
        var a = in_addr()
        guard inet_pton(AF_INET, s, &a) == 1 else { return nil }
        return withUnsafeBytes(of: a) { Array($0) }
    }

    /// Loopback, private (RFC 1918, ULA), link-local, CGNAT and unspecified networks: where a
    /// scanner must not go unless told to.
    public static let nonPublic: [CIDR] = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                           "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8", "::1/128", "::/128",
                                           "fc00::/7", "fe80::/10"].compactMap(CIDR.init)
}
