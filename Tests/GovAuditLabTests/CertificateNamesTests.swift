import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// CAA and the www/apex twin against the lab (scenarios.yaml, `names`): the RRset found by the
/// climb (at a signed zone's apex above the host, on the host itself, nowhere), the twin that
/// resolves with a certificate that does not cover it and the one that answers, and a climb that
/// reaches a top-level domain the lab does not serve (a typed failure, never "no CAA").
@Suite("CAA and www/apex twins against the lab (integration)", .serialized)
struct CertificateNamesTests {
    let lab: Lab
    init() throws { lab = try Lab.running() }

    /// The default policy, with the lab's CA given its CAA domain (the lab root is no public CA;
    /// its intermediate's name has no O=, so its CN is the key).
    func policy() throws -> Policy {
        var p = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let rule = "tls.caa-issuer-not-authorised"
        let i = try #require(p.rules.firstIndex { $0.id == rule })
        guard case .map(var table)? = p.rules[i].parameters["issuerDomains"] else { throw Failure("\(rule) has no issuerDomains") }
        table["GovAudit Lab Intermediate CA"] = .list([.text("ca.lab.angiang.gov.vn")])
        p.rules[i].parameters.values["issuerDomains"] = .map(table)
        return p
    }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    @Test("the names facts of every host that declares them; a sound host (no CAA, twin not resolving); a climb the lab's root refuses")
    func names() async throws {
        let sound = "dichvucong.angiang.gov.vn", outside = "kuwin88.example"
        let hosts = lab.merged.filter { $0.expect["names"] != nil || $0.name == sound || $0.name == outside }
        #expect(hosts.count >= 6)
        let systems = hosts.map { h in
            System(id: h.name, name: h.name, agency: "lab", level: SecurityLevel(3)!, dossier: Dossier(status: .approved),
                   endpoints: [try! Endpoint(parsing: "https://\(h.name)/")])
        }
        let listed = Set(hosts.map(\.name))
        let probes: [any Probe] = [TLSProbe(context: lab.probeContext(), caFile: lab.caFile),
                                   CertificateNamesProbe(context: lab.probeContext(), caFile: lab.caFile, listedHosts: listed)]
        let evidence = try await lab.probeAll(systems, probes: probes, concurrency: 4)
        let inventory = Inventory(name: "lab", agencies: [Agency(id: "lab", name: "Lab")], systems: systems)
        let evaluation = Evaluator(policy: try policy(), areas: [.tls, .https]).evaluate(inventory, asOf: CalendarDate.today(), evidence: evidence)
        for h in hosts {
            let d = h.expect["names"] as? [String: Any] ?? [:]
            let mine = evidence[h.name] ?? []
            let system = evaluation.systems.first { $0.system.id == h.name }
            func fired(_ rule: String) -> [Finding] { system?.findings.filter { $0.rule == rule } ?? [] }
            func status(_ rule: String) -> RuleResult.Status? { system?.results.first { $0.rule == rule }?.status }
            let caaStep = try #require(mine.first { $0.kind == CAARecordSet.kind }, "\(h.name)")

            if h.name == outside {
                // kuwin88.example → example: the lab's root refuses, the resolver says SERVFAIL.
                guard case .failed(let r) = caaStep.outcome else { Issue.record("\(h.name): \(caaStep.outcome)"); continue }
                #expect((r.code == "servfail" || r.code == "refused") && r.detail.hasPrefix("CAA example:"), "\(h.name): \(r)")
                #expect(status("tls.no-caa") == .unknown && fired("tls.no-caa").isEmpty, "\(h.name): a failed query is never 'no CAA'")
                continue
            }
            let caa = try #require(caaStep.facts(as: CAARecordSet.self), "\(h.name): \(caaStep.outcome)")
            let wanted = d["caa"] as? [String: Any] ?? ["foundAt": NSNull()]
            let foundAt = wanted["foundAt"] as? String
            #expect(caa.foundAt == foundAt, "\(h.name) CAA found at")
            #expect(caa.climbed.first == h.name && caa.climbed.last == (foundAt ?? "vn"), "\(h.name) climb: \(caa.climbed)")
            for tag in ["issue", "issuewild", "iodef"] {
                #expect(caa.values(tag) == wanted[tag] as? [String] ?? [], "\(h.name) \(tag)")
            }
            if let dnssec = wanted["dnssec"] as? String { #expect(caa.validation.rawValue == dnssec, "\(h.name) DNSSEC of the CAA answer") }
            #expect(fired("tls.no-caa").count == (foundAt == nil ? 1 : 0), "\(h.name) tls.no-caa")
            #expect(fired("tls.caa-issuer-not-authorised").count == (d["issuerNotAuthorised"] as? Bool == true ? 1 : 0),
                    "\(h.name) issuer rule: \(status("tls.caa-issuer-not-authorised").map { "\($0)" } ?? "-")")

            let twinStep = try #require(mine.first { $0.kind == TwinName.kind }, "\(h.name)")
            let twin = try #require(twinStep.facts(as: TwinName.self), "\(h.name): \(twinStep.outcome)")
            #expect(twin.twin == "www." + h.name)
            guard let w = d["twin"] as? [String: Any] else {
                #expect(twin.addresses.isEmpty && fired("https.twin-name-broken").isEmpty, "\(h.name): the twin does not resolve")
                continue
            }
            #expect(twin.addresses.contains(h.ipv4), "\(h.name) twin addresses \(twin.addresses)")
            let matches = w["hostname"] as? String == "match"
            #expect(twin.certificate?.hostnameMatches == matches, "\(h.name) twin certificate")
            #expect(twin.https?.status == w["status"] as? Int, "\(h.name) twin HTTPS answer")
            let broken = fired("https.twin-name-broken")
            #expect(broken.count == (matches ? 0 : 1), "\(h.name) twin rule")
            if let f = broken.first {
                #expect(f.evidence.contains(Fact("problem", "name-not-covered")))
                #expect(f.key == Finding.key(rule: f.rule, system: h.name, endpoint: f.endpoint, subject: twin.twin), "keyed by the twin, no address")
            }
        }
    }

    @Test("the example inventory plans a twin for every https endpoint but the portal, which lists both names")
    func plannedTwins() throws {
        let inventory = try InventoryLoader.load(path: Lab.root.appendingPathComponent("Policies/inventory/angiang.yaml").path)
        let listed = Set(inventory.systems.flatMap(\.endpoints).map { $0.host.lowercased() })
        let https = inventory.systems.flatMap(\.endpoints).filter { $0.scheme == "https" }
        #expect(listed.contains("angiang.gov.vn") && listed.contains("www.angiang.gov.vn"))
        #expect(ScanProbes.plannedTwins(inventory.systems, listedHosts: listed) == https.count - 2)
    }
}
