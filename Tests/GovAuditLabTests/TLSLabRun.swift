import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes

/// What the TLS lab suites share: lab hosts as level-3 systems with their HTTPS endpoint,
/// probed by the TLS probe through the scan pipeline, then judged under `areas` today.
struct TLSLabRun {
    let evidence: [String: [Evidence]]
    let evaluation: Evaluation

    init(_ lab: Lab, hosts: [String], areas: Set<Area>, concurrency: Int, options: TLSProbeOptions = TLSProbeOptions()) async throws {
        let systems = hosts.map { h in
            System(id: h, name: h, agency: "lab", level: SecurityLevel(3)!, dossier: Dossier(status: .approved),
                   endpoints: [try! Endpoint(parsing: "https://\(h)/")])
        }
        let probe = TLSProbe(context: lab.probeContext(), caFile: lab.caFile, options: options)
        evidence = try await lab.probeAll(systems, probes: [probe], concurrency: concurrency)
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let inventory = Inventory(name: "lab", agencies: [Agency(id: "lab", name: "Lab")], systems: systems)
        evaluation = Evaluator(policy: policy, areas: areas).evaluate(inventory, asOf: CalendarDate.today(), evidence: evidence)
    }

    /// The evidence collected for `host`.
    func evidence(_ host: String) -> [Evidence] { evidence[host] ?? [] }

    /// The findings on `host`.
    func findings(_ host: String) -> [Finding] {
        evaluation.systems.first { $0.system.id == host }?.findings ?? []
    }
}
