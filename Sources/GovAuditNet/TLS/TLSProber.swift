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
        /// The probe's deadline came first; what was done by then.
        case budgetExhausted(String)
        /// The port answered, but not with TLS.
        case malformed(Malformation)
    }

    /// How a reply failed to be TLS.
    public enum Malformation: Equatable, Sendable {
        /// Bytes that are no TLS record and no SSLv2 message (an HTTP server, say): the first ones.
        case notTLS([UInt8])
        /// The connection closed inside the first record.
        case truncated(received: Int, expected: Int)
        /// A record header announcing more than a TLS record may hold (2^14 + 2048 bytes).
        case oversized(length: Int)
        /// The first record was still incomplete when the step's timeout came (a trickle).
        case tooSlow(received: Int, expected: Int)
        /// The server chose a suite the hello did not offer (RFC 8446 §4.1.3 says abort).
        case unofferedSuite(UInt16)
    }

    /// One hello, one reply. Counts as one handshake attempt. Each step waits at most
    /// `timeoutMilliseconds`, and never past `deadline`.
    public func exchange(address: String, port: Int, hello: [UInt8], deadline: Deadline? = nil) -> Result<TLSHello.Reply, Failure> {
        let own = Deadline(after: .milliseconds(timeoutMilliseconds), owner: "the hello")
        let stepEnd = Deadline.earlier(own, deadline)
        /// A wait that ran out: the probe's budget when that is what ended it.
        func ranOut(_ otherwise: Failure) -> Failure {
            if let deadline, deadline.hasPassed { return .budgetExhausted("\(deadline) ran out waiting for \(address):\(port)") }
            return otherwise
        }
        guard stepEnd.remainingMilliseconds > 0 else { return .failure(ranOut(.timeout)) }
        let socket: TCP.Socket
        switch TCP.open(address: address, port: port, timeoutMilliseconds: stepEnd.remainingMilliseconds, filter: filter, gate: gate) {
        case .success(let s): socket = s
        case .failure(let f):
            switch f.outcome {
            case .refused: return .failure(.refused)
            case .stall: return .failure(ranOut(.timeout))
            case .notAllowed: return .failure(.notAllowed(f.refusedBy ?? "special-purpose range"))
            default: return .failure(.noRoute)
            }
        }
        defer { socket.close() }
        let fd = socket.fd
        func wait(_ events: Int32) -> Bool {
            let left = Int32(stepEnd.remainingMilliseconds)
            var p = pollfd(fd: fd, events: Int16(events), revents: 0)
            return left > 0 && poll(&p, 1, left) == 1
        }
        var sent = 0
        while sent < hello.count {
            guard wait(Int32(POLLOUT)) else { return .failure(ranOut(.timeout)) }
            let n = hello[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return .failure(.closed) }
            sent += n
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let problem = TLSHello.framingProblem(reply) { return .failure(.malformed(problem)) }
            if let need = TLSHello.neededLength(reply), reply.count >= need { break }
            let expected = TLSHello.neededLength(reply) ?? 5
            guard wait(Int32(POLLIN)) else {
                return .failure(ranOut(reply.isEmpty ? .timeout : .malformed(.tooSlow(received: reply.count, expected: expected))))
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return .failure(reply.isEmpty ? .closed : .malformed(.truncated(received: reply.count, expected: expected))) }
            reply += buffer[0..<n]
        }
        let parsed = TLSHello.parse(reply)
        if parsed == .unexpected { return .failure(.malformed(.notTLS(Array(reply.prefix(8))))) }
        return .success(parsed)
    }

    /// The hellos' order: the versions every live server answers first, the old ones last.
    static let versionOrder: [TLSVersion] = [.tls12, .tls13, .tls11, .tls10, .sslv3, .sslv2]

    func random() -> [UInt8] { TLSHello.clientRandom() }

    public struct VersionScan: Sendable, Equatable {
        public var offered: [TLSVersion]
        /// Per version, the suites accepted, in the server's order of choice.
        public var suites: [TLSVersion: [UInt16]]
        /// Whether the server imposes its own order (TLS 1.2 and below), per version.
        public var serverOrder: [TLSVersion: Bool]
        /// ECDHE groups accepted with TLS 1.2.
        public var groups: [UInt16]
        public var handshakes: Int
        /// Versions whose hello got no answer at all (a timeout or a refusal) while others were
        /// answered: not offered as far as anyone can tell, but not seen refused either.
        public var unanswered: [TLSVersion: Failure] = [:]
        /// Versions whose suite enumeration a failed hello stopped: their suite list may be short.
        public var cutShort: [TLSVersion: Failure] = [:]
        /// Why the group enumeration stopped early, when it did: the group list may be short.
        public var groupsCutShort: Failure?
    }

    /// How a hello that got no usable answer ends an enumeration: `nil` when it is the server's
    /// normal "none of those" (an alert, a hang-up, another version), else the failure.
    static func enumerationFailure(_ answer: Result<TLSHello.Reply, Failure>) -> Failure? {
        switch answer {
        case .failure(.closed), .success: nil
        case .failure(let f): f
        }
    }

    /// The suite a reply chose for `version`; 0 when it chose none for it (another version).
    static func suite(chosenIn reply: TLSHello.Reply, for version: TLSVersion) -> UInt16 {
        switch reply {
        case .serverHello(let v, _, let s) where v == version: s
        case .helloRetry(let s) where version == .tls13: s
        default: 0
        }
    }

    /// handshake_failure: the server's "no suite of these", as OpenSSL, GnuTLS and others say it.
    static func noSharedSuite(_ answer: Result<TLSHello.Reply, Failure>) -> Bool {
        if case .success(.alert(_, 40)) = answer { return true }
        return false
    }

    /// Versions by one hello each (`versions`), then suites per version by elimination (offer
    /// all, drop the chosen one, repeat), server order preference and groups. A silent or
    /// refusing port fails; so does one that answers no hello with TLS (garbage, truncated or
    /// oversized records, a trickle) or hangs up on every one. Nothing runs past `deadline`:
    /// what was done by then is said in the failure.
    /// `known`: the versions already probed (an address's fingerprint), not asked again.
    public func scan(address: String, port: Int, serverName: String?, deadline: Deadline,
                     known: VersionProbe? = nil) -> Result<VersionScan, Failure> {
        let probe: VersionProbe
        if let known { probe = known } else {
            switch versions(address: address, port: port, serverName: serverName, deadline: deadline) {
            case .failure(let f): return .failure(f)
            case .success(let p): probe = p
            }
        }
        var result = VersionScan(offered: probe.offered, suites: [:], serverOrder: [:], groups: [], handshakes: probe.handshakes,
                                 unanswered: probe.unanswered)
        func progress(_ step: String) -> Failure {
            .budgetExhausted("\(deadline) ran out \(step) after \(result.handshakes) handshakes"
                + (result.offered.isEmpty ? "" : " (offered so far: \(result.offered.map(\.name).joined(separator: " ")))"))
        }
        func send(_ hello: [UInt8]) -> Result<TLSHello.Reply, Failure> {
            result.handshakes += 1
            return exchange(address: address, port: port, hello: hello, deadline: deadline)
        }
        var retries = probe.retriesShareless     // a share-less TLS 1.3 hello got a HelloRetryRequest here
        // One elimination step's hello, offering every suite still `remaining` (in chunks where a
        // server refuses long lists). TLS 1.3 asks without a key share: the server names its suite
        // in a HelloRetryRequest and makes neither a key nor a signature. Until it has done so
        // once, any other answer is asked again with a share (a server that mishandles share-less
        // hellos).
        func ask(_ version: TLSVersion, _ remaining: [UInt16]) -> Result<TLSHello.Reply, Failure> {
            let hello = { (offered: [UInt16]) in
                send(TLSHello.client(version: version, suites: offered, serverName: serverName, random: random()))
            }
            guard version == .tls13 else { return Self.inChunks(remaining, first: hello(remaining), send: hello) }
            let answer = send(TLSHello.client(version: version, suites: remaining, serverName: serverName, keyShares: [],
                                              random: random()))
            if case .success(.helloRetry) = answer { retries = true; return answer }
            if retries && Self.noSharedSuite(answer) { return answer }
            return Self.inChunks(remaining, first: hello(remaining), send: hello)
        }
        for version in result.offered where version != .sslv2 {
            var remaining = CipherSuite.all.filter { $0.usable(with: version) }.map(\.code)
            var accepted: [UInt16] = []
            // The version's own hello offered every usable suite, as the elimination's first one
            // would: the suite it chose is that step's answer, not asked for again.
            var first = probe.chosen[version]
            while !remaining.isEmpty {
                let chosen: UInt16
                if let known = first {
                    chosen = known
                    first = nil
                } else {
                    let answer = ask(version, remaining)
                    if case .failure(.budgetExhausted) = answer { return .failure(progress("while the suites of \(version.name) were probed")) }
                    if let failure = Self.enumerationFailure(answer) {
                        result.cutShort[version] = failure     // the list so far, said to be short
                        break
                    }
                    guard case .success(let reply) = answer else { break }
                    chosen = Self.suite(chosenIn: reply, for: version)
                }
                guard chosen != 0 else { break }
                guard remaining.contains(chosen) else {
                    result.cutShort[version] = .malformed(.unofferedSuite(chosen))
                    break
                }
                accepted.append(chosen)
                remaining.removeAll { $0 == chosen }
            }
            result.suites[version] = accepted
            if version != .tls13, accepted.count >= 2 {
                switch send(TLSHello.client(version: version, suites: accepted.reversed(), serverName: serverName, random: random())) {
                case .success(.serverHello(_, _, let s)): result.serverOrder[version] = s == accepted[0]
                case .failure(.budgetExhausted): return .failure(progress("while the order of \(version.name) was probed"))
                default: break
                }
            }
        }
        let ecdhe = (result.suites[.tls12] ?? []).filter { CipherSuite.named($0)?.keyExchange.hasPrefix("ECDHE") ?? false }
        if !ecdhe.isEmpty {
            for group in TLSHello.defaultGroups where group != 0x0100 {
                let answer = send(TLSHello.client(version: .tls12, suites: ecdhe, serverName: serverName, groups: [group], random: random()))
                switch answer {
                case .success(.serverHello(let v, _, _)) where v == .tls12: result.groups.append(group)
                case .failure(.budgetExhausted): return .failure(progress("while the groups were probed"))
                default: result.groupsCutShort = result.groupsCutShort ?? Self.enumerationFailure(answer)
                }
            }
        }
        return .success(result)
    }
}
