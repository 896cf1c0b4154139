import GovAuditCore
import GovAuditNet

/// The TLS probe's depth checks, run once the versions and suites are known: the known
/// vulnerabilities and protocol features by hand-built hellos (`TLSVulnerabilityProber`), the
/// features that need a full handshake through OpenSSL (`TLSSessionProber`), the key exchange,
/// and ROBOT (`TLSRobotProber`: five connections when the server accepts a suite of RSA key
/// exchange, ten when its answers differ, none otherwise). Facts only; the tls-depth rules
/// (Policies/rules/tls-depth.yaml) judge them.
struct TLSDepthChecks: Sendable {
    var prober: TLSProber

    /// The kinds these checks write: could-not-test or failed with the TLS offer.
    static let kinds: [any EvidenceFacts.Type] = [TLSVulnerabilities.self, TLSProtocolFeatures.self, TLSKeyExchange.self, TLSRobot.self]

    /// `earlyData`: the TLS 1.3 tickets the certificate step's handshake read, if it did.
    func run(_ endpoint: Endpoint, address: String, port: Int, serverName: String?, scan: TLSProber.VersionScan,
             earlyData: TLSProtocolFeatures.EarlyData? = nil, deadline: Deadline) -> [Evidence] {
        guard !deadline.hasPassed else {
            let reason = FailureReason.budgetExhausted("\(deadline) ran out before the depth checks")
            return Self.kinds.map { Evidence($0, endpoint: endpoint, outcome: .failed(reason)) }
        }
        let raw = TLSVulnerabilityProber(prober: prober).run(address: address, port: port, serverName: serverName, scan: scan, deadline: deadline)
        let session = TLSSessionProber(prober: prober).run(address: address, port: port, serverName: serverName,
                                                            offered: scan.offered, earlyData: earlyData, deadline: deadline)
        let robot = TLSRobotProber(prober: prober).run(address: address, port: port, serverName: serverName, scan: scan, deadline: deadline)
        let features = TLSProtocolFeatures(extensions: raw.extensions, clientRenegotiation: session.clientRenegotiation,
                                           resumptionByID: session.resumptionByID, resumptionByTicket: session.resumptionByTicket,
                                           earlyData: session.earlyData, handshakes: session.handshakes)
        return [Evidence(endpoint: endpoint, facts: raw.vulnerabilities), Evidence(endpoint: endpoint, facts: features),
                Evidence(endpoint: endpoint, facts: raw.keyExchange), Evidence(endpoint: endpoint, facts: robot)]
    }
}
