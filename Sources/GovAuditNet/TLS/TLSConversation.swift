import Foundation
import GovAuditCore
#if canImport(Glibc)
import Glibc
#endif

/// One raw TLS connection that can send more than a hello: the server's flight is read record by
/// record (up to ServerHelloDone), then the probe sends its test record (a heartbeat request, an
/// early ChangeCipherSpec) and reads what comes back. Each wait is bounded by the step timeout
/// and never goes past the deadline.
final class TLSConversation {
    private let socket: TCP.Socket
    private let stepMilliseconds: Int
    private let deadline: Deadline
    private var buffer: [UInt8] = []

    private init(socket: TCP.Socket, stepMilliseconds: Int, deadline: Deadline) {
        self.socket = socket
        self.stepMilliseconds = stepMilliseconds
        self.deadline = deadline
    }

    deinit { socket.close() }

    static func open(_ prober: TLSProber, address: String, port: Int, deadline: Deadline) -> Result<TLSConversation, TLSProber.Failure> {
        let limit = deadline.cap(prober.timeoutMilliseconds)
        guard limit > 0 else { return .failure(.budgetExhausted("\(deadline) ran out before \(address):\(port) was reached")) }
        switch TCP.open(address: address, port: port, timeoutMilliseconds: limit, filter: prober.filter, gate: prober.gate) {
        case .success(let s): return .success(TLSConversation(socket: s, stepMilliseconds: prober.timeoutMilliseconds, deadline: deadline))
        case .failure(let f):
            switch f.outcome {
            case .refused: return .failure(.refused)
            case .stall: return .failure(deadline.hasPassed ? .budgetExhausted("\(deadline) ran out connecting to \(address)") : .timeout)
            case .notAllowed: return .failure(.notAllowed(f.refusedBy ?? "special-purpose range"))
            default: return .failure(.noRoute)
            }
        }
    }

    private func wait(_ events: Int32, milliseconds: Int) -> Bool {
        let left = Int32(deadline.cap(milliseconds))
        var p = pollfd(fd: socket.fd, events: Int16(events), revents: 0)
        return left > 0 && poll(&p, 1, left) == 1
    }

    func send(_ bytes: [UInt8]) -> Result<Void, TLSProber.Failure> {
        var sent = 0
        while sent < bytes.count {
            guard wait(Int32(POLLOUT), milliseconds: stepMilliseconds) else { return .failure(ranOut(.timeout)) }
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return .failure(.closed) }
            sent += n
        }
        return .success(())
    }

    private func ranOut(_ otherwise: TLSProber.Failure) -> TLSProber.Failure {
        deadline.hasPassed ? .budgetExhausted("\(deadline) ran out in the middle of a TLS test") : otherwise
    }

    /// How a read ended: the records so far, and why it stopped (`closed` by FIN, `reset` by RST).
    enum End: Equatable { case done, closed, reset, quiet }

    /// Reads records until `done` holds for what was received, the server closes, or nothing
    /// comes for `quietMilliseconds` (the step timeout by default). A first record that is not
    /// TLS fails as the prober's hellos do.
    func read(quietMilliseconds: Int? = nil, until done: ([ServerFlight.Record]) -> Bool) -> Result<([ServerFlight.Record], End), TLSProber.Failure> {
        var records: [ServerFlight.Record] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if records.isEmpty, let first = buffer.first {
                // SSLv2 framing is no answer to these hellos either.
                if first & 0x80 != 0 { return .failure(.malformed(.notTLS(Array(buffer.prefix(8))))) }
                if let problem = TLSHello.framingProblem(buffer) { return .failure(.malformed(problem)) }
            }
            let split = ServerFlight.records(buffer)
            records += split.records
            buffer = Array(buffer.suffix(split.rest))
            if done(records) { return .success((records, .done)) }
            guard wait(Int32(POLLIN), milliseconds: quietMilliseconds ?? stepMilliseconds) else {
                if deadline.hasPassed { return .failure(ranOut(.timeout)) }
                return .success((records, .quiet))
            }
            let n = chunk.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return .success((records, n < 0 && errno == ECONNRESET ? .reset : .closed)) }
            buffer += chunk[0..<n]
            // A flight is a few kilobytes; a server streaming more is cut off here.
            if buffer.count > 4 * TLSHello.maxRecordLength { return .failure(.malformed(.oversized(length: buffer.count))) }
        }
    }

    /// Sends `hello` and reads the server's plaintext flight.
    func hello(_ hello: [UInt8]) -> Result<ServerFlight, TLSProber.Failure> {
        if case .failure(let f) = send(hello) { return .failure(f) }
        switch read(until: { ServerFlight(records: $0).isComplete }) {
        case .failure(let f): return .failure(f)
        case .success(let (records, end)):
            if records.isEmpty { return .failure(end == .quiet ? .timeout : .closed) }
            return .success(ServerFlight(records: records))
        }
    }
}
