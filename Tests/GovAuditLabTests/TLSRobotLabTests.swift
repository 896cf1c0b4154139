import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// The ROBOT check against the lab's real servers, none of them an oracle (OpenSSL 3 and GnuTLS
/// answer every malformed premaster secret alike): nginx with RSA key exchange (OpenSSL's
/// DEFAULT suites, TLS 1.0–1.2 or 1.2 alone) and lighttpd on GnuTLS (RSA suites only) show no
/// oracle, with five connections; nginx with Mozilla's intermediate suites has no RSA key
/// exchange, so the test does not apply and opens none; nginx asking for a client certificate
/// (`ssl_verify_client optional`) takes the empty one the test sends. Both rules pass everywhere.
@Suite("ROBOT against the lab (integration)", .serialized)
struct TLSRobotLabTests {
    let lab: Lab
    init() throws { lab = try Lab.running() }

    /// Host → whether it accepts a suite of RSA key exchange (the test applies).
    static let hosts: [String: Bool] = [
        "depth.lab.angiang.gov.vn": false, "early-data.lab.angiang.gov.vn": false,
        "tls12-only.lab.angiang.gov.vn": true, "tls11.lab.angiang.gov.vn": true, "weak-suites.lab.angiang.gov.vn": true,
        "client-cert.lab.angiang.gov.vn": true,
    ]

    @Test("no oracle where RSA key exchange is offered (every answer alike, five connections); not applicable, no connection, elsewhere")
    func lab() async throws {
        let run = try await TLSLabRun(lab, hosts: Self.hosts.keys.sorted(), areas: [.tls], concurrency: 3)
        let (evidence, evaluation) = (run.evidence, run.evaluation)
        for (host, rsa) in Self.hosts {
            let robot = try #require(evidence[host]?.first { $0.kind == TLSRobot.kind }?.facts(as: TLSRobot.self), "\(host)")
            let results = evaluation.systems.first { $0.system.id == host }?.results ?? []
            for rule in ["tls.robot", "tls.robot-weak-oracle"] {
                #expect(results.first { $0.rule == rule }?.status == .pass, "\(host) \(rule)")
            }
            guard rsa else {
                guard case .notApplicable(let why) = robot.test else { Issue.record("\(host): \(robot.test)"); continue }
                #expect(why.contains("RSA key exchange") && robot.handshakes == 0, "\(host)")
                continue
            }
            let test = try #require(robot.test.value, "\(host): \(robot.test)")
            #expect(test.rounds.count == 1 && robot.handshakes == 5, "\(host): one round of five")
            #expect(CipherSuite.named(UInt16(test.suite.code))?.keyExchange == "RSA" && test.keyBits >= 2048, "\(host)")
            let answers = Set(test.rounds[0].answers.map(\.response))
            #expect(answers.count == 1 && test.rounds[0].answers.count == 5, "\(host): \(answers)")
            // A server that failed to decrypt the garbled Finished says so at once, never by
            // silence: nginx (OpenSSL) with an alert, lighttpd (GnuTLS) by closing the connection.
            #expect(answers.first?.end == (host.hasPrefix("weak-suites") ? .closed : .alert), "\(host): \(answers)")
            #expect(test.emptyClientCertificate == (host.hasPrefix("client-cert") ? true : nil), "\(host)")
        }
    }
}
