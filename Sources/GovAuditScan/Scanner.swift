import Dispatch
import GovAuditCore
import GovAuditNet
import GovAuditProbes

/// Runs blocking work (libcurl, libunbound, connect) off the cooperative thread pool, on a queue
/// of its own; callers bound how much runs at once.
enum BlockingPool {
    private static let queue = DispatchQueue(label: "govaudit.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}

/// The scan: every endpoint of every system through every probe, at most `concurrency` jobs at
/// a time, in a task group (no detached tasks). Returns the evidence per system id.
public struct Scanner: Sendable {
    public var probes: [any Probe]
    public var concurrency: Int

    public init(probes: [any Probe], concurrency: Int = 8) {
        self.probes = probes
        self.concurrency = max(1, concurrency)
    }

    /// The IPv6/DNS probe only.
    public init(context: ProbeContext, concurrency: Int = 8) {
        self.init(probes: [IPv6DNSProbe(context: context)], concurrency: concurrency)
    }

    /// `progress(done, total, endpoint)` is called as each endpoint finishes.
    public func scan(_ systems: [System], progress: @escaping @Sendable (Int, Int, String) -> Void = { _, _, _ in })
        async -> [String: [Evidence]] {
        let jobs = systems.flatMap { s in s.endpoints.flatMap { e in probes.map { (system: s.id, endpoint: e, probe: $0) } } }
        var evidence: [String: [Evidence]] = Dictionary(uniqueKeysWithValues: systems.map { ($0.id, []) })
        var done = 0
        await withTaskGroup(of: (String, [Evidence]).self) { group in
            var next = 0
            func start() {
                guard next < jobs.count else { return }
                let job = jobs[next]
                next += 1
                group.addTask { (job.system, await BlockingPool.run { job.probe.run(job.endpoint) }) }
            }
            for _ in 0..<min(concurrency, jobs.count) { start() }
            for await (system, found) in group {
                evidence[system, default: []] += found
                done += 1
                progress(done, jobs.count, found.first?.endpoint?.description ?? system)
                start()
            }
        }
        return evidence
    }
}
