import Foundation
import GovAuditCore
#if canImport(Glibc)
import Glibc
#endif

/// Sends hand-built hellos over plain sockets and reads the first record back, every step
/// bounded by `timeoutMilliseconds`.
public struct TLSProber: Sendable {
    public var timeoutMilliseconds: Int
    /// Where connections may go (checked on the address, at connect time).
    public var filter: AddressFilter
    /// How many connections one address may have at once, shared with the rest of the scan.
    public var gate: ConnectionGate?

    public init(timeoutMilliseconds: Int = 5000, filter: AddressFilter, gate: ConnectionGate? = nil) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.filter = filter
        self.gate = gate
    }

    public enum Failure: Error, Equatable, Sendable {
        case timeout, refused, noRoute, closed
        /// The address filter refused the address; the range that refused it.
        case notAllowed(String)
    }

    /// One hello, one reply. Counts as one handshake attempt.
    public func exchange(address: String, port: Int, hello: [UInt8]) -> Result<TLSHello.Reply, Failure> {
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1000)
        let socket: TCP.Socket
        switch TCP.open(address: address, port: port, timeoutMilliseconds: timeoutMilliseconds, filter: filter, gate: gate) {
        case .success(let s): socket = s
        case .failure(let f):
            switch f.outcome {
            case .refused: return .failure(.refused)
            case .stall: return .failure(.timeout)
            case .notAllowed: return .failure(.notAllowed(f.refusedBy ?? "special-purpose range"))
            default: return .failure(.noRoute)
            }
        }
        defer { socket.close() }
        let fd = socket.fd
        func wait(_ events: Int32) -> Bool {
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            var p = pollfd(fd: fd, events: Int16(events), revents: 0)
            return left > 0 && poll(&p, 1, left) == 1
        }
        var sent = 0
        while sent < hello.count {
            guard wait(Int32(POLLOUT)) else { return .failure(.timeout) }
            let n = hello[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return .failure(.closed) }
            sent += n
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let need = TLSHello.neededLength(reply), reply.count >= min(need, 64 * 1024) { break }
            guard wait(Int32(POLLIN)) else { return reply.isEmpty ? .failure(.timeout) : .success(TLSHello.parse(reply)) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return reply.isEmpty ? .failure(.closed) : .success(TLSHello.parse(reply)) }
            reply += buffer[0..<n]
        }
        return .success(TLSHello.parse(reply))
    }

    private func random() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }

    public struct VersionScan: Sendable, Equatable {
        public var offered: [TLSVersion]
        /// Per version, the suites accepted, in the server's order of choice.
        public var suites: [TLSVersion: [UInt16]]
        /// Whether the server imposes its own order (TLS 1.2 and below), per version.
        public var serverOrder: [TLSVersion: Bool]
        /// ECDHE groups accepted with TLS 1.2.
        public var groups: [UInt16]
        public var handshakes: Int
    }

    /// Versions by one hello each, then suites per version by elimination (offer all, drop the
    /// chosen one, repeat), server order preference and groups. A silent or refusing port fails.
    public func scan(address: String, port: Int, serverName: String?) -> Result<VersionScan, Failure> {
        var result = VersionScan(offered: [], suites: [:], serverOrder: [:], groups: [], handshakes: 0)
        for version in TLSVersion.allCases {
            let hello = version == .sslv2 ? TLSHello.clientSSLv2(random: random())
                : TLSHello.client(version: version, suites: CipherSuite.all.filter { $0.usable(with: version) }.map(\.code),
                                  serverName: serverName, random: random())
            result.handshakes += 1
            switch exchange(address: address, port: port, hello: hello) {
            case .failure(let f) where f != .closed:
                return .failure(f)
            case .failure:
                continue    // a server that hangs up on an old hello just does not speak it
            case .success(let reply):
                switch reply {
                case .serverHello(let v, _, _) where v == version: result.offered.append(version)
                case .helloRetry where version == .tls13: result.offered.append(version)
                case .sslv2ServerHello(let kinds) where version == .sslv2 && kinds > 0: result.offered.append(version)
                default: break
                }
            }
        }
        for version in result.offered where version != .sslv2 {
            var remaining = CipherSuite.all.filter { $0.usable(with: version) }.map(\.code)
            var accepted: [UInt16] = []
            while !remaining.isEmpty {
                result.handshakes += 1
                guard case .success(let reply) = exchange(address: address, port: port,
                        hello: TLSHello.client(version: version, suites: remaining, serverName: serverName, random: random())) else { break }
                let chosen: UInt16
                switch reply {
                case .serverHello(let v, _, let s) where v == version: chosen = s
                case .helloRetry(let s) where version == .tls13: chosen = s
                default: chosen = 0
                }
                guard chosen != 0, remaining.contains(chosen) else { break }
                accepted.append(chosen)
                remaining.removeAll { $0 == chosen }
            }
            result.suites[version] = accepted
            if version != .tls13, accepted.count >= 2 {
                result.handshakes += 1
                if case .success(.serverHello(_, _, let s)) = exchange(address: address, port: port,
                        hello: TLSHello.client(version: version, suites: accepted.reversed(), serverName: serverName, random: random())) {
                    result.serverOrder[version] = s == accepted[0]
                }
            }
        }
        let ecdhe = (result.suites[.tls12] ?? []).filter { CipherSuite.named($0)?.keyExchange.hasPrefix("ECDHE") ?? false }
        if !ecdhe.isEmpty {
            for group in TLSHello.defaultGroups where group != 0x0100 {
                result.handshakes += 1
                if case .success(.serverHello(let v, _, _)) = exchange(address: address, port: port,
                        hello: TLSHello.client(version: .tls12, suites: ecdhe, serverName: serverName, groups: [group], random: random())),
                   v == .tls12 {
                    result.groups.append(group)
                }
            }
        }
        return .success(result)
    }
}
