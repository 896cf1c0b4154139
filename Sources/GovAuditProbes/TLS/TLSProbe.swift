import Foundation
import GovAuditCore
import GovAuditNet

/// TLS and HTTPS facts of one https endpoint: versions and suites by hand-built hellos (every
/// suite of the IANA table, weak ones included), the certificate through a full OpenSSL
/// handshake (with and without SNI), and the HTTP side (redirect, HSTS, headers, banner).
public struct TLSProbe: Sendable {
    public var context: ProbeContext
    public var caFile: String?
    /// The day `daysLeft` is counted from (the scan's as-of day).
    public var asOf: Date

    public init(context: ProbeContext, caFile: String?, asOf: Date = Date()) {
        self.context = context
        self.caFile = caFile
        self.asOf = asOf
    }

    static let groupNames: [UInt16: String] = [0x001D: "x25519", 0x0017: "secp256r1", 0x0018: "secp384r1", 0x0019: "secp521r1"]

    public func run(_ endpoint: Endpoint) -> [Evidence] {
        guard endpoint.scheme == "https" else { return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .notApplicable)] }
        guard let session = try? context.resolver.session() else {
            return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .couldNotTest("no resolver"))]
        }
        let a = (try? session.lookup(endpoint.host, .a).get())?.values(.a) ?? []
        let family: AddressFamily = a.isEmpty ? .ipv6 : .ipv4
        guard let address = CIDR.parse(endpoint.host) != nil ? endpoint.host
                : (a.first ?? (try? session.lookup(endpoint.host, .aaaa).get())?.values(.aaaa).first) else {
            return [Evidence(TLSOffer.self, endpoint: endpoint, outcome: .failed(FailureReason(code: "dns", detail: "no address")))]
        }
        let port = endpoint.effectivePort
        let timeout = context.connectTimeoutMilliseconds
        var evidence: [Evidence] = []

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
            let accepted = scan.suites.values.flatMap { $0 }.compactMap(CipherSuite.named)
            var weak: [String: String] = [:]
            for s in accepted { if let w = s.weakness { weak[s.name] = w } }
            let fs = accepted.allSatisfy(\.forwardSecrecy) ? "all" : accepted.contains(where: \.forwardSecrecy) ? "some" : "none"
            evidence.append(Evidence(endpoint: endpoint, facts: TLSOffer(
                protocols: scan.offered.map(\.name),
                suites: Dictionary(uniqueKeysWithValues: scan.suites.map { ($0.key.name, $0.value.compactMap { CipherSuite.named($0)?.name }) }),
                serverOrder: Dictionary(uniqueKeysWithValues: scan.serverOrder.map { ($0.key.name, $0.value) }),
                groups: scan.groups.compactMap { Self.groupNames[$0] }, weakSuites: weak, forwardSecrecy: fs,
                handshakes: scan.handshakes)))
        }

        let inspector = TLSInspector(caFile: caFile, timeoutMilliseconds: timeout, filter: context.filter, gate: context.gate)
        switch inspector.inspect(address: address, port: port, serverName: endpoint.host, hostname: endpoint.host) {
        case .failure(let f):
            evidence.append(Evidence(TLSCertificate.self, endpoint: endpoint,
                                     outcome: .failed(FailureReason(code: "handshake", detail: "\(f)"))))
        case .success(let r):
            let noSNI = try? inspector.inspect(address: address, port: port, serverName: nil, hostname: endpoint.host).get()
            let differs = noSNI.map { $0.subject != r.subject } ?? false
            let day: (Date) -> String = { CalendarDate($0, in: CalendarDate.vietnamTimeZone).description }
            // Incomplete: the server sent only its own certificate and it is not self-signed, so
            // a client without that intermediate cannot build the path (OpenSSL error 20 or 21).
            let incomplete = !r.selfSigned && r.chainLength < 2 && (r.verifyResult == 20 || r.verifyResult == 21)
            var facts = TLSCertificate(
                subject: r.subject, subjectAltNames: r.subjectAltNames, issuer: r.issuer, notBefore: day(r.notBefore),
                notAfter: day(r.notAfter),
                daysLeft: CalendarDate(asOf, in: CalendarDate.vietnamTimeZone).days(until: CalendarDate(r.notAfter, in: CalendarDate.vietnamTimeZone)),
                keyType: r.keyType, keyBits: r.keyBits, signature: r.signature, selfSigned: r.selfSigned,
                chainLength: r.chainLength, trusted: r.verifyResult == 0, verifyError: r.verifyResult == 0 ? nil : r.verifyError,
                chainComplete: !incomplete, hostnameMatches: r.hostnameMatches, ocspStapled: r.ocspStapled,
                withoutSNISubject: differs ? noSNI?.subject : nil, withoutSNIHostnameMatches: differs ? noSNI?.hostnameMatches : nil)
            facts.chain = r.chain.map {
                .init(subject: $0.subject, issuer: $0.issuer, notBefore: day($0.notBefore), notAfter: day($0.notAfter),
                      keyType: $0.keyType, keyBits: $0.keyBits, signature: $0.signature)
            }
            evidence.append(Evidence(endpoint: endpoint, facts: facts))
        }

        evidence.append(httpSide(endpoint, family: family, address: address))
        return evidence
    }

    private func httpSide(_ endpoint: Endpoint, family: AddressFamily, address: String) -> Evidence {
        let plain = "http://\(endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host)/"
        let first = try? context.http.fetch(plain, family: family, followRedirects: false).get()
        let location = first?.header("Location")
        let toHTTPS = location.flatMap { URL(string: $0, relativeTo: URL(string: plain)) }
            .map { $0.scheme == "https" && $0.host?.lowercased() == endpoint.host } ?? false
        let secure = try? context.http.fetch(endpoint.description, family: family, address: address, followRedirects: false).get()
        let sts = secure?.header("Strict-Transport-Security")
        let parsed = sts.map(HTTPSFacts.parseHSTS)
        let wanted = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"]
        let present = wanted.filter { secure?.header($0) != nil }
        let server = secure?.header("Server") ?? first?.header("Server")
        let banner = server.flatMap { $0.range(of: #"/\d"#, options: .regularExpression) != nil ? $0 : nil }
        return Evidence(endpoint: endpoint, facts: HTTPSFacts(
            httpStatus: first?.status, httpLocation: location, redirectsToHTTPS: toHTTPS, strictTransportSecurity: sts,
            hstsMaxAge: parsed?.maxAge, hstsIncludeSubDomains: parsed?.includeSubDomains ?? false, hstsPreload: parsed?.preload ?? false,
            hstsOverHTTP: first?.header("Strict-Transport-Security") != nil, securityHeaders: present, versionBanner: banner))
    }
}

extension TLSProbe: Probe {}
