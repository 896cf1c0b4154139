import GovAuditCore

extension TLSProber {
    /// Suites per hello when a server chokes on the whole registry at once (as testssl.sh does
    /// for servers that reject more than 128).
    static let chunkSize = 128

    /// A reply to a long list that reads as choking on it, not as a clean "none of these":
    /// a hang-up, bytes that are not TLS, or an alert other than handshake_failure (40),
    /// protocol_version (70) or insufficient_security (71). A timeout is never retried.
    static func choked(_ answer: Result<TLSHello.Reply, Failure>) -> Bool {
        switch answer {
        case .success(.alert(_, let description)): ![40, 70, 71].contains(description)
        case .failure(.closed), .failure(.malformed): true
        default: false
        }
    }

    /// `first` is the answer to a hello offering all of `suites`; when the list is long and the
    /// server choked on it, the list goes again in chunks, and the first ServerHello (or
    /// HelloRetryRequest) a chunk gets is the answer. Otherwise `first` stands.
    static func inChunks(_ suites: [UInt16], first: Result<TLSHello.Reply, Failure>,
                         send: ([UInt16]) -> Result<TLSHello.Reply, Failure>) -> Result<TLSHello.Reply, Failure> {
        guard suites.count > chunkSize, choked(first) else { return first }
        for start in stride(from: 0, to: suites.count, by: chunkSize) {
            let answer = send(Array(suites[start..<min(suites.count, start + chunkSize)]))
            switch answer {
            case .success(.serverHello), .success(.helloRetry), .failure(.budgetExhausted): return answer
            default: continue
            }
        }
        return first
    }
}
