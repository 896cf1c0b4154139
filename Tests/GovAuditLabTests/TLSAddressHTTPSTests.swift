import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import Testing

/// Every address, continued (issue 13 item 1, hosts 127.0.10.141–145): a first A that refuses
/// on 443 no longer makes the host TLS-less (the next answering address is the primary, the
/// refusing one a failed record), and every answering address's HTTPS answer is recorded and
/// judged by https.address-differs (scenarios.yaml, `addresses.records.*.https`, `httpsRules`).
@Suite("TLS and HTTPS on every address: the primary, the HTTPS answer per address (integration)", .serialized)
struct TLSAddressHTTPSTests {
    let lab: Lab
    init() throws { lab = try Lab.running() }

    func records(_ h: Lab.Host) -> [String: [String: Any]] {
        (h.expect["addresses"] as? [String: Any])?["records"] as? [String: [String: Any]] ?? [:]
    }

    @Test("a refusing first A: TLS is collected from the second, which the evidence names as the primary")
    func firstRefuses() async throws {
        let h = try #require(lab.merged.first { $0.name == "addr-first-down.lab.angiang.gov.vn" })
        let evidence = try await TLSLabRun(lab, hosts: [h.name], areas: [.tls], concurrency: 1).evidence
        let mine = evidence[h.name] ?? []
        for kind in [TLSOffer.kind, TLSCertificate.kind, HTTPSAnswer.kind, TLSAddresses.kind] {
            #expect(mine.first { $0.kind == kind }?.outcome == .collected, "\(kind): \(String(describing: mine.first { $0.kind == kind }?.outcome))")
        }
        let a = try #require(mine.lazy.compactMap { $0.facts(as: TLSAddresses.self) }.first)
        #expect(a.primary == h.ipv4 && a.primary == "127.0.10.142")
        let refused = try #require(a.records.first { $0.address == "127.0.10.141" })
        guard case .failed(let reason) = refused.outcome else { Issue.record("\(refused.outcome)"); return }
        #expect(reason.code == "refused" && refused.handshakes == 2 && !refused.primary)
    }

    @Test("per address: the HTTPS answer as scenarios.yaml says; https.address-differs fires where it says, naming the address")
    func httpsPerAddress() async throws {
        let hosts = lab.merged.filter { h in records(h).values.contains { $0["https"] != nil } }
        #expect(hosts.count >= 3)
        let run = try await TLSLabRun(lab, hosts: hosts.map(\.name), areas: [.https], concurrency: 3)
        let (evidence, evaluation) = (run.evidence, run.evaluation)
        var cost: [String] = []
        for h in hosts {
            let a = try #require((evidence[h.name] ?? []).lazy.compactMap { $0.facts(as: TLSAddresses.self) }.first, "\(h.name)")
            let want = records(h)
            #expect(a.primary == want.first { $0.value["primary"] as? Bool == true }?.key, "\(h.name) primary")
            var odd: Set<String> = []
            for r in a.records {
                guard let w = want[r.address]?["https"] as? [String: Any] else {
                    #expect(r.https == nil, "\(h.name) \(r.address): an HTTPS answer where TLS failed")
                    continue
                }
                guard case .observed(let got)? = r.https else { Issue.record("\(h.name) \(r.address): \(String(describing: r.https))"); continue }
                #expect(got.status == w["status"] as? Int, "\(h.name) \(r.address) status")
                #expect((got.hsts?.setsPolicy ?? false) == w["hsts"] as? Bool, "\(h.name) \(r.address) HSTS")
                #expect(got.location == w["location"] as? String, "\(h.name) \(r.address) location")
                let primary = want[a.primary ?? ""]?["https"] as? [String: Any]
                if !r.primary, w["status"] as? Int != primary?["status"] as? Int || w["hsts"] as? Bool != primary?["hsts"] as? Bool {
                    odd.insert(r.address)
                }
            }
            let findings = (evaluation.systems.first { $0.system.id == h.name }?.findings ?? []).filter { $0.rule == "https.address-differs" }
            let expected = (h.expect["addresses"] as? [String: Any])?["httpsRules"] as? [String] ?? []
            #expect(Set(findings.map(\.rule)) == Set(expected), "\(h.name) https rules")
            #expect(Set(findings.flatMap { $0.evidence.filter { $0.name == "addresses" }.map(\.value) }) == odd, "\(h.name) addresses named")
            cost.append("\(h.name.split(separator: ".")[0]): \(a.httpsRequests) HTTPS requests, \(a.handshakes) handshakes beyond the primary")
        }
        print("per-address HTTPS cost: " + cost.joined(separator: "; "))
    }
}
