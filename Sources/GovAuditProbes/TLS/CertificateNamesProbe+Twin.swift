import Foundation
import GovAuditCore
import GovAuditNet

extension CertificateNamesProbe {
    /// The www/apex twin as a browser reaches it: its addresses, one handshake with the twin as
    /// SNI (IPv4 first), and when its certificate names it, the first HTTPS answer. A lookup that
    /// fails is the step's failure, never "does not resolve".
    func twin(_ endpoint: Endpoint, _ session: Resolver.Session, _ context: ProbeContext, _ deadline: Deadline) -> Evidence {
        guard options.twins, let twin = Self.plannedTwin(endpoint, listedHosts: listedHosts) else {
            return Evidence(TwinName.self, endpoint: endpoint, outcome: .notApplicable)
        }
        let listed = endpoint.host.lowercased()
        let a = session.lookup(twin, .a), aaaa = session.lookup(twin, .aaaa)
        let v4 = a.success?.values(.a) ?? [], v6 = aaaa.success?.values(.aaaa) ?? []
        for (lookup, type) in [(a, DNSType.a), (aaaa, .aaaa)] {
            if let failed = IPv6DNSProbe.queryFailure(lookup, type) {
                return Evidence(TwinName.self, endpoint: endpoint,
                                outcome: .failed(FailureReason(code: failed.code, detail: "\("\(type)".uppercased()) \(twin): \(failed.detail)")))
            }
        }
        guard let (family, address) = v4.first.map({ (AddressFamily.ipv4, $0) }) ?? v6.first.map({ (AddressFamily.ipv6, $0) }) else {
            return Evidence(endpoint: endpoint, facts: TwinName(listed: listed, twin: twin, addresses: []))
        }
        if family == .ipv6 && context.ipv6Disabled {
            return Evidence(TwinName.self, endpoint: endpoint, outcome: .couldNotTest("\(twin) has only IPv6 addresses; IPv6 disabled (--no-ipv6)"))
        }
        var facts = TwinName(listed: listed, twin: twin, addresses: v4 + v6)
        let inspector = TLSInspector(caFile: caFile, timeoutMilliseconds: context.connectTimeoutMilliseconds,
                                     filter: context.filter, gate: context.gate)
        switch inspector.inspect(address: address, port: endpoint.effectivePort, serverName: twin, hostname: twin, keys: .any, deadline: deadline) {
        case .failure(.connect(let outcome)) where outcome == .noRoute || outcome == .notAllowed:
            return Evidence(TwinName.self, endpoint: endpoint, outcome: .couldNotTest("\(twin) (\(address)): connect: \(outcome.rawValue)"))
        case .failure(let f):
            let reason = TLSProbe.reason(f)
            if reason.isBudgetExhausted { return Evidence(TwinName.self, endpoint: endpoint, outcome: .failed(reason)) }
            facts.tlsFailure = reason
            return Evidence(endpoint: endpoint, facts: facts)
        case .success(let r):
            facts.certificate = .init(subject: r.leaf.subjectCN, subjectAltNames: r.leaf.dnsNames, hostnameMatches: r.hostnameMatches,
                                      verifyResult: r.path.result, verifyError: r.path.error)
            guard r.hostnameMatches else { return Evidence(endpoint: endpoint, facts: facts) }
        }
        let port = endpoint.effectivePort == 443 ? "" : ":\(endpoint.effectivePort)"
        switch context.http.fetch("https://\(twin)\(port)/", family: family, address: address, followRedirects: false) {
        case .success(let answer):
            facts.https = .init(status: answer.status, location: answer.header("Location"))
        case .failure(let f):
            if f.isScannerSide { return Evidence(TwinName.self, endpoint: endpoint, outcome: .couldNotTest(f.description)) }
            let reason = FailureReason(code: f.code, detail: f.description)
            if reason.isBudgetExhausted { return Evidence(TwinName.self, endpoint: endpoint, outcome: .failed(reason)) }
            facts.httpsFailure = reason
        }
        return Evidence(endpoint: endpoint, facts: facts)
    }
}
