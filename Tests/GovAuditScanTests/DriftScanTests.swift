import Foundation
import Testing
import GovAuditCore
import GovAuditPolicy
import GovAuditScan
import GovAuditStore

/// Drift through the real session and store: each scan's crawl compared with the previous
/// complete scan of its series, or with the baseline a person accepted; the change a finding
/// of the scan, so diff (and the alerts built on it) show it.
@Suite("Scan: drift against the previous scan and the accepted baseline")
struct DriftScanTests {
    let policy: Policy
    init() throws { policy = try Repo.policy() }

    /// The fixture's evidence (without its own drift record), with `script` added to the
    /// troubled portal's home page when given.
    func evidence(addingScript script: String? = nil) throws -> [Evidence] {
        try Repo.everyKind().filter { $0.kind != LinkDrift.kind }.map { e in
            guard let script, e.endpoint == Province.troubled, var pages = e.facts(as: LinkPages.self) else { return e }
            pages.pages[0].links.append(PageLink(element: "script", attribute: "src", written: script, url: script, text: "", title: nil,
                                                 alt: nil, hiding: nil, redirect: nil, external: true))
            return Evidence(endpoint: e.endpoint, facts: pages)
        }
    }

    /// Each scan an hour after the one before (the fixture's provenance has a fixed start).
    func scan(_ store: HistoryStore, _ evidence: [Evidence]) async throws -> String {
        let inventory = Province.inventory(2)
        var request = Province.request(inventory, policy: policy)
        request.provenance.startedAt = request.provenance.startedAt.addingTimeInterval(3600 * Double(try await store.scans().count))
        let session = ScanSession(pipeline: ScanPipeline(probes: [FixtureProbe(evidence: evidence)], evaluator: Evaluator(policy: policy),
                                                         asOf: Province.asOf), store: store, catalog: .standard)
        return try #require(try await session.start(request).scanID)
    }

    func drift(_ store: HistoryStore, _ scan: String, _ system: String = "he-thong-1") async throws -> LinkDrift? {
        try await store.evidence(of: scan, system: system, catalog: .standard).evidence
            .first { $0.endpoint == Province.troubled && $0.kind == LinkDrift.kind }?.facts(as: LinkDrift.self)
    }

    @Test("first scan: state recorded, no baseline; a new script host next scan is a finding, new in diff; accepted, it no longer is")
    func acrossScans() async throws {
        let folder = try TempFolder()
        let store = try folder.store()
        let first = try await scan(store, try evidence())
        let d1 = try #require(try await drift(store, first))
        #expect(d1.baseline == nil && d1.current.scriptHosts == ["cdn-thirdparty.example"])
        #expect(try await store.findings(of: first).allSatisfy { !$0.rule.hasPrefix("links.new-") && $0.rule != "links.defacement" })

        let second = try await scan(store, try evidence(addingScript: "https://evil-cdn.example/x.js?v=1"))
        let d2 = try #require(try await drift(store, second))
        #expect(d2.baseline?.source == "previous-scan" && d2.baseline?.scan == first)
        let found = try await store.findings(of: second, system: "he-thong-1").filter { $0.rule == "links.new-script-host" }
        #expect(found.map { $0.evidence.first?.value } == ["evil-cdn.example"])
        let diff = try await ScanDiff.compare(first, second, store: store)
        #expect(diff.systems.first { $0.system == "he-thong-1" }?.newFindings.contains { $0.finding.rule == "links.new-script-host" } == true)
        #expect(!diff.worsened(atLeast: .high).filter { $0.rule == "links.new-script-host" }.isEmpty)

        // Unchanged since the second scan: compared with it, nothing is new (it resolves).
        let third = try await scan(store, try evidence(addingScript: "https://evil-cdn.example/x.js?v=2"))
        #expect(try await store.findings(of: third).filter { $0.rule == "links.new-script-host" }.isEmpty)

        // Accept the first scan's state as the expected one: the script host is new again, until
        // the state with it is accepted.
        let accepted = try await Baselines.accept(system: "he-thong-1", scan: first, by: "an", reason: "trạng thái chuẩn", at: Date(),
                                                  store: store, catalog: .standard)
        #expect(accepted.snapshots.keys.sorted() == [Province.failing.description, Province.troubled.description].sorted()
                || accepted.snapshots.keys.contains(Province.troubled.description))
        let fourth = try await scan(store, try evidence(addingScript: "https://evil-cdn.example/x.js"))
        #expect(try await drift(store, fourth)?.baseline?.source == "accepted")
        #expect(try await store.findings(of: fourth, system: "he-thong-1").contains { $0.rule == "links.new-script-host" })
        // The other system has no accepted baseline: still compared with the previous scan.
        #expect(try await drift(store, fourth, "he-thong-2")?.baseline?.scan == third)
        _ = try await Baselines.accept(system: "he-thong-1", scan: nil, by: "an", reason: "", at: Date(), store: store, catalog: .standard)
        let fifth = try await scan(store, try evidence(addingScript: "https://evil-cdn.example/x.js"))
        #expect(try await drift(store, fifth)?.baseline?.scan == fourth)
        #expect(try await store.findings(of: fifth).filter { $0.rule == "links.new-script-host" }.isEmpty)
    }

    @Test("accepting needs a complete scan that crawled the system: refused otherwise, with the reason")
    func refusals() async throws {
        let folder = try TempFolder()
        let store = try folder.store()
        await #expect(throws: Baselines.Refusal.self) {
            _ = try await Baselines.accept(system: "he-thong-1", scan: nil, by: "an", reason: "", at: Date(), store: store, catalog: .standard)
        }
        let first = try await scan(store, try evidence())
        await #expect(throws: Baselines.Refusal.self) {
            _ = try await Baselines.accept(system: "quan-ly-van-ban", scan: first, by: "an", reason: "", at: Date(), store: store, catalog: .standard)
        }
    }
}
