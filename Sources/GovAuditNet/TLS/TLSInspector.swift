import COpenSSLShim
import Foundation
import GovAuditCore

/// The certificate side of TLS, through one full OpenSSL handshake: the chain as sent, its
/// verification against the system store plus `--ca-file`, the hostname, OCSP stapling.
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

    public struct Report: Sendable, Equatable {
        public var protocolVersion: String
        public var cipher: String
        public var chainLength: Int
        public var verifyResult: Int
        public var verifyError: String
        public var hostnameMatches: Bool
        public var ocspStapled: Bool
        public var subject: String
        public var issuer: String
        public var subjectAltNames: [String]
        public var notBefore: Date
        public var notAfter: Date
        public var keyType: String
        public var keyBits: Int
        public var signature: String
        public var selfSigned: Bool
        /// Every certificate as sent, leaf first.
        public var chain: [ChainEntry]
    }

    public struct ChainEntry: Sendable, Equatable {
        public var subject, issuer: String
        public var notBefore, notAfter: Date
        public var keyType: String
        public var keyBits: Int
        public var signature: String
    }

    public enum Failure: Error, Equatable, Sendable {
        case connect(ConnectOutcome)
        case handshake(String)
        /// The server went silent for the step timeout in the middle of the handshake.
        case timeout(bytesReceived: Int)
        /// The deadline came before the handshake completed (a server trickling its records).
        case budgetExhausted(Deadline, bytesReceived: Int)
    }

    /// `serverName` nil sends no SNI (to see what a client without SNI gets). The handshake
    /// waits at most `timeoutMilliseconds` for each step of the server, and never past
    /// `deadline` (by default four step timeouts from now).
    public func inspect(address: String, port: Int, serverName: String?, hostname: String,
                        deadline: Deadline? = nil) -> Result<Report, Failure> {
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
        var r = ga_tls_report()
        let rc = ga_tls_inspect(socket.fd, serverName, hostname, caFile, Int32(timeoutMilliseconds),
                                Int32(max(1, deadline.remainingMilliseconds)), &r)
        switch Int(rc) {
        case Int(GA_TLS_OK): break
        case Int(GA_TLS_IDLE): return .failure(.timeout(bytesReceived: Int(r.bytes_received)))
        case Int(GA_TLS_DEADLINE): return .failure(.budgetExhausted(deadline, bytesReceived: Int(r.bytes_received)))
        default: return .failure(.handshake(text(&r.error)))
        }
        return .success(Report(
            protocolVersion: text(&r.protocol), cipher: text(&r.cipher), chainLength: Int(r.chain_length),
            verifyResult: Int(r.verify_result), verifyError: text(&r.verify_error), hostnameMatches: r.hostname_ok == 1,
            ocspStapled: r.ocsp_stapled == 1, subject: text(&r.subject_cn), issuer: text(&r.issuer),
            subjectAltNames: text(&r.sans).split(separator: ",").map(String.init),
            notBefore: Date(timeIntervalSince1970: TimeInterval(r.not_before)),
            notAfter: Date(timeIntervalSince1970: TimeInterval(r.not_after)),
            keyType: text(&r.key_type), keyBits: Int(r.key_bits), signature: text(&r.signature), selfSigned: r.self_signed == 1,
            chain: text(&r.chain).split(separator: "\n").compactMap { line in
                let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard f.count == 7 else { return nil }
                return ChainEntry(subject: f[0], issuer: f[1], notBefore: Date(timeIntervalSince1970: Double(f[2]) ?? 0),
                                  notAfter: Date(timeIntervalSince1970: Double(f[3]) ?? 0), keyType: f[4], keyBits: Int(f[5]) ?? 0,
                                  signature: f[6])
            }))
    }

    /// A fixed-size C char array as a String.
    private func text<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
