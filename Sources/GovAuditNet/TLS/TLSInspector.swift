import COpenSSLShim
import Foundation
import GovAuditCore
#if canImport(Glibc)
import Glibc
#endif

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
    }

    /// `serverName` nil sends no SNI (to see what a client without SNI gets).
    public func inspect(address: String, port: Int, serverName: String?, hostname: String) -> Result<Report, Failure> {
        let socket: TCP.Socket
        switch TCP.open(address: address, port: port, timeoutMilliseconds: timeoutMilliseconds, filter: filter, gate: gate) {
        case .success(let s): socket = s
        case .failure(let f): return .failure(.connect(f.outcome))
        }
        defer { socket.close() }
        let fd = socket.fd
        // OpenSSL does blocking I/O on the socket: back to blocking, bounded by socket timeouts.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var tv = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: Int(timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var r = ga_tls_report()
        guard ga_tls_inspect(fd, serverName, hostname, caFile, &r) == 1 else {
            return .failure(.handshake(text(&r.error)))
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
