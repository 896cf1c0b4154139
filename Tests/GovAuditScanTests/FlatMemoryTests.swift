import Foundation
import GovAuditCore
import GovAuditNet
import GovAuditPolicy
import GovAuditProbes
import GovAuditReports
@testable import GovAuditScan
import GovAuditStore
import Testing

/// Memory stays flat: a system's evidence lives from its probe to its commit, and again while
/// the report reads it back, never for the whole scan. Measured by counting live evidence.
@Suite("Scan memory stays flat", .serialized)
struct FlatMemoryTests {
    @Test("given 40 systems scanned 2 at a time, evidence alive at once stays within the jobs in flight; none is left once the scan returns, and the report holds at most one system per core read ahead")
    func evidenceIsDropped() async throws {
        let policy = try Repo.policy()
        let folder = try TempFolder()
        let store = try folder.store()
        var inventory = Province.inventory(40)
        inventory.systems = inventory.systems.filter(\.hasPublicEndpoint).map { s in
            var s = s
            s.endpoints = [try! Endpoint(parsing: "https://\(s.id).angiang.gov.vn/")]
            return s
        }
        let concurrency = 2, perJob = 3
        let session = ScanSession(pipeline: ScanPipeline(probes: [TrackingProbe(count: perJob)], evaluator: Evaluator(policy: policy),
                                                         asOf: Province.asOf, concurrency: concurrency),
                                  store: store, catalog: EvidenceCatalog(merging: [.standard, EvidenceCatalog([Tracked.self])]))
        Tracked.live.reset()
        let outcome = try await session.start(Province.request(inventory, policy: policy))
        #expect(outcome.status == .complete)
        // Retained evidence would reach 40 × 3; in flight there are at most `concurrency` jobs,
        // plus the system being committed.
        #expect(Tracked.live.peak >= perJob)
        #expect(Tracked.live.peak <= (concurrency + 1) * perJob, "peak \(Tracked.live.peak) evidence records alive at once")
        #expect(Tracked.live.now == 0, "\(Tracked.live.now) evidence records outlived the scan")
        // What `finished` was handed went to the store whole: the evidence of every system.
        let stored = try await store.evidence(of: try #require(outcome.scanID), system: "he-thong-17", catalog: EvidenceCatalog([Tracked.self]))
        #expect(stored.evidence.count == perJob)
        _ = consume stored

        // The report reads, judges and renders `readAhead` systems side by side, so that many
        // systems' evidence may be alive at once, never the whole scan's.
        let readBack = StoredSystems.readAhead * perJob
        #expect(readBack < 40 * perJob)
        Tracked.live.reset()
        var systems = 0
        var out = 0
        try await EvaluationJSON.write(outcome.report, policy: policy, provenance: Province.request(inventory, policy: policy).provenance,
                                       failOn: .high) { piece in
            out += piece.utf8.count
            if piece.contains("\"kind\" : \"\(Tracked.kind)\"") { systems += 1 }
            #expect(Tracked.live.now <= readBack)
        }
        #expect(systems == 40 && out > 0, "\(systems) systems")
        #expect(Tracked.live.peak <= readBack && Tracked.live.now == 0, "peak \(Tracked.live.peak) while reading back")
    }
}

/// Evidence whose every copy shares one counted object, so a test can tell how many records are alive.
struct Tracked: EvidenceFacts {
    static let kind = "test.tracked"
    static let version = 1
    static let live = LiveCount()
    let token: Token
    var bytes = String(repeating: "x", count: 64)

    init() { token = Token() }
    init(from decoder: Decoder) throws {
        bytes = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .bytes)
        token = Token()
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(bytes, forKey: .bytes)
    }
    private enum Keys: String, CodingKey { case bytes }
    static func == (a: Tracked, b: Tracked) -> Bool { a.token === b.token }

    final class Token: Sendable {
        init() { Tracked.live.up() }
        deinit { Tracked.live.down() }
    }
}

/// How many tokens are alive, and the most at once since the last reset.
final class LiveCount: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0, highest = 0
    var now: Int { lock.withLock { current } }
    var peak: Int { lock.withLock { highest } }
    func up() { lock.withLock { current += 1; highest = max(highest, current) } }
    func down() { lock.withLock { current -= 1 } }
    func reset() { lock.withLock { highest = current } }
}

/// A probe that observes `count` tracked records per endpoint.
struct TrackingProbe: Probe {
    var count: Int
    var name: String { "the tracking probe" }
    var budget: Duration { .seconds(60) }
    func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] {
        (0..<count).map { _ in Evidence(endpoint: endpoint, facts: Tracked()) }
    }
    func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] { [] }
}
