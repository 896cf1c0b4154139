import GovAuditCore

extension TLSProber {
    /// What one hello per version says: the first step of a full scan, and all of an address's
    /// fingerprint (with the leaf's SHA-256 from one OpenSSL handshake).
    public struct VersionProbe: Sendable, Equatable {
        /// The versions the server answered with, oldest first.
        public var offered: [TLSVersion]
        /// Per version offered (SSLv2 aside), the suite the server chose from the whole list:
        /// a cheap sign of a different suite configuration.
        public var chosen: [TLSVersion: UInt16]
        /// Versions whose hello got no answer at all (a timeout, a refusal) while others were answered.
        public var unanswered: [TLSVersion: Failure]
        public var handshakes: Int
        /// The TLS 1.3 hello without a key share got a HelloRetryRequest: the server handles
        /// share-less hellos, which name its choice without a key or a signature.
        public var retriesShareless = false
    }

    /// One hello per version offering every suite usable with it (in chunks when the server
    /// chokes on the whole list), SSLv2 by its own hello. A port silent to TLS 1.2 and 1.3, or
    /// answering no hello with TLS, fails; one old version unanswered is recorded, not fatal.
    public func versions(address: String, port: Int, serverName: String?, deadline: Deadline) -> Result<VersionProbe, Failure> {
        var spent = 0
        return versions(address: address, port: port, serverName: serverName, deadline: deadline, spent: &spent)
    }

    /// `spent`: the hellos sent, also when the port failed.
    public func versions(address: String, port: Int, serverName: String?, deadline: Deadline,
                         spent: inout Int) -> Result<VersionProbe, Failure> {
        var result = VersionProbe(offered: [], chosen: [:], unanswered: [:], handshakes: 0)
        defer { spent = result.handshakes }
        var tlsAnswers = 0
        var malformed: Malformation?
        func progress() -> Failure {
            .budgetExhausted("\(deadline) ran out while versions were probed after \(result.handshakes) handshakes"
                + (result.offered.isEmpty ? "" : " (offered so far: \(result.offered.sorted().map(\.name).joined(separator: " ")))"))
        }
        func send(_ hello: [UInt8]) -> Result<TLSHello.Reply, Failure> {
            result.handshakes += 1
            return exchange(address: address, port: port, hello: hello, deadline: deadline)
        }
        for version in Self.versionOrder {
            guard !deadline.hasPassed else { return .failure(progress()) }
            // Silent to TLS 1.2 and 1.3 alike: the port is silent (or refuses), not an IPS
            // picking old hellos; waiting out four more timeouts would say nothing new.
            if tlsAnswers == 0, malformed == nil, result.unanswered.count >= 2, let first = result.unanswered[.tls12] {
                return .failure(first)
            }
            let suites = CipherSuite.all.filter { $0.usable(with: version) }.map(\.code)
            let hello = { (offered: [UInt16]) in
                send(TLSHello.client(version: version, suites: offered, serverName: serverName, random: random()))
            }
            let answer: Result<TLSHello.Reply, Failure>
            if version == .sslv2 {
                answer = send(TLSHello.clientSSLv2(random: random()))
            } else if version == .tls13 {
                // Without a key share first: a TLS 1.3 server names its suite in a
                // HelloRetryRequest and signs nothing. Asked again with a share only where the
                // answer could be a server mishandling share-less hellos.
                let shareless = send(TLSHello.client(version: version, suites: suites, serverName: serverName, keyShares: [],
                                                     random: random()))
                if case .success(.helloRetry) = shareless { result.retriesShareless = true }
                answer = Self.settlesShareless(shareless) ? shareless : Self.inChunks(suites, first: hello(suites), send: hello)
            } else {
                answer = Self.inChunks(suites, first: hello(suites), send: hello)
            }
            switch answer {
            case .failure(.closed):
                continue    // a server that hangs up on an old hello just does not speak it
            case .failure(.malformed(let m)):
                malformed = malformed ?? m
                continue
            case .failure(.budgetExhausted):
                return .failure(progress())
            case .failure(let f) where f == .timeout || f == .refused:
                // An IPS dropping SSLv2 hellos must not make the host look TLS-less: one silent
                // version is recorded, and only a port silent to every hello fails.
                result.unanswered[version] = f
                continue
            case .failure(let f):
                return .failure(f)
            case .success(let reply):
                tlsAnswers += 1
                switch reply {
                case .serverHello(let v, _, let s) where v == version:
                    result.offered.append(version)
                    result.chosen[version] = s
                case .helloRetry(let s) where version == .tls13:
                    result.offered.append(version)
                    result.chosen[version] = s
                case .sslv2ServerHello(let kinds) where version == .sslv2 && kinds > 0: result.offered.append(version)
                default: break
                }
            }
        }
        result.offered.sort()
        // Not one TLS answer: the port does not speak TLS (a trickle, garbage) or hangs up on all.
        if tlsAnswers == 0 {
            let silent = Self.versionOrder.compactMap { result.unanswered[$0] }.first
            return .failure(malformed.map(Failure.malformed) ?? silent ?? .closed)
        }
        return .success(result)
    }

    /// Whether the answer to a share-less TLS 1.3 hello is the server's own word: a
    /// HelloRetryRequest or ServerHello (of any version: a TLS 1.2 server ignores the version
    /// list), protocol_version (70), or no answer at all (asking again would wait as long).
    /// Other alerts, hang-ups and garbage may be a server that mishandles the empty share list.
    static func settlesShareless(_ answer: Result<TLSHello.Reply, Failure>) -> Bool {
        switch answer {
        case .success(.helloRetry), .success(.serverHello), .success(.alert(_, 70)): true
        case .success: false
        case .failure(.closed), .failure(.malformed): false
        case .failure: true
        }
    }
}
