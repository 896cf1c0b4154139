import Foundation
import GovAuditCore
import GovAuditNet

/// The TLS probe's bounds: options of the scan, recorded in its scope, never policy.
public struct TLSProbeOptions: Sendable {
    /// Everything the probe does for one endpoint (hellos, both handshakes, both fetches).
    public var budgetSeconds = 30.0
    /// Addresses per family (A, AAAA) probed; the rest are counted (`--max-addresses`).
    public var maxAddresses = 8
    /// Addresses tried in turn for the primary when the first does not answer TLS (a silent one
    /// costs two hellos' timeouts): the first and up to three more, within the budget.
    public var primaryTries = 4
    public init() {}
}

/// TLS and HTTPS facts of one https endpoint: versions and suites by hand-built hellos (every
/// suite of the IANA table, weak ones included), the certificate through a full OpenSSL
/// handshake (with and without SNI), and the HTTP side (the plain-HTTP answer and the HTTPS
/// answer, headers as sent), all on the primary address (the first that answers TLS); then
/// every other address (`tls.addresses`). Facts only: the tls and https rules judge them on
/// the as-of day.
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
    static let dependentKinds: [any EvidenceFacts.Type] = [PlainHTTPAnswer.self, HTTPSAnswer.self, SecurityTxt.self, TLSAddresses.self]

    public func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        guard endpoint.scheme == "https" else { return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .notApplicable)] }
        let context = self.context.within(deadline)
        let resolved: ResolvedAddresses
        switch resolve(endpoint, context) {
        case .found(let r): resolved = r
        case .none(let outcome): return withDependents(endpoint, TLSOffer.self, outcome)
        }
        guard resolved.primary != nil else {
            return withDependents(endpoint, TLSOffer.self, .couldNotTest("the name has no address"))
        }
        let port = endpoint.effectivePort
        let timeout = context.connectTimeoutMilliseconds

        // RFC 6066 §3: a literal address is never sent as SNI.
        let serverName = CIDR.parse(endpoint.host) == nil ? endpoint.host : nil
        let prober = TLSProber(timeoutMilliseconds: timeout, filter: context.filter, gate: context.gate)
        let family: AddressFamily, address: String, scan: TLSProber.VersionScan, tried: [TLSAddresses.Record]
        switch searchPrimary(resolved, port: port, serverName: serverName, context, deadline) {
        case .cutShort(let f):
            return withDependents(endpoint, TLSOffer.self, .failed(Self.reason(f, address: resolved.primary!.address, port: port, timeout: timeout)))
        case .noneAnswered(let f, let at, let all, let untried):
            return withDependents(endpoint, TLSOffer.self, Self.unavailable(f, address: at, tried: all, untried: untried, port: port, timeout: timeout))
        case .found(let fam, let addr, let s, let t): (family, address, scan, tried) = (fam, addr, s, t)
        }
        let why = { (f: TLSProber.Failure) in Self.reason(f, address: address, port: port, timeout: timeout) }
        let suite: (UInt16) -> TLSOffer.Suite = { TLSOffer.Suite(code: Int($0), name: CipherSuite.named($0)?.name) }
        let offer = TLSOffer(
            versions: scan.offered.map { v in
                TLSOffer.Accepted(version: v, suites: (scan.suites[v] ?? []).map(suite), serverOrder: scan.serverOrder[v],
                                  cutShort: scan.cutShort[v].map(why))
            },
            groups: scan.groups.map { TLSOffer.Group(code: Int($0), name: Self.groupNames[$0]) },
            groupsCutShort: scan.groupsCutShort.map(why),
            unanswered: TLSVersion.allCases.compactMap { v in scan.unanswered[v].map { TLSOffer.Unanswered(version: v, reason: why($0)) } },
            handshakes: scan.handshakes)
        let (cert, earlyData) = certificate(endpoint, address: address, port: port, serverName: serverName, deadline)
        let http = httpSide(endpoint, context, family: family, address: address)
        let primary = Self.primaryRecord(family, address, scan, certificate: cert,
                                         https: http.first { $0.kind == HTTPSAnswer.kind }.map(Self.addressHTTPS))
        return [Evidence(endpoint: endpoint, facts: offer), cert] + http
            + TLSDepthChecks(prober: prober).run(endpoint, address: address, port: port, serverName: serverName, scan: scan,
                                                earlyData: earlyData, deadline: deadline)
            + [addresses(endpoint, resolved, primary: primary, tried: tried, port: port, serverName: serverName, context, deadline)]
    }

    /// What a failed hello (or all of them) says about the port.
    static func reason(_ f: TLSProber.Failure, address: String, port: Int, timeout: Int) -> FailureReason {
        switch f {
        case .timeout: .timeout("no TLS answer within \(timeout) ms")
        case .refused: .refused("nothing listens on \(address):\(port)")
        case .closed: FailureReason(code: "closed", detail: "the server closed the connection on every hello")
        case .noRoute: FailureReason(code: "no-route", detail: "no route to \(address)")
        case .notAllowed(let range):
            FailureReason(code: "address-not-allowed", detail: "\(address) is \(range); --allow-net names networks the scanner may enter")
        case .budgetExhausted(let what): .budgetExhausted(what)
        case .malformed(let m): reason(m, address: address, port: port)
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
        case .unofferedSuite(let code):
            return FailureReason(code: "unoffered-suite", detail: String(format: "the server chose suite 0x%04X, which the hello did not offer", code))
        }
    }

    /// The first answer over plain HTTP and the answer over HTTPS, each its own outcome: a
    /// timeout is a failed fetch, not "no redirect" or "no HSTS".
    private func httpSide(_ endpoint: Endpoint, _ context: ProbeContext, family: AddressFamily, address: String) -> [Evidence] {
        let plain = "http://\(endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host)/"
        return [answer(endpoint, context, plain, family: family, address: nil, PlainHTTPAnswer.init),
                answer(endpoint, context, endpoint.description, family: family, address: address, HTTPSAnswer.init),
                securityTxt(endpoint, context, family: family, address: address)]
    }

    /// RFC 9116 §3: `/.well-known/security.txt` over HTTPS, redirects followed; a failed fetch is
    /// its own outcome, a 404 is collected (the rules say it is missing).
    private func securityTxt(_ endpoint: Endpoint, _ context: ProbeContext, family: AddressFamily, address: String) -> Evidence {
        let authority = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        let port = endpoint.effectivePort == 443 ? "" : ":\(endpoint.effectivePort)"
        let url = "https://\(authority)\(port)/.well-known/security.txt"
        switch context.http.fetch(url, family: family, address: address, followRedirects: true) {
        case .success(let r):
            let ok = (200...299).contains(r.status)
            return Evidence(endpoint: endpoint, facts: SecurityTxt(
                url: url, finalURL: r.finalURL, status: r.status, contentType: r.header("Content-Type"),
                text: ok ? String(decoding: r.body.prefix(SecurityTxt.keptBytes), as: UTF8.self) : "",
                truncated: ok && r.body.count > SecurityTxt.keptBytes))
        case .failure(let f):
            return Evidence(SecurityTxt.self, endpoint: endpoint, outcome: f.isScannerSide
                            ? .couldNotTest(f.description) : .failed(FailureReason(code: f.code, detail: f.description)))
        }
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
