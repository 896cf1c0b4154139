import COpenSSLShim
import Foundation
import GovAuditCore

/// The certificate side of TLS, through one full OpenSSL handshake: the chain as sent (every
/// certificate read), its verification against the system store plus `--ca-file` at level 0 and
/// at OpenSSL's default level, the host as browsers match it, the stapled OCSP response, SCTs.
public struct TLSInspector: Sendable {
    public var caFile: String?
    public var timeoutMilliseconds: Int
    /// Where connections may go (checked on the address, at connect time).
    public var filter: AddressFilter
    /// How many connections one address may have at once, shared with the rest of the scan.
    public var gate: ConnectionGate?

    public init(caFile: String?, timeoutMilliseconds: Int = 5000, filter: AddressFilter, gate: ConnectionGate? = nil) {
        self.caFile = caFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.filter = filter
        self.gate = gate
    }

    /// Which certificates the client says it can verify.
    public enum Keys: Sendable { case any, rsa, ecdsa }

    public struct Verification: Sendable, Equatable {
        public var result: Int
        public var error: String
        public var securityLevel: Int
    }

    public struct Report: Sendable, Equatable {
        public var protocolVersion: String
        public var cipher: String
        /// Every certificate as sent, leaf first (never empty: anonymous suites are not offered).
        public var chain: [X509Certificate]
        /// Security level 0: whether a path to a trusted root exists, sizes aside.
        public var path: Verification
        /// OpenSSL's default level: what a stock client says.
        public var defaultLevel: Verification
        public var hostnameMatches: Bool
        /// The stapled OCSP response; nil when none was stapled.
        public var ocsp: OCSPResponse?
        public var signedCertificateTimestamps: Int
        /// The TLS 1.3 tickets that came after the handshake, when they were asked for
        /// (`ticketWaitMilliseconds`) and the handshake was TLS 1.3; nil otherwise.
        public var earlyData: TLSProtocolFeatures.EarlyData?

        public var leaf: X509Certificate { chain[0] }
    }

    public enum Failure: Error, Equatable, Sendable {
        case connect(ConnectOutcome)
        case handshake(String)
        /// The server went silent for the step timeout in the middle of the handshake.
        case timeout(bytesReceived: Int)
        /// The deadline came before the handshake completed (a server trickling its records).
        case budgetExhausted(Deadline, bytesReceived: Int)
    }

    /// `serverName` nil sends no SNI (to see what a client without SNI gets, or for an IP
    /// literal). `keys` limits the signature algorithms and suites offered to one key type. The
    /// handshake waits at most `timeoutMilliseconds` for each step of the server, and never past
    /// `deadline` (by default four step timeouts from now). With `ticketWaitMilliseconds`, a
    /// TLS 1.3 handshake then waits that long at most for the server's tickets (`earlyData`).
    public func inspect(address: String, port: Int, serverName: String?, hostname: String, keys: Keys = .any,
                        ticketWaitMilliseconds: Int? = nil, deadline: Deadline? = nil) -> Result<Report, Failure> {
        handshake(address: address, port: port, serverName: serverName, keys: keys, ticketWaitMilliseconds: ticketWaitMilliseconds,
                  deadline: deadline) { session, tickets in
            let chain = (0..<Int(ga_tls_peer_count(session))).compactMap { Self.certificate(session, $0) }
            guard let leaf = chain.first else { return .failure(.handshake("the server sent no certificate OpenSSL can read")) }
            func verify(_ level: Int32) -> Verification {
                var text = [CChar](repeating: 0, count: 160)
                let result = ga_tls_verify(session, level, &text, text.count)
                return Verification(result: Int(result), error: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), securityLevel: Int(level))
            }
            var ocspLength = 0
            let ocsp = ga_tls_ocsp(session, &ocspLength).map { bytes in
                OCSPResponse(der: Array(UnsafeBufferPointer(start: bytes, count: ocspLength)), leaf: leaf, issuer: chain.dropFirst().first)
            }
            return .success(Report(
                protocolVersion: String(cString: ga_tls_protocol(session)), cipher: String(cString: ga_tls_cipher(session)), chain: chain,
                path: verify(0), defaultLevel: verify(Self.defaultSecurityLevel), hostnameMatches: leaf.matches(host: hostname),
                ocsp: ocsp, signedCertificateTimestamps: Int(ga_tls_sct_count(session)),
                earlyData: tickets.read == 1 ? .init(tickets: Int(tickets.tickets), maxEarlyData: Int(tickets.max_early_data)) : nil))
        }
    }

    /// The same handshake, for its leaf alone (the certificate a client without SNI gets, an
    /// address's leaf to compare): the rest of the chain is not read and nothing is verified.
    public func leaf(address: String, port: Int, serverName: String?, deadline: Deadline? = nil) -> Result<X509Certificate, Failure> {
        handshake(address: address, port: port, serverName: serverName, keys: .any, ticketWaitMilliseconds: nil, deadline: deadline) { session, _ in
            // The first certificate that reads, as `inspect`'s chain begins.
            guard let leaf = (0..<Int(ga_tls_peer_count(session))).lazy.compactMap({ Self.certificate(session, $0) }).first else {
                return .failure(.handshake("the server sent no certificate OpenSSL can read"))
            }
            return .success(leaf)
        }
    }

    private static func certificate(_ session: OpaquePointer, _ i: Int) -> X509Certificate? {
        var length = 0
        guard let bytes = ga_tls_peer_der(session, Int32(i), &length) else { return nil }
        return X509Certificate(der: Array(UnsafeBufferPointer(start: bytes, count: length)))
    }

    /// One handshake, bounded as `inspect` says, and `read` of the connection it made.
    private func handshake<T>(address: String, port: Int, serverName: String?, keys: Keys, ticketWaitMilliseconds: Int?,
                              deadline: Deadline?, read: (OpaquePointer, ga_tls_tickets) -> Result<T, Failure>) -> Result<T, Failure> {
        let deadline = deadline ?? Deadline(after: .milliseconds(4 * timeoutMilliseconds), owner: "the handshake")
        let connectLimit = deadline.cap(timeoutMilliseconds)
        guard connectLimit > 0 else { return .failure(.budgetExhausted(deadline, bytesReceived: 0)) }
        let socket: TCP.Socket
        switch TCP.open(address: address, port: port, timeoutMilliseconds: connectLimit, filter: filter, gate: gate) {
        case .success(let s): socket = s
        case .failure(let f) where f.outcome == .stall && deadline.hasPassed:
            return .failure(.budgetExhausted(deadline, bytesReceived: 0))
        case .failure(let f): return .failure(.connect(f.outcome))
        }
        defer { socket.close() }
        // The socket stays non-blocking: the shim polls with the time left, so the handshake as
        // a whole is bounded, not only each read.
        var session: OpaquePointer?
        var error = [CChar](repeating: 0, count: 256)
        var received: Int64 = 0
        let keyCode: Int32 = switch keys { case .any: Int32(GA_TLS_KEYS_ANY); case .rsa: Int32(GA_TLS_KEYS_RSA); case .ecdsa: Int32(GA_TLS_KEYS_ECDSA) }
        var tickets = ga_tls_tickets()
        let rc = withUnsafeMutablePointer(to: &tickets) { t in
            ga_tls_handshake(socket.fd, serverName, caFile, keyCode, Int32(timeoutMilliseconds),
                             Int32(max(1, deadline.remainingMilliseconds)), ticketWaitMilliseconds == nil ? nil : t,
                             Int32(ticketWaitMilliseconds ?? 0), &session, &error, error.count, &received)
        }
        switch Int(rc) {
        case Int(GA_TLS_OK): break
        case Int(GA_TLS_IDLE): return .failure(.timeout(bytesReceived: Int(received)))
        case Int(GA_TLS_DEADLINE): return .failure(.budgetExhausted(deadline, bytesReceived: Int(received)))
        default: return .failure(.handshake(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        guard let session else { return .failure(.handshake("no session")) }
        defer { ga_tls_free(session) }
        return read(session, tickets)
    }

    /// The level this OpenSSL applies when a client sets none (Debian builds in 2).
    public static let defaultSecurityLevel = ga_tls_default_security_level()
}
