import GovAuditCore
import GovAuditNet

/// The TLS probe's depth checks, run once the versions and suites are known: the known
/// vulnerabilities and protocol features by hand-built hellos (`TLSVulnerabilityProber`), the
/// features that need a full handshake through OpenSSL (`TLSSessionProber`), and the key
/// exchange. Facts only; the tls-depth rules judge them. About a dozen handshakes in all.
struct TLSDepthChecks: Sendable {
    var prober: TLSProber

    /// The kinds these checks write: could-not-test or failed with the TLS offer.
    static let kinds: [any EvidenceFacts.Type] = [TLSVulnerabilities.self, TLSProtocolFeatures.self, TLSKeyExchange.self]

    func run(_ endpoint: Endpoint, address: String, port: Int, serverName: String?, scan: TLSProber.VersionScan,
             deadline: Deadline) -> [Evidence] {
        guard !deadline.hasPassed else {
            let reason = FailureReason.budgetExhausted("\(deadline) ran out before the depth checks")
            return Self.kinds.map { Evidence($0, endpoint: endpoint, outcome: .failed(reason)) }
        }
        let raw = TLSVulnerabilityProber(prober: prober).run(address: address, port: port, serverName: serverName, scan: scan, deadline: deadline)
        let session = TLSSessionProber(prober: prober).run(address: address, port: port, serverName: serverName,
                                                            offered: scan.offered, deadline: deadline)
        let features = TLSProtocolFeatures(extensions: raw.extensions, clientRenegotiation: session.clientRenegotiation,
                                           resumptionByID: session.resumptionByID, resumptionByTicket: session.resumptionByTicket,
                                           earlyData: session.earlyData, handshakes: session.handshakes)
        return [Evidence(endpoint: endpoint, facts: raw.vulnerabilities), Evidence(endpoint: endpoint, facts: features),
                Evidence(endpoint: endpoint, facts: raw.keyExchange)]
    }
}
