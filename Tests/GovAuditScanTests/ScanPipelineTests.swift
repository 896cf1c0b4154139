import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditScan
import Testing

/// A probe for the pipeline's own behaviour (ordering, commits, cancellation): it records one
/// fact after a delay of its choosing. Real probes are tested against the lab.
struct TimedProbe: Probe {
    struct Seen: EvidenceFacts {
        static let kind = "test.seen"
        static let version = 1
        var endpoint: String
        var probe: Int
    }
    var id: Int
    var delay: @Sendable (Endpoint) -> Double
    var name: String { "timed probe \(id)" }
    var budget: Duration { .seconds(60) }

    func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        Thread.sleep(forTimeInterval: delay(endpoint))
        return [Evidence(endpoint: endpoint, facts: Seen(endpoint: endpoint.description, probe: id))]
    }

    func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] {
        [Evidence(Seen.self, endpoint: endpoint, outcome: .failed(reason))]
    }
}

/// Cancels a task when fired, whether it is fired before or after the task is known.
final class CancelOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<ScanPipeline.Run, Error>?
    private var fired = false
    func arm(_ t: Task<ScanPipeline.Run, Error>) {
        lock.withLock { task = t; if fired { t.cancel() } }
    }
    func fire() { lock.withLock { fired = true; task?.cancel() } }
}

final class Commits: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [SystemEvaluation] = []
    func add(_ e: SystemEvaluation) { lock.withLock { list.append(e) } }
    var all: [SystemEvaluation] { lock.withLock { list } }
}

@Suite("Scan pipeline")
struct ScanPipelineTests {
    let policy: Policy

    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        policy = try PolicyLoader.load(directory: root.appendingPathComponent("Policies").path, digest: { _ in "test" })
    }

    func systems(_ n: Int, endpoints: Int) -> [System] {
        (0..<n).map { i in
            System(id: "he-thong-\(i)", name: "Hệ thống số \(i)", agency: "so-tt", level: SecurityLevel(3)!,
                   dossier: Dossier(status: .approved),
                   endpoints: (0..<endpoints).map { try! Endpoint(parsing: "https://s\(i)-\($0).angiang.gov.vn/") })
        }
    }

    @Test("each system is committed once, as it finishes, with its evidence in plan order whatever the timing")
    func commitsInOrder() async throws {
        let jitter: @Sendable (Endpoint) -> Double = { _ in Double.random(in: 0...0.02) }
        let pipeline = ScanPipeline(probes: [TimedProbe(id: 1, delay: jitter), TimedProbe(id: 2, delay: jitter)],
                                    evaluator: Evaluator(policy: policy), asOf: CalendarDate(year: 2026, month: 12, day: 1)!,
                                    concurrency: 6)
        let input = systems(7, endpoints: 3) + [System(id: "khong-mang", name: "Không có điểm cuối", agency: "so-tt",
                                                       level: SecurityLevel(2)!, dossier: Dossier(status: .drafting))]
        let commits = Commits()
        let tally = SummaryTally(policy: policy, inventory: Inventory(name: "Tỉnh", agencies: [], systems: input))
        let run = try await pipeline.run(input, provinceDomain: "angiang.gov.vn", tally: tally, finished: { e, _ in commits.add(e) })
        #expect(run.finished == input.count)
        #expect(!run.cancelled)
        #expect(commits.all.map(\.system.id).sorted() == input.map(\.id).sorted())
        #expect(Set(commits.all.map(\.system.id)).count == input.count)
        for e in commits.all where !e.system.endpoints.isEmpty {
            let seen = e.evidence.compactMap { $0.facts(as: TimedProbe.Seen.self) }
            let planned = e.system.endpoints.flatMap { ep in [1, 2].map { TimedProbe.Seen(endpoint: ep.description, probe: $0) } }
            #expect(seen == planned, "\(e.system.id)")
        }
        #expect(commits.all.first { $0.system.id == "khong-mang" }?.evidence.isEmpty == true)
    }

    @Test("systems start slowest first by the previous scan's durations, untimed ones first; each commit carries its endpoints' timings")
    func slowFirst() async throws {
        let instant: @Sendable (Endpoint) -> Double = { _ in 0 }
        var pipeline = ScanPipeline(probes: [TimedProbe(id: 1, delay: instant)], evaluator: Evaluator(policy: policy),
                                    asOf: CalendarDate(year: 2026, month: 12, day: 1)!, concurrency: 1)
        let input = systems(4, endpoints: 2)
        let tally = SummaryTally(policy: policy, inventory: Inventory(name: "Tỉnh", agencies: [], systems: input))
        final class Timed: @unchecked Sendable {
            let lock = NSLock()
            var list: [(String, [String])] = []
        }
        func run() async throws -> [(String, [String])] {
            let timed = Timed()
            _ = try await pipeline.run(input, provinceDomain: nil, tally: tally, finished: { e, timings in
                timed.lock.withLock { timed.list.append((e.system.id, timings.map(\.endpoint.description).sorted())) }
            })
            return timed.list
        }
        // No history: the inventory's order (one endpoint at a time, so commits follow starts).
        #expect(try await run().map(\.0) == input.map(\.id))
        // System 3 was slowest, 1 next, 0 fastest; 2 was not timed (new).
        pipeline.previousDurations = ["he-thong-0": .milliseconds(5), "he-thong-1": .seconds(2), "he-thong-3": .seconds(8)]
        let ordered = try await run()
        #expect(ordered.map(\.0) == ["he-thong-2", "he-thong-3", "he-thong-1", "he-thong-0"])
        for (id, endpoints) in ordered {
            let system = input.first { $0.id == id }!
            #expect(endpoints == system.endpoints.map(\.description).sorted(), "\(id)")
        }
    }

    @Test("cancelling stops within moments: finished systems are kept, blocked probes are abandoned")
    func cancellation() async throws {
        // System 0 answers at once; every other endpoint blocks for 20 s.
        let slow: @Sendable (Endpoint) -> Double = { $0.host.hasPrefix("s0-") ? 0 : 20 }
        let pipeline = ScanPipeline(probes: [TimedProbe(id: 1, delay: slow)], evaluator: Evaluator(policy: policy),
                                    asOf: CalendarDate(year: 2026, month: 12, day: 1)!, concurrency: 4)
        let commits = Commits()
        let input = systems(5, endpoints: 1)
        let tally = SummaryTally(policy: policy, inventory: Inventory(name: "Tỉnh", agencies: [], systems: input))
        // Cancelled from the first commit itself: a watcher task polling for it could wait long
        // for a thread on a loaded machine, while the blocked probes run out their 20 s.
        let cancel = CancelOnce()
        let task = Task { try await pipeline.run(input, provinceDomain: nil, tally: tally, finished: { e, _ in
            commits.add(e)
            cancel.fire()
        }) }
        cancel.arm(task)
        let run = try await task.value
        #expect(run.cancelled)
        #expect(run.finished == 1)
        // A run that waited for the blocked probes would have committed their systems too.
        #expect(commits.all.map(\.system.id) == ["he-thong-0"])
    }

    @Test("checks: names and aliases parse; a check that did not run leaves its areas out")
    func checks() throws {
        #expect(try Check.parse("tls, links,dns").get() == [.dns, .tls, .links])
        #expect(try Check.parse("ipv6,https").get() == [.dns, .tls])
        guard case .failure(let f) = Check.parse("tls,smtp") else { Issue.record("smtp accepted"); return }
        #expect(f.word == "smtp")
        #expect(Check.judgedAreas(running: Check.allCases, within: nil) == nil)
        let tlsOnly = Check.judgedAreas(running: [.tls], within: nil)
        #expect(tlsOnly?.contains(.tls) == true && tlsOnly?.contains(.dossier) == true && tlsOnly?.contains(.links) == false)
        #expect(Check.judgedAreas(running: [.links], within: Check.auditAreas) == [.links, .domain])
    }
}
