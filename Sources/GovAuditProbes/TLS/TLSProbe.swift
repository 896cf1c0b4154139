import Foundation
import GovAuditCore
import GovAuditNet

/// TLS and HTTPS facts of one https endpoint: versions and suites by hand-built hellos (every
/// suite of the IANA table, weak ones included), the certificate through a full OpenSSL
/// handshake (with and without SNI), and the HTTP side (the plain-HTTP answer and the HTTPS
/// answer, headers as sent). Facts only: the tls and https rules judge them on the as-of day.
public struct TLSProbe: Sendable {
    public var context: ProbeContext
    public var caFile: String?

    public init(context: ProbeContext, caFile: String?) {
        self.context = context
        self.caFile = caFile
    }

    static let groupNames: [UInt16: String] = [0x001D: "x25519", 0x0017: "secp256r1", 0x0018: "secp384r1", 0x0019: "secp521r1",
                                               0x001E: "x448", 0x0100: "ffdhe2048"]

    public func run(_ endpoint: Endpoint) -> [Evidence] {
        guard endpoint.scheme == "https" else { return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .notApplicable)] }
        let family: AddressFamily, address: String
        switch target(endpoint) {
        case .address(let f, let a): (family, address) = (f, a)
        case .none(let outcome): return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: outcome)]
        }
        let port = endpoint.effectivePort
        let timeout = context.connectTimeoutMilliseconds

        switch TLSProber(timeoutMilliseconds: timeout, filter: context.filter, gate: context.gate).scan(address: address, port: port, serverName: endpoint.host) {
        case .failure(let f):
            let reason: FailureReason = switch f {
            case .timeout: .timeout("no TLS answer within \(timeout) ms")
            case .refused: .refused("nothing listens on \(address):\(port)")
            case .closed: FailureReason(code: "closed", detail: "the server closed the connection")
            case .noRoute: FailureReason(code: "no-route", detail: "no route to \(address)")
            case .notAllowed(let range):
                FailureReason(code: "address-not-allowed", detail: "\(address) is \(range); --allow-net names networks the scanner may enter")
            }
            let scannerSide = switch f { case .noRoute, .notAllowed: true; default: false }
            return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: scannerSide ? .couldNotTest(reason.detail) : .failed(reason))]
        case .success(let scan):
            let suite: (UInt16) -> TLSOffer.Suite = { TLSOffer.Suite(code: Int($0), name: CipherSuite.named($0)?.name) }
            let offer = TLSOffer(
                versions: scan.offered.map { v in
                    TLSOffer.Accepted(version: v, suites: (scan.suites[v] ?? []).map(suite), serverOrder: scan.serverOrder[v])
                },
                groups: scan.groups.map { TLSOffer.Group(code: Int($0), name: Self.groupNames[$0]) },
                handshakes: scan.handshakes)
            return [Evidence(endpoint: endpoint, facts: offer), certificate(endpoint, address: address, port: port)]
                + httpSide(endpoint, family: family, address: address)
        }
    }

    /// The address to probe: the endpoint's own when it is one, else the first A record, else the
    /// first AAAA. A lookup that fails is said, never taken for "no address".
    private enum Target { case address(AddressFamily, String), none(Outcome) }

    private func target(_ endpoint: Endpoint) -> Target {
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
            case .failure(let f):
                problems.append("\("\(type)".uppercased()): \(f.description)")
            }
        }
        return .none(.failed(FailureReason(code: "dns", detail: "no address: " + problems.joined(separator: "; "))))
    }

    private func certificate(_ endpoint: Endpoint, address: String, port: Int) -> Evidence {
        let inspector = TLSInspector(caFile: caFile, timeoutMilliseconds: context.connectTimeoutMilliseconds,
                                     filter: context.filter, gate: context.gate)
        switch inspector.inspect(address: address, port: port, serverName: endpoint.host, hostname: endpoint.host) {
        case .failure(let f):
            return Evidence(TLSCertificate.self, endpoint: endpoint, outcome: .failed(FailureReason(code: "handshake", detail: "\(f)")))
        case .success(let r):
            let withoutSNI: TLSCertificate.WithoutSNI
            switch inspector.inspect(address: address, port: port, serverName: nil, hostname: endpoint.host) {
            case .success(let n): withoutSNI = .init(subject: n.subject, hostnameMatches: n.hostnameMatches, failure: nil)
            case .failure(let f): withoutSNI = .init(subject: nil, hostnameMatches: nil, failure: FailureReason(code: "handshake", detail: "\(f)"))
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

    /// The first answer over plain HTTP and the answer over HTTPS, each its own outcome: a
    /// timeout is a failed fetch, not "no redirect" or "no HSTS".
    private func httpSide(_ endpoint: Endpoint, family: AddressFamily, address: String) -> [Evidence] {
        let plain = "http://\(endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host)/"
        return [answer(endpoint, plain, family: family, address: nil, PlainHTTPAnswer.init),
                answer(endpoint, endpoint.description, family: family, address: address, HTTPSAnswer.init)]
    }

    private func answer<F: HTTPAnswerFacts>(_ endpoint: Endpoint, _ url: String, family: AddressFamily, address: String?,
                                            _ make: (String, Int, [HeaderField]) -> F) -> Evidence {
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
