import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditReports
import GovAuditScan
import GovAuditStore
import Testing

/// The lab province scanned once: its report rendered from the systems kept in memory and
/// from the store (as `scan` renders it, one system at a time) are the same bytes, in JSON and
/// in both languages' tables. The evidence is every lab scenario's, hostile text included.
@Suite("Reports of a lab scan read back from the store (integration)", .serialized)
struct ReadBackLabTests {
    actor Kept {
        var systems: [String: SystemEvaluation] = [:]
        func add(_ e: SystemEvaluation) { systems[e.system.id] = e }
    }

    @Test("the lab province's report read back from the store equals the in-memory report, byte for byte")
    func identical() async throws {
        let lab = try Lab.running()
        let policy = try PolicyLoader.load(directory: Lab.root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let inventory = try InventoryLoader.load(path: Lab.root.appendingPathComponent("Policies/inventory/angiang.yaml").path)
        let asOf = CalendarDate(year: 2026, month: 11, day: 26)!
        let evaluator = Evaluator(policy: policy)
        let probes = ScanProbes.make(Check.allCases, context: lab.probeContext(), caFile: lab.caFile,
                                     crawl: LinkHygieneOptions(), maxPageBytes: 2 * 1024 * 1024)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-readback-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(StoreLocation(path: folder.appendingPathComponent("history.sqlite").path))
        let provenance = ScanProvenance(id: "", command: "scan", startedAt: Date(), finishedAt: Date(), asOf: asOf,
                                        govauditVersion: "test", libcurlVersion: Libraries.curlVersion,
                                        opensslVersion: Libraries.opensslVersion, policyName: policy.name, policyHash: policy.hash,
                                        inventory: "Policies/inventory/angiang.yaml", resolver: lab.resolver, ipFamilies: ["ipv4", "ipv6"])
        let id = try await store.beginScan(NewScan(kind: .scan, inventory: inventory, inventoryHash: "lab", checks: Check.allCases.map(\.rawValue),
                                                   scope: ScanScope(systems: inventory.systems.map(\.id)), provenance: provenance))
        // Kept here on purpose, as the reference; the scan itself keeps nothing.
        let kept = Kept()
        let run = try await ScanPipeline(probes: probes, evaluator: evaluator, asOf: asOf, concurrency: 8)
            .run(inventory.systems, provinceDomain: inventory.domain, tally: SummaryTally(policy: policy, inventory: inventory), finished: { e, _ in
                // As a scan stores it: the crawl's raw responses apart, only those findings cite (evidence bundles).
                let (evidence, captures) = EvidenceBundles.split(e.evidence, findings: e.findings)
                try await store.commitSystem(scan: id, system: e.system, evidence: evidence, findings: e.findings, captures: captures, at: Date())
                var shown = e
                shown.evidence = evidence
                await kept.add(shown)
            })
        let byID = await kept.systems
        let inMemory = Evaluation(asOf: asOf, inventory: inventory, systems: inventory.systems.compactMap { byID[$0.id] },
                                  policy: policy, probed: true)
        #expect(run.finished == 64 && inMemory.systems.count == 64)
        let report = EvaluationReport(asOf: asOf, inventory: inventory, summary: run.tally.summary, probed: true,
                                      systems: StoredSystems(store: store, scanID: id, systems: inventory.systems, evaluator: evaluator,
                                                             asOf: asOf, provinceDomain: inventory.domain, catalog: .standard))

        var streamed = ""
        try await EvaluationJSON.write(report, policy: policy, provenance: provenance, failOn: .high) { streamed += $0 }
        let whole = try EvaluationJSON.render(inMemory, policy: policy, provenance: provenance, failOn: .high)
        #expect(streamed == whole, "JSON differs from character \(zip(streamed, whole).prefix { $0 == $1 }.count)")
        #expect(whole.contains(LinkCrawl.kind) && whole.contains(TLSOffer.kind) && whole.contains(DNSResolution.kind))
        for language in [Language.vi, .en] {
            let table = try await EvaluationTable.gather(report, policy: policy, language: language).render(.plain)
            #expect(table == EvaluationTable(policy: policy, language: language, style: .plain).render(inMemory), "table \(language)")
        }
    }
}
