import COpenSSLShim
import GovAuditCore

/// The protocol features that need a real TLS state machine, through full OpenSSL handshakes:
/// client-initiated renegotiation (TLS 1.2), resumption by session id and by ticket (a second
/// handshake offering the first one's session), TLS 1.3 tickets and their early-data allowance.
/// Five handshakes at most (two for the session id and the renegotiation, two for the ticket,
/// one TLS 1.3, which the certificate step's handshake spares when it read the tickets), each
/// bounded by the step timeout and the deadline.
public struct TLSSessionProber: Sendable {
    public var prober: TLSProber
    /// How long tickets are waited for after a TLS 1.3 handshake.
    public var quietMilliseconds: Int
    /// The default wait for tickets, here and where the certificate step reads them.
    public static let ticketWaitMilliseconds = 1500

    public init(prober: TLSProber, quietMilliseconds: Int = ticketWaitMilliseconds) {
        self.prober = prober
        self.quietMilliseconds = quietMilliseconds
    }

    public struct Results: Sendable, Equatable {
        public var clientRenegotiation: CheckResult<TLSProtocolFeatures.Renegotiation>
        public var resumptionByID: CheckResult<Bool>
        public var resumptionByTicket: CheckResult<Bool>
        public var earlyData: CheckResult<TLSProtocolFeatures.EarlyData>
        public var handshakes: Int
    }

    /// One handshake's outcome as the checks need it.
    struct Handshake {
        var reused: Bool
        var sessionIDLength: Int
        var hasTicket: Bool
        var session: [UInt8]
        var renegotiation: Int32
        var renegotiationDetail: String
        var tickets: Int
        var maxEarlyData: Int
    }

    /// `earlyData`: the tickets a TLS 1.3 handshake already read (the certificate step's), so
    /// none is made for them here.
    public func run(address: String, port: Int, serverName: String?, offered: [TLSVersion],
                    earlyData: TLSProtocolFeatures.EarlyData? = nil, deadline: Deadline) -> Results {
        var handshakes = 0
        func connect(_ flags: Int32, _ session: [UInt8] = []) -> Result<Handshake, CheckFailure> {
            handshakes += 1
            return handshake(address: address, port: port, serverName: serverName, flags: flags, session: session, deadline: deadline)
        }
        let none = "the server offers no TLS 1.0–1.2"
        var r = Results(clientRenegotiation: .notApplicable(none), resumptionByID: .notApplicable(none),
                        resumptionByTicket: .notApplicable(none), earlyData: .notApplicable("the server offers no TLS 1.3"), handshakes: 0)
        if offered.contains(where: { $0 >= .tls10 && $0 <= .tls12 }) {
            // The renegotiation runs on the resumed connection: a server that refuses it ends the
            // connection with an alert, which also drops the session from its cache.
            switch connect(Int32(GA_SESSION_NO_TICKET)) {
            case .failure(let f):
                (r.clientRenegotiation, r.resumptionByID) = (.failed(f.reason), .failed(f.reason))
            case .success(let first):
                switch connect(Int32(GA_SESSION_NO_TICKET | GA_SESSION_RENEGOTIATE), first.sessionIDLength == 0 ? [] : first.session) {
                case .failure(let f):
                    (r.clientRenegotiation, r.resumptionByID) = (.failed(f.reason), .failed(f.reason))
                case .success(let second):
                    let accepted = second.renegotiation == Int32(GA_RENEG_ACCEPTED)
                    r.clientRenegotiation = .observed(.init(accepted: accepted, detail: accepted ? "" : second.renegotiationDetail))
                    r.resumptionByID = .observed(first.sessionIDLength > 0 && second.reused)
                }
            }
            switch connect(0) {
            case .failure(let f): r.resumptionByTicket = .failed(f.reason)
            case .success(let first):
                r.resumptionByTicket = first.hasTicket ? resumed(connect(0, first.session)) : .observed(false)
            }
        }
        if let earlyData, offered.contains(.tls13) {
            r.earlyData = .observed(earlyData)
        } else if offered.contains(.tls13) {
            r.earlyData = connect(Int32(GA_SESSION_TLS13 | GA_SESSION_READ_TICKETS))
                .map { TLSProtocolFeatures.EarlyData(tickets: $0.tickets, maxEarlyData: $0.maxEarlyData) }
                .checkResult
        }
        r.handshakes = handshakes
        return r
    }

    private func resumed(_ h: Result<Handshake, CheckFailure>) -> CheckResult<Bool> { h.map(\.reused).checkResult }

    func handshake(address: String, port: Int, serverName: String?, flags: Int32, session: [UInt8], deadline: Deadline) -> Result<Handshake, CheckFailure> {
        let limit = deadline.cap(prober.timeoutMilliseconds)
        func fail(_ r: FailureReason) -> Result<Handshake, CheckFailure> { .failure(CheckFailure(reason: r)) }
        guard limit > 0 else { return fail(.budgetExhausted("\(deadline) ran out before the handshake")) }
        let socket: TCP.Socket
        switch TCP.open(address: address, port: port, timeoutMilliseconds: limit, filter: prober.filter, gate: prober.gate) {
        case .success(let s): socket = s
        case .failure(let f):
            if f.outcome == .stall && deadline.hasPassed { return fail(.budgetExhausted("\(deadline) ran out connecting")) }
            return fail(FailureReason(code: "connect", detail: "connect: \(f.outcome.rawValue)"))
        }
        defer { socket.close() }
        var report = ga_tls_session_report()
        let rc = session.withUnsafeBufferPointer { s in
            ga_tls_session(socket.fd, serverName, flags, s.baseAddress, s.count, Int32(prober.timeoutMilliseconds),
                           Int32(quietMilliseconds), Int32(max(1, deadline.remainingMilliseconds)), &report)
        }
        defer { ga_tls_session_free(&report) }
        switch Int(rc) {
        case Int(GA_TLS_OK): break
        case Int(GA_TLS_IDLE): return fail(.timeout("the server went silent during the handshake (\(report.bytes_received) bytes received)"))
        case Int(GA_TLS_DEADLINE): return fail(.budgetExhausted("\(deadline) ran out during the handshake"))
        default: return fail(FailureReason(code: "handshake", detail: text(&report.error)))
        }
        let bytes = report.session.map { Array(UnsafeBufferPointer(start: $0, count: report.session_length)) } ?? []
        return .success(Handshake(reused: report.session_reused == 1, sessionIDLength: Int(report.session_id_length),
                                  hasTicket: report.has_ticket == 1, session: bytes, renegotiation: report.renegotiation,
                                  renegotiationDetail: text(&report.renegotiation_detail), tickets: Int(report.tickets.tickets),
                                  maxEarlyData: Int(report.tickets.max_early_data)))
    }

    private func text<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// A check's failure, as an Error for `Result`.
struct CheckFailure: Error { var reason: FailureReason }

extension Result where Failure == CheckFailure, Success: Sendable & Codable & Equatable {
    /// A check's result: the value observed, or the failure.
    var checkResult: CheckResult<Success> {
        switch self {
        case .success(let v): .observed(v)
        case .failure(let f): .failed(f.reason)
        }
    }
}
