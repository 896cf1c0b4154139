import Foundation
import GovAuditCore
import GovAuditNet

/// The certificate step of the TLS probe: one handshake as a browser would make it (SNI unless
/// the host is an IP literal), one offering only the other key type (RSA or ECDSA) to find a
/// second deployment, one without SNI. Every certificate sent is recorded, judged by the rules.
/// The browser-like handshake, when it is TLS 1.3, also reads the server's tickets: the 0-RTT
/// check's facts, returned beside the evidence so that check makes no handshake of its own.
extension TLSProbe {
    func certificate(_ endpoint: Endpoint, address: String, port: Int, serverName: String?,
                     _ deadline: Deadline) -> (evidence: Evidence, earlyData: TLSProtocolFeatures.EarlyData?) {
        let inspector = TLSInspector(caFile: caFile, timeoutMilliseconds: context.connectTimeoutMilliseconds,
                                     filter: context.filter, gate: context.gate)
        func inspect(_ sni: String?, _ keys: TLSInspector.Keys, tickets: Bool = false) -> Result<TLSInspector.Report, TLSInspector.Failure> {
            inspector.inspect(address: address, port: port, serverName: sni, hostname: endpoint.host, keys: keys,
                              ticketWaitMilliseconds: tickets ? TLSSessionProber.ticketWaitMilliseconds : nil, deadline: deadline)
        }
        let r: TLSInspector.Report
        switch inspect(serverName, .any, tickets: true) {
        case .failure(let f): return (Evidence(TLSCertificate.self, endpoint: endpoint, outcome: .failed(Self.reason(f))), nil)
        case .success(let report): r = report
        }
        // A second deployment answers a client that cannot verify the first key type; a
        // server with one certificate fails that handshake or sends the same leaf again.
        let other: TLSInspector.Keys? = switch r.leaf.keyType { case "RSA": .ecdsa; case "EC": .rsa; default: nil }
        var others: [TLSCertificate.OtherKeyType] = []
        if let other, case .success(let o) = inspect(serverName, other), o.leaf.sha256 != r.leaf.sha256 {
            others.append(.init(chain: o.chain.map(Self.entry), verifyResult: o.path.result, verifyError: o.path.error,
                                hostnameMatches: o.hostnameMatches))
        }
        let withoutSNI: TLSCertificate.WithoutSNI
        if serverName == nil {
            withoutSNI = .init(subject: r.leaf.subjectCN, hostnameMatches: r.hostnameMatches, failure: nil)
        } else {
            switch inspector.leaf(address: address, port: port, serverName: nil, deadline: deadline) {
            case .success(let leaf): withoutSNI = .init(subject: leaf.subjectCN, hostnameMatches: leaf.matches(host: endpoint.host), failure: nil)
            case .failure(let f): withoutSNI = .init(subject: nil, hostnameMatches: nil, failure: Self.reason(f))
            }
        }
        let leaf = r.leaf
        return (Evidence(endpoint: endpoint, facts: TLSCertificate(
            chain: r.chain.map(Self.entry), subject: leaf.subjectCN, subjectAltNames: leaf.dnsNames, ipAddresses: leaf.ipAddresses,
            issuer: leaf.issuer, notBefore: Timestamp(leaf.notBefore), notAfter: Timestamp(leaf.notAfter), keyType: leaf.keyType,
            keyBits: leaf.keyBits, signature: leaf.signature, selfSigned: leaf.selfSigned, chainLength: r.chain.count,
            serverName: serverName, verifyResult: r.path.result, verifyError: r.path.error,
            defaultLevel: .init(result: r.defaultLevel.result, error: r.defaultLevel.error, securityLevel: r.defaultLevel.securityLevel),
            hostnameMatches: r.hostnameMatches, ocsp: r.ocsp.map(Self.stapled), signedCertificateTimestamps: r.signedCertificateTimestamps,
            otherKeyTypes: others, withoutSNI: withoutSNI)), r.earlyData)
    }

    static func entry(_ c: X509Certificate) -> TLSCertificate.ChainEntry {
        .init(subject: c.subjectCN, issuer: c.issuerCN, notBefore: Timestamp(c.notBefore), notAfter: Timestamp(c.notAfter),
              keyType: c.keyType, keyBits: c.keyBits, signature: c.signature, subjectName: c.subject, issuerName: c.issuer,
              sha256: c.sha256, selfSigned: c.selfSigned, isCA: c.isCA, mustStaple: c.mustStaple, embeddedSCTs: c.embeddedSCTs)
    }

    static func stapled(_ o: OCSPResponse) -> TLSCertificate.StapledOCSP {
        .init(responseStatus: o.responseStatus, certStatus: o.certStatus?.rawValue, matchesLeaf: o.matchesLeaf,
              producedAt: o.producedAt.map(Timestamp.init), thisUpdate: o.thisUpdate.map(Timestamp.init),
              nextUpdate: o.nextUpdate.map(Timestamp.init), revokedAt: o.revokedAt.map(Timestamp.init))
    }

    static func reason(_ f: TLSInspector.Failure) -> FailureReason {
        switch f {
        case .connect(let outcome): FailureReason(code: "handshake", detail: "connect: \(outcome.rawValue)")
        case .handshake(let text): FailureReason(code: "handshake", detail: text)
        case .timeout(let bytes): .timeout("the server went silent during the handshake (\(bytes) bytes received)")
        case .budgetExhausted(let d, let bytes): .budgetExhausted("\(d) ran out during the handshake (\(bytes) bytes received)")
        }
    }
}
