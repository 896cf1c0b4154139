import Foundation
import GovAuditCore
import GovAuditNet

/// The TLS probe's bounds: options of the scan, recorded in its scope, never policy.
public struct TLSProbeOptions: Sendable {
    /// Everything the probe does for one endpoint (hellos, both handshakes, both fetches).
    public var budgetSeconds = 30.0
    public init() {}
}

/// TLS and HTTPS facts of one https endpoint: versions and suites by hand-built hellos (every
/// suite of the IANA table, weak ones included), the certificate through a full OpenSSL
/// handshake (with and without SNI), and the HTTP side (the plain-HTTP answer and the HTTPS
/// answer, headers as sent). Facts only: the tls and https rules judge them on the as-of day.
public struct TLSProbe: Sendable {
    public var context: ProbeContext
    public var caFile: String?
    public var options: TLSProbeOptions

    public init(context: ProbeContext, caFile: String?, options: TLSProbeOptions = TLSProbeOptions()) {
        self.context = context
        self.caFile = caFile
        self.options = options
    }

    public var name: String { "the TLS probe" }
    public var budget: Duration { .milliseconds(Int(options.budgetSeconds * 1000)) }

    static let groupNames: [UInt16: String] = [0x001D: "x25519", 0x0017: "secp256r1", 0x0018: "secp384r1", 0x0019: "secp521r1",
                                               0x001E: "x448", 0x0100: "ffdhe2048"]

    /// The kinds that need a TLS handshake or depend on one: could-not-test when TLS is unavailable.
    static let dependentKinds: [any HTTPAnswerFacts.Type] = [PlainHTTPAnswer.self, HTTPSAnswer.self]

    public func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        guard endpoint.scheme == "https" else { return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .notApplicable)] }
        let context = self.context.within(deadline)
        let family: AddressFamily, address: String
        switch target(endpoint, context) {
        case .address(let f, let a): (family, address) = (f, a)
        case .none(let outcome): return withDependents(endpoint, TLSOffer.self, outcome)
        }
        let port = endpoint.effectivePort
        let timeout = context.connectTimeoutMilliseconds

        let prober = TLSProber(timeoutMilliseconds: timeout, filter: context.filter, gate: context.gate)
        switch prober.scan(address: address, port: port, serverName: endpoint.host, deadline: deadline) {
        case .failure(let f):
            let reason: FailureReason = switch f {
            case .timeout: .timeout("no TLS answer within \(timeout) ms")
            case .refused: .refused("nothing listens on \(address):\(port)")
            case .closed: FailureReason(code: "closed", detail: "the server closed the connection on every hello")
            case .noRoute: FailureReason(code: "no-route", detail: "no route to \(address)")
            case .notAllowed(let range):
                FailureReason(code: "address-not-allowed", detail: "\(address) is \(range); --allow-net names networks the scanner may enter")
            case .budgetExhausted(let what): .budgetExhausted(what)
            case .malformed(let m): Self.reason(m, address: address, port: port)
            }
            let scannerSide = switch f { case .noRoute, .notAllowed: true; default: false }
            return withDependents(endpoint, TLSOffer.self, scannerSide ? .couldNotTest(reason.detail) : .failed(reason))
        case .success(let scan):
            let suite: (UInt16) -> TLSOffer.Suite = { TLSOffer.Suite(code: Int($0), name: CipherSuite.named($0)?.name) }
            let offer = TLSOffer(
                versions: scan.offered.map { v in
                    TLSOffer.Accepted(version: v, suites: (scan.suites[v] ?? []).map(suite), serverOrder: scan.serverOrder[v])
                },
                groups: scan.groups.map { TLSOffer.Group(code: Int($0), name: Self.groupNames[$0]) },
                handshakes: scan.handshakes)
            return [Evidence(endpoint: endpoint, facts: offer), certificate(endpoint, address: address, port: port, deadline)]
                + httpSide(endpoint, context, family: family, address: address)
                + TLSDepthChecks(prober: prober).run(endpoint, address: address, port: port, scan: scan, deadline: deadline)
        }
    }

    public func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] {
        guard endpoint.scheme == "https" else { return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .notApplicable)] }
        return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .failed(reason)),
                Evidence(TLSCertificate.self, endpoint: endpoint, outcome: .failed(reason))]
            + Self.dependentKinds.map { Evidence($0, endpoint: endpoint, outcome: .failed(reason)) }
            + TLSDepthChecks.kinds.map { Evidence($0, endpoint: endpoint, outcome: .failed(reason)) }
    }

    /// `type`'s outcome, and for the steps that need TLS: could not test, for the same reason
    /// (one root cause, one finding: the tls or dns rule that owns it says it once).
    private func withDependents<F: EvidenceFacts>(_ endpoint: Endpoint, _ type: F.Type, _ outcome: Outcome) -> [Evidence] {
        let why: String
        switch outcome {
        case .failed(let r) where r.isBudgetExhausted:
            // Cut short is not "unavailable": the dependents were cut short too.
            return abandoned(endpoint, r)
        case .failed(let r): why = "TLS unavailable on port \(endpoint.effectivePort): \(r.code) (\(r.detail))"
        case .couldNotTest(let d): why = d
        case .collected, .notApplicable: return [Evidence(type, endpoint: endpoint, outcome: outcome)]
        }
        return [Evidence(type, endpoint: endpoint, outcome: outcome),
                Evidence(TLSCertificate.self, endpoint: endpoint, outcome: .couldNotTest(why))]
            + Self.dependentKinds.map { Evidence($0, endpoint: endpoint, outcome: .couldNotTest(why)) }
            + TLSDepthChecks.kinds.map { Evidence($0, endpoint: endpoint, outcome: .couldNotTest(why)) }
    }

    /// How a port that answers hellos with something else than TLS is described.
    static func reason(_ m: TLSProber.Malformation, address: String, port: Int) -> FailureReason {
        switch m {
        case .notTLS(let bytes):
            let shown = bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
            return FailureReason(code: "not-tls", detail: "\(address):\(port) answers hellos with bytes that are not TLS (\(shown))")
        case .truncated(let got, let expected):
            return FailureReason(code: "truncated", detail: "the connection closed after \(got) of the \(expected) bytes of a record")
        case .oversized(let length):
            return FailureReason(code: "oversized", detail: "a record header announces \(length) bytes (a TLS record holds at most 18,432)")
        case .tooSlow(let got, let expected):
            return FailureReason(code: "too-slow", detail: "\(got) of the \(expected) bytes of the first record came before the timeout")
        }
    }

    /// The address to probe: the endpoint's own when it is one, else the first A record, else the
    /// first AAAA. A lookup that fails is said, never taken for "no address".
    private enum Target { case address(AddressFamily, String), none(Outcome) }

    private func target(_ endpoint: Endpoint, _ context: ProbeContext) -> Target {
        if CIDR.parse(endpoint.host) != nil { return .address(endpoint.host.contains(":") ? .ipv6 : .ipv4, endpoint.host) }
        let session: Resolver.Session
        do { session = try context.resolver.session() } catch {
            return .none(.couldNotTest("resolver: \(error.description)"))
        }
        var problems: [String] = []
        for (family, type) in [(AddressFamily.ipv4, DNSType.a), (.ipv6, .aaaa)] {
            switch session.lookup(endpoint.host, type) {
            case .success(let answer):
                if let first = answer.values(type).first { return .address(family, first) }
                problems.append("\("\(type)".uppercased()): none (rcode \(answer.rcode))")
            case .failure(.budgetExhausted(let d)):
                return .none(.failed(.budgetExhausted("\(d) ran out while \(endpoint.host) was resolved")))
            case .failure(let f):
                problems.append("\("\(type)".uppercased()): \(f.description)")
            }
        }
        // The dns rules report a name that does not resolve; here it only means TLS cannot be tested.
        return .none(.couldNotTest("the name does not resolve: " + problems.joined(separator: "; ")))
    }

    private func certificate(_ endpoint: Endpoint, address: String, port: Int, _ deadline: Deadline) -> Evidence {
        let inspector = TLSInspector(caFile: caFile, timeoutMilliseconds: context.connectTimeoutMilliseconds,
                                     filter: context.filter, gate: context.gate)
        switch inspector.inspect(address: address, port: port, serverName: endpoint.host, hostname: endpoint.host, deadline: deadline) {
        case .failure(let f):
            return Evidence(TLSCertificate.self, endpoint: endpoint, outcome: .failed(Self.reason(f)))
        case .success(let r):
            let withoutSNI: TLSCertificate.WithoutSNI
            switch inspector.inspect(address: address, port: port, serverName: nil, hostname: endpoint.host, deadline: deadline) {
            case .success(let n): withoutSNI = .init(subject: n.subject, hostnameMatches: n.hostnameMatches, failure: nil)
            case .failure(let f): withoutSNI = .init(subject: nil, hostnameMatches: nil, failure: Self.reason(f))
            }
            return Evidence(endpoint: endpoint, facts: TLSCertificate(
                chain: r.chain.map {
                    .init(subject: $0.subject, issuer: $0.issuer, notBefore: Timestamp($0.notBefore), notAfter: Timestamp($0.notAfter),
                          keyType: $0.keyType, keyBits: $0.keyBits, signature: $0.signature)
                },
                subject: r.subject, subjectAltNames: r.subjectAltNames, issuer: r.issuer, notBefore: Timestamp(r.notBefore),
                notAfter: Timestamp(r.notAfter), keyType: r.keyType, keyBits: r.keyBits, signature: r.signature,
                selfSigned: r.selfSigned, chainLength: r.chainLength, verifyResult: r.verifyResult, verifyError: r.verifyError,
                hostnameMatches: r.hostnameMatches, ocspStapled: r.ocspStapled, withoutSNI: withoutSNI))
        }
    }

    static func reason(_ f: TLSInspector.Failure) -> FailureReason {
        switch f {
        case .connect(let outcome): FailureReason(code: "handshake", detail: "connect: \(outcome.rawValue)")
        case .handshake(let text): FailureReason(code: "handshake", detail: text)
        case .timeout(let bytes): .timeout("the server went silent during the handshake (\(bytes) bytes received)")
        case .budgetExhausted(let d, let bytes): .budgetExhausted("\(d) ran out during the handshake (\(bytes) bytes received)")
        }
    }

    /// The first answer over plain HTTP and the answer over HTTPS, each its own outcome: a
    /// timeout is a failed fetch, not "no redirect" or "no HSTS".
    private func httpSide(_ endpoint: Endpoint, _ context: ProbeContext, family: AddressFamily, address: String) -> [Evidence] {
        let plain = "http://\(endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host)/"
        return [answer(endpoint, context, plain, family: family, address: nil, PlainHTTPAnswer.init),
                answer(endpoint, context, endpoint.description, family: family, address: address, HTTPSAnswer.init)]
    }

    private func answer<F: HTTPAnswerFacts>(_ endpoint: Endpoint, _ context: ProbeContext, _ url: String, family: AddressFamily,
                                            address: String?, _ make: (String, Int, [HeaderField]) -> F) -> Evidence {
        switch context.http.fetch(url, family: family, address: address, followRedirects: false) {
        case .success(let r):
            return Evidence(endpoint: endpoint, facts: make(url, r.status, r.headers.map { HeaderField($0.name, $0.value) }))
        case .failure(let f):
            return Evidence(F.self, endpoint: endpoint, outcome: f.isScannerSide
                            ? .couldNotTest(f.description) : .failed(FailureReason(code: f.code, detail: f.description)))
        }
    }
}

extension TLSProbe: Probe {}
