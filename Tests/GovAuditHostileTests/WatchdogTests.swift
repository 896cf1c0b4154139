import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// The pipeline's backstop: a probe whose step ignores its deadline is abandoned once its grace
/// is over, and its evidence says budget-exhausted, so an endpoint never outlives its budget.
@Suite("Endpoint budget")
struct WatchdogTests {
    /// A probe with one step that never looks at the clock (as a C call that cannot be cut would).
    struct Stubborn: Probe {
        var name: String { "the stubborn probe" }
        var budget: Duration { .seconds(1) }
        func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
            Thread.sleep(forTimeInterval: 60)
            return [Evidence(endpoint: endpoint, facts: LinkCrawl(start: endpoint.description, pagesFetched: 1, depthReached: 0,
                                                                  limitReached: nil, failures: [], broken: []))]
        }
        func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] {
            [Evidence(LinkCrawl.self, endpoint: endpoint, outcome: .failed(reason))]
        }
    }

    @Test("a probe that overruns its deadline is abandoned: its evidence is budget-exhausted and its rules unknown")
    func abandoned() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try PolicyLoader.load(directory: root.appendingPathComponent("Policies").path, digest: Digest.sha256Hex)
        let system = System(id: "cổng-xã", name: "Cổng thông tin xã Mỹ Hòa Hưng", agency: "ubnd", level: SecurityLevel(2)!,
                            dossier: Dossier(status: .approved), endpoints: [try Endpoint(parsing: "https://myhoahung.angiang.gov.vn/")])
        let pipeline = ScanPipeline(probes: [Stubborn()], evaluator: Evaluator(policy: policy, areas: [.links]),
                                    asOf: CalendarDate(parsing: "2026-12-01")!, endpointBudget: .seconds(60))
        let seen = Seen()
        let tally = SummaryTally(policy: policy, inventory: Inventory(name: "xã", agencies: [], systems: [system]))
        _ = try await pipeline.run([system], provinceDomain: "angiang.gov.vn", tally: tally, finished: { e, _ in seen.add(e) })
        let evaluated = try #require(seen.all.first)
        guard case .failed(let reason)? = evaluated.evidence.first?.outcome else { Issue.record("\(evaluated.evidence)"); return }
        #expect(reason.isBudgetExhausted && reason.detail.contains("the stubborn probe") && reason.detail.contains("abandoned"))
        // links.crawl-failed turns a failed crawl into a finding; a crawl cut short is no such failure.
        let crawlFailed = try #require(evaluated.results.first { $0.rule == "links.crawl-failed" })
        #expect(crawlFailed.status == .unknown && crawlFailed.reason.contains("cut short"))
        #expect(evaluated.findings.isEmpty)
    }

    /// The systems the pipeline hands over (it keeps none itself).
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [SystemEvaluation] = []
        func add(_ e: SystemEvaluation) { lock.withLock { list.append(e) } }
        var all: [SystemEvaluation] { lock.withLock { list } }
    }
}
