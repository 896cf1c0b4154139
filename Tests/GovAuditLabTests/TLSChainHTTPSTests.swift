import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// Issue 13's facts on the lab hosts that serve them (scenarios.yaml, `chainHTTPS`), and their
/// absence on a sound host: the other key type's deployment, weak intermediates, the downgrade
/// redirect, cookie attributes, security.txt. Also prints the handshakes each host cost.
@Suite("TLS and HTTPS in depth against the lab (integration)", .serialized)
struct TLSChainHTTPSTests {
    let lab: Lab

    init() throws {
        lab = try Lab.running()
    }

    @Test("the chainHTTPS facts of every host that declares them, and none of them on a sound host")
    func depth() async throws {
        let hosts = lab.merged.filter { $0.expect["chainHTTPS"] != nil || $0.name == "dichvucong.angiang.gov.vn" }
        #expect(hosts.count >= 7)
        let run = try await TLSLabRun(lab, hosts: hosts.map(\.name), areas: [.tls, .https], concurrency: 4)
        var cost: [String] = []
        for h in hosts {
            let d = h.expect["chainHTTPS"] as? [String: Any] ?? [:]
            let mine = run.evidence(h.name)
            let findings = run.findings(h.name)
            func fired(_ rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
            let offer = try #require(mine.lazy.compactMap { $0.facts(as: TLSOffer.self) }.first, "\(h.name)")
            let cert = try #require(mine.lazy.compactMap { $0.facts(as: TLSCertificate.self) }.first, "\(h.name)")
            let site = try #require(mine.lazy.compactMap { $0.facts(as: HTTPSAnswer.self) }.first, "\(h.name)")
            let txt = try #require(mine.lazy.compactMap { $0.facts(as: SecurityTxt.self) }.first, "\(h.name)")
            // Hellos, then the full handshakes: with SNI, the other key type, without SNI.
            cost.append("\(h.name.split(separator: ".")[0]) \(offer.handshakes)+3")
            #expect(offer.unanswered.isEmpty && offer.cutShort.isEmpty, "\(h.name): a lab host answers every hello")

            let others = cert.otherKeyTypes.compactMap { $0.chain.first }.map { "\($0.keyType)-\($0.keyBits)" }
            #expect(others == d["otherKeyTypes"] as? [String] ?? [], "\(h.name) other key types")
            for o in cert.otherKeyTypes { #expect(o.verifyResult == 0 && o.hostnameMatches, "\(h.name) second deployment") }

            let weak = cert.chain.dropFirst().filter { $0.signature.lowercased().contains("sha1") }.map(\.subject)
            #expect(weak == d["weakSignatures"] as? [String] ?? [], "\(h.name) weak intermediates")
            #expect(fired("tls.cert-weak-signature").count == weak.count, "\(h.name) one finding per weak certificate")
            #expect((cert.defaultLevel.result == 0) == (d["defaultLevelVerifies"] as? Bool ?? true),
                    "\(h.name) default level: \(cert.defaultLevel.result) \(cert.defaultLevel.error)")
            #expect(cert.chain.allSatisfy { $0.sha256.count == 64 } && !cert.chain[0].isCA && cert.chain.dropFirst().allSatisfy(\.isCA))
            #expect(fired("tls.chain-misordered").isEmpty && fired("tls.chain-anchor-sent").isEmpty, "\(h.name) chain order")

            let downgrade = (d["downgrade"] as? String)?.replacingOccurrences(of: "{host}", with: h.name)
            #expect(fired("https.downgrade-redirect").isEmpty == (downgrade == nil), "\(h.name) downgrade rule")
            if let downgrade { #expect(site.first("Location") == downgrade, "\(h.name) downgrade target") }

            let wanted = d["cookiesMissing"] as? [String: [String]] ?? [:]
            let missing = Dictionary(uniqueKeysWithValues: fired("https.cookie-flags").compactMap { f -> (String, [String])? in
                guard let name = f.evidence.first(where: { $0.name == "cookie" })?.value,
                      let m = f.evidence.first(where: { $0.name == "missing" })?.value else { return nil }
                return (name, m.components(separatedBy: ", "))
            })
            #expect(missing == wanted, "\(h.name) cookies")

            switch d["securityTxt"] as? String {
            case "valid":
                #expect(fired("https.no-security-txt").isEmpty && fired("https.security-txt-invalid").isEmpty, "\(h.name) security.txt")
                #expect(txt.fields.contains { $0.name == "contact" }, "\(h.name) Contact")
            case "expired":
                #expect(fired("https.no-security-txt").isEmpty, "\(h.name) security.txt present")
                #expect(fired("https.security-txt-invalid").first?.evidence.first?.value.contains("expired") == true, "\(h.name) expired")
            default:
                #expect(txt.status == 404 && fired("https.no-security-txt").count == 1, "\(h.name) no security.txt")
            }
        }
        print("TLS depth: handshakes per host (hellos + full): " + cost.joined(separator: ", "))
    }
}
