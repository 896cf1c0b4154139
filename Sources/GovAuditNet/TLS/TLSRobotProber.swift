import GovAuditCore

/// ROBOT's standard harmless test, as sslyze and testssl.sh run it: at the highest version up to
/// TLS 1.2, offering only suites of RSA key exchange, one connection per premaster-secret
/// variant (`RobotPayload`), each sending ClientKeyExchange, ChangeCipherSpec and a Finished
/// right after ServerHelloDone, and recording what came back: an alert, a close, a reset,
/// silence. Five connections; five more, waiting longer, only when the answers differ (to tell
/// an oracle from a slow server or a dropped packet). Facts only: the tls.robot rules judge.
public struct TLSRobotProber: Sendable {
    public var prober: TLSProber
    /// How long a silent server is waited for after the Finished in the first round; the second
    /// waits the step timeout.
    public var quietMilliseconds: Int

    public init(prober: TLSProber, quietMilliseconds: Int = 1500) {
        self.prober = prober
        self.quietMilliseconds = quietMilliseconds
    }

    /// Why the test stopped before its round was complete.
    struct Stop: Error, Equatable {
        var reason: FailureReason
        init(_ reason: FailureReason) { self.reason = reason }
    }

    /// The suites to offer: the accepted ones of RSA key exchange (no RSA_PSK, no export), only
    /// the AES-GCM ones when there are any (some servers leak only there), as the peers do.
    static func rsaSuites(_ accepted: [UInt16]) -> [UInt16] {
        let rsa = accepted.filter { CipherSuite.named($0)?.keyExchange == "RSA" }
        let gcm = rsa.filter { CipherSuite.named($0)?.name.contains("_GCM_") == true }
        return gcm.isEmpty ? rsa : gcm
    }

    public func run(address: String, port: Int, serverName: String?, scan: TLSProber.VersionScan, deadline: Deadline) -> TLSRobot {
        guard let version = scan.offered.filter({ $0 >= .tls10 && $0 <= .tls12 }).max() else {
            return TLSRobot(test: .notApplicable("the server offers no TLS 1.0–1.2 to test on"), handshakes: 0)
        }
        let accepted = scan.suites[version].flatMap { $0.isEmpty ? nil : $0 }
            ?? CipherSuite.all.filter { $0.usable(with: version) }.map(\.code)
        let suites = Self.rsaSuites(accepted)
        guard !suites.isEmpty else {
            return TLSRobot(test: .notApplicable("no suite of RSA key exchange (TLS_RSA_WITH_*) accepted with \(version.name)"), handshakes: 0)
        }
        var handshakes = 0
        var first: Prepared?
        var rounds: [TLSRobot.Round] = []
        for wait in [quietMilliseconds, max(quietMilliseconds, prober.timeoutMilliseconds)] {
            var answers: [TLSRobot.Answer] = []
            for variant in TLSRobot.Variant.allCases {
                handshakes += 1
                switch attempt(variant, version: version, suites: suites, serverName: serverName, wait: wait,
                               address: address, port: port, deadline: deadline) {
                case .failure(let stop): return TLSRobot(test: .failed(stop.reason), handshakes: handshakes)
                case .success(let (response, prepared)):
                    if first == nil { first = prepared }
                    answers.append(.init(variant: variant, response: response))
                }
            }
            rounds.append(.init(waitMilliseconds: wait, answers: answers))
            if Set(answers.map(\.response)).count == 1 { break }
        }
        if first?.certificateRequested == true, let refusal = rounds.first.flatMap(Self.refusedWithoutCertificate) {
            return TLSRobot(test: .failed(refusal), handshakes: handshakes)
        }
        guard let first else { return TLSRobot(test: .failed(FailureReason(code: "no-answer", detail: "no connection was made")), handshakes: handshakes) }
        let suite = TLSOffer.Suite(code: Int(first.suite), name: CipherSuite.named(first.suite)?.name)
        return TLSRobot(test: .observed(.init(version: version, suite: suite, keyBits: first.bits, rounds: rounds,
                                              emptyClientCertificate: first.certificateRequested ? true : nil)),
                        handshakes: handshakes)
    }

    /// What one connection sends, and what the server's flight said.
    struct Prepared: Equatable {
        var bytes: [UInt8]
        var suite: UInt16
        var bits: Int
        /// The server sent CertificateRequest: the flight starts with an empty Certificate.
        var certificateRequested: Bool
    }

    /// The alerts a TLS 1.2 server sends when it requires the client certificate the client did
    /// not send (RFC 5246 §7.4.6; RFC 8446's certificate_required): handshake_failure,
    /// bad_certificate, certificate_required.
    static let certificateRefusals: Set<Int> = [40, 42, 116]

    /// The failure when every block drew one of `certificateRefusals`: the server stopped at the
    /// empty Certificate, before it decrypted anything, so the answers say nothing of padding.
    static func refusedWithoutCertificate(_ round: TLSRobot.Round) -> FailureReason? {
        let responses = Set(round.answers.map(\.response))
        guard responses.count == 1, let only = responses.first, only.end == .alert,
              let alert = only.alertDescription, certificateRefusals.contains(alert) else { return nil }
        return FailureReason(code: "client-certificate-required",
                             detail: "the server requires a client certificate (alert \(alert) to an empty one, for every block): "
                                 + "the test cannot reach the key exchange without one")
    }

    /// One connection: the hello, the server's flight up to ServerHelloDone, the variant's
    /// flight, and what the server did then. The suite chosen and the key size come with it.
    func attempt(_ variant: TLSRobot.Variant, version: TLSVersion, suites: [UInt16], serverName: String?, wait: Int,
                 address: String, port: Int, deadline: Deadline) -> Result<(TLSRobot.Response, Prepared), Stop> {
        let spec = ClientHelloSpec(version: version, suites: suites, serverName: serverName)
        let conversation: TLSConversation, flight: ServerFlight
        switch TLSConversation.open(prober, address: address, port: port, deadline: deadline)
            .flatMap({ c in c.hello(spec.bytes(random: TLSVulnerabilityProber.random())).map { (c, $0) } }) {
        case .failure(let f): return .failure(Stop(TLSVulnerabilityProber.failure(f)))
        case .success(let opened): (conversation, flight) = opened
        }
        let prepared: Prepared
        switch Self.prepare(variant, flight: flight, version: version) {
        case .failure(let stop): return .failure(stop)
        case .success(let p): prepared = p
        }
        if case .failure(let f) = conversation.send(prepared.bytes) {
            return f == .closed ? .success((.init(end: .closed), prepared)) : .failure(Stop(TLSVulnerabilityProber.failure(f)))
        }
        switch conversation.read(quietMilliseconds: wait, until: { r in r.contains { $0.type == 0x15 || $0.type == 0x14 } }) {
        case .failure(let f): return .failure(Stop(TLSVulnerabilityProber.failure(f)))
        case .success(let (records, end)): return .success((RobotPayload.response(records, end: end), prepared))
        }
    }

    /// The variant's flight for the server's `flight`, or why the test cannot go on: the server
    /// refused the hello, chose a suite without RSA key exchange, or sent no RSA certificate.
    static func prepare(_ variant: TLSRobot.Variant, flight: ServerFlight, version: TLSVersion) -> Result<Prepared, Stop> {
        guard let hello = flight.hello else {
            return .failure(Stop(FailureReason(code: "refused-hello", detail: "the server answered alert \(flight.alert?.description ?? 0)")))
        }
        guard CipherSuite.named(hello.suite)?.keyExchange == "RSA" else {
            return .failure(Stop(FailureReason(code: "not-rsa-suite", detail: "the server chose suite \(hello.suite), not one of RSA key exchange")))
        }
        let messages = flight.handshakeMessages.map(\.type)
        guard messages.contains(14) else {
            return .failure(Stop(FailureReason(code: "incomplete-flight", detail: "no ServerHelloDone to send the ClientKeyExchange after")))
        }
        guard let leaf = flight.leafCertificate else {
            return .failure(Stop(FailureReason(code: "no-certificate", detail: "the server sent no certificate")))
        }
        let bits: Int
        switch RSARaw.modulusBits(certificate: leaf) {
        case .failure(let f): return .failure(Stop(f.reason))
        case .success(let b): bits = b
        }
        guard let block = RobotPayload.block(variant, modulusBytes: (bits + 7) / 8, version: version) else {
            return .failure(Stop(FailureReason(code: "rsa-key-too-small", detail: "a \(bits)-bit RSA key cannot hold a premaster secret")))
        }
        switch RSARaw.encrypt(block, certificate: leaf) {
        case .failure(let f): return .failure(Stop(f.reason))
        case .success(let encrypted):
            // Asked for a client certificate, the client may send none (RFC 5246 §7.4.6): an
            // empty Certificate message goes first, as the peers send it.
            let requested = messages.contains(13)
            let bytes = RobotPayload.flight(encryptedSecret: encrypted, version: hello.version ?? version, emptyCertificate: requested)
            return .success(Prepared(bytes: bytes, suite: hello.suite, bits: bits, certificateRequested: requested))
        }
    }
}
