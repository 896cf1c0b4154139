import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import Testing

/// Every address of an endpoint against the lab hosts with several A/AAAA records
/// (scenarios.yaml, `addresses`): how each address was probed, what it served, the agreement
/// fact and the tls-addresses rules; the bound counted. Prints the handshakes each host cost.
@Suite("TLS on every address against the lab (integration)", .serialized)
struct TLSAddressTests {
    let lab: Lab
    init() throws { lab = try Lab.running() }

    @Test("per address: probing, protocols, leaf and outcome as scenarios.yaml says; agreement and rules too")
    func everyAddress() async throws {
        let hosts = lab.merged.filter { $0.expect["addresses"] != nil }
        #expect(hosts.count >= 3)
        let run = try await TLSLabRun(lab, hosts: hosts.map(\.name), areas: [.tls], concurrency: 3)
        let (evidence, evaluation) = (run.evidence, run.evaluation)
        var cost: [String] = []
        for h in hosts {
            let want = h.expect["addresses"] as? [String: Any] ?? [:]
            let mine = evidence[h.name] ?? []
            let offer = try #require(mine.lazy.compactMap { $0.facts(as: TLSOffer.self) }.first, "\(h.name)")
            let a = try #require(mine.lazy.compactMap { $0.facts(as: TLSAddresses.self) }.first, "\(h.name) tls.addresses")
            let records = want["records"] as? [String: [String: Any]] ?? [:]
            #expect(Set(a.records.map(\.address)) == Set(records.keys), "\(h.name) addresses probed")
            let primaryLeaf = a.records.first { $0.primary }?.leafSHA256
            #expect(primaryLeaf?.count == 64, "\(h.name) primary leaf")
            for r in a.records {
                let w = try #require(records[r.address], "\(h.name) \(r.address) unexpected")
                #expect(r.primary == (w["primary"] as? Bool ?? false), "\(h.name) \(r.address) primary")
                #expect(r.probing.rawValue == w["probing"] as? String, "\(h.name) \(r.address) probing")
                if let outcome = w["outcome"] as? String {
                    guard case .failed(let reason) = r.outcome else { Issue.record("\(h.name) \(r.address): \(r.outcome)"); continue }
                    #expect(reason.code == outcome, "\(h.name) \(r.address) outcome")
                    continue
                }
                #expect(r.outcome == .collected, "\(h.name) \(r.address) \(r.outcome)")
                #expect(r.versions.map(\.name) == w["protocols"] as? [String], "\(h.name) \(r.address) protocols")
                let leaf = r.leafSHA256 == primaryLeaf ? "primary" : "other"
                #expect(leaf == w["leaf"] as? String, "\(h.name) \(r.address) leaf")
                #expect((r.suites != nil) == (r.probing != .fingerprint), "\(h.name) \(r.address) suites where enumerated")
            }
            #expect(a.agreement.allAgree == want["allAgree"] as? Bool, "\(h.name) allAgree")
            let differing = want["differing"] as? [String: [String]] ?? [:]
            #expect(Dictionary(uniqueKeysWithValues: a.agreement.differing.map { ($0.address, $0.aspects.map(\.rawValue)) }) == differing,
                    "\(h.name) differing")
            let fired = Set((evaluation.systems.first { $0.system.id == h.name }?.findings ?? []).map(\.rule)
                .filter { ["tls.address-differs", "tls.ipv6-older", "tls.address-unavailable"].contains($0) })
            #expect(fired == Set(want["rules"] as? [String] ?? []), "\(h.name) rules")
            for f in evaluation.systems.first(where: { $0.system.id == h.name })?.findings ?? [] where fired.contains(f.rule) {
                #expect(f.evidence.contains { $0.name == "addresses" }, "\(h.name) \(f.rule) names the address")
            }
            let perAddress = a.records.filter { !$0.primary }.map { "\($0.address) \($0.probing.rawValue) \($0.handshakes)" }
            cost.append("\(h.name.split(separator: ".")[0]): primary \(offer.handshakes)+3, addresses \(a.handshakes) (\(perAddress.joined(separator: ", ")))")
        }
        print("handshakes per host: " + cost.joined(separator: "; "))
    }

    @Test("--max-addresses 1: one address per family probed, the rest counted and named")
    func bound() async throws {
        let name = "addr-agree.lab.angiang.gov.vn"
        var options = TLSProbeOptions()
        options.maxAddresses = 1
        let evidence = try await TLSLabRun(lab, hosts: [name], areas: [.tls], concurrency: 1, options: options).evidence
        let a = try #require((evidence[name] ?? []).lazy.compactMap { $0.facts(as: TLSAddresses.self) }.first)
        #expect(a.records.map(\.address) == ["127.0.10.136", "fd10::136"])
        #expect(a.notProbed == [.init(family: .ipv4, count: 1, addresses: ["127.0.10.137"]),
                                .init(family: .ipv6, count: 1, addresses: ["fd10::137"])])
    }
}
