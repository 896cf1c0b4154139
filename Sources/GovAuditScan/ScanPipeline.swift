import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditProbes

/// How far a scan has come, for a progress line.
public struct ScanProgress: Sendable {
    public var jobsDone: Int
    public var jobsTotal: Int
    public var systemsDone: Int
    public var systemsTotal: Int
    /// What just finished: an endpoint, or a system id.
    public var latest: String
}

/// The scan itself: every endpoint of every system through every probe, at most `concurrency`
/// endpoints at once in one task group (each endpoint's probes side by side), started system by
/// system (those slowest in the previous scan first) so systems finish in turn. When a system's
/// last endpoint ends it is evaluated and handed to `finished` (which stores it); then only its
/// summary counts are kept, so memory holds the jobs in flight, never the scan. The per-address
/// connection bound lives in the probes' network core, shared by all of them. Every endpoint runs
/// under its budget (`EndpointBudget`).
public struct ScanPipeline: Sendable {
    public var probes: [any Probe]
    public var evaluator: Evaluator
    public var asOf: CalendarDate
    public var concurrency: Int
    /// What all the probes of one endpoint may spend together.
    public var endpointBudget: Duration
    /// Evidence derived from a system's probe evidence before it is judged (drift, from the
    /// history); set by the session that stores the scan.
    public var derive: (@Sendable (System, [Evidence]) async throws -> [Evidence])?
    /// How long each system's slowest endpoint took in the series' last complete scan (system
    /// id → duration): systems are started slowest first, so that a host whose timeouts bound the
    /// scan starts at once instead of last. Systems not in it (new ones) go first; empty keeps the
    /// inventory's order.
    public var previousDurations: [String: Duration] = [:]
    /// The threads of the probes' blocking work: one pool per pipeline, shared by its copies.
    public let pool = BlockingPool()
    /// `--endpoint-seconds`' default.
    public static let defaultEndpointBudget: Duration = .seconds(90)

    public init(probes: [any Probe], evaluator: Evaluator, asOf: CalendarDate, concurrency: Int = 8,
                endpointBudget: Duration = ScanPipeline.defaultEndpointBudget) {
        self.probes = probes
        self.evaluator = evaluator
        self.asOf = asOf
        self.concurrency = max(1, concurrency)
        self.endpointBudget = endpointBudget
    }

    /// What `run` ends with: the summary counts of the systems evaluated (each was passed to
    /// `finished`, evidence and all, then dropped), and whether it was cancelled before every
    /// system was done.
    public struct Run: Sendable {
        /// `tally` as given, plus every system this run finished.
        public var tally: SummaryTally
        /// Systems this run finished.
        public var finished: Int
        public var cancelled: Bool
        /// The most probe threads alive at once so far (`BlockingPool.peak`).
        public var peakThreads: Int
    }

    /// How long one endpoint's probes took together in this run.
    public struct EndpointTiming: Sendable {
        public var endpoint: Endpoint
        public var duration: Duration
    }

    /// Probes and evaluates `systems`, adding each to `tally` once `finished` has taken it (with
    /// how long each of its endpoints took).
    /// Cancelling the calling task stops it within moments: no new job starts, running ones are
    /// abandoned (each is bounded by its own timeouts), and what finished is counted. An error
    /// thrown by `finished` ends the run.
    public func run(_ systems: [System], provinceDomain: String?, tally: SummaryTally,
                    finished: @escaping @Sendable (SystemEvaluation, [EndpointTiming]) async throws -> Void,
                    progress: @escaping @Sendable (ScanProgress) -> Void = { _ in }) async throws -> Run {
        struct Job: Sendable { var system: Int; var slot: Int; var endpoint: Endpoint }
        let jobs = startOrder(systems).flatMap { s in
            systems[s].endpoints.enumerated().map { slot, e in Job(system: s, slot: slot, endpoint: e) }
        }
        // Evidence per system, one slot per endpoint (probes in order), so its order never depends on timing.
        var slots: [[[Evidence]?]] = systems.map { Array(repeating: nil, count: $0.endpoints.count) }
        var timings: [[EndpointTiming]] = systems.map { _ in [] }
        let budget = EndpointBudget(probes: probes, budget: endpointBudget, pool: pool)
        var pending = slots.map(\.count)
        var tally = tally
        var done = 0
        var jobsDone = 0

        func finish(_ s: Int) async throws {
            var evidence = slots[s].flatMap { $0 ?? [] }
            slots[s] = []
            if let derive { evidence += try await derive(systems[s], evidence) }
            let timed = timings[s]
            timings[s] = []
            if let e = evaluator.evaluate(systems[s], asOf: asOf, evidence: evidence, provinceDomain: provinceDomain) {
                try await finished(e, timed)
                tally.add(e)
                done += 1
            }
            progress(ScanProgress(jobsDone: jobsDone, jobsTotal: jobs.count, systemsDone: done,
                                  systemsTotal: systems.count, latest: systems[s].id))
        }

        // Systems without endpoints have nothing to probe: their records are judged at once.
        for s in systems.indices where pending[s] == 0 {
            if Task.isCancelled { return Run(tally: tally, finished: done, cancelled: true, peakThreads: pool.peak) }
            try await finish(s)
        }
        var cancelled = false
        try await withThrowingTaskGroup(of: (Job, [Evidence]?, Duration).self) { group in
            var next = 0
            func start() {
                guard next < jobs.count, !Task.isCancelled else { return }
                let job = jobs[next]
                next += 1
                group.addTask {
                    let clock = ContinuousClock(), began = clock.now
                    let found = await budget.run(job.endpoint)
                    return (job, found, began.duration(to: clock.now))
                }
            }
            for _ in 0..<min(concurrency, jobs.count) { start() }
            for try await (job, found, took) in group {
                guard let found else { cancelled = true; continue }
                jobsDone += 1
                slots[job.system][job.slot] = found
                timings[job.system].append(EndpointTiming(endpoint: job.endpoint, duration: took))
                pending[job.system] -= 1
                progress(ScanProgress(jobsDone: jobsDone, jobsTotal: jobs.count, systemsDone: done,
                                      systemsTotal: systems.count, latest: job.endpoint.description))
                if pending[job.system] == 0 { try await finish(job.system) }
                start()
            }
            cancelled = cancelled || next < jobs.count
        }
        return Run(tally: tally, finished: done, cancelled: cancelled || Task.isCancelled, peakThreads: pool.peak)
    }

    /// The systems' indices in the order their endpoints start: by the previous scan's slowest
    /// endpoint, slowest first (longest first keeps the cores busy to the end), systems the
    /// previous scan did not time first, ties in the inventory's order.
    func startOrder(_ systems: [System]) -> [Int] {
        guard !previousDurations.isEmpty else { return Array(systems.indices) }
        let unknown = Duration.seconds(Int64.max / 2)
        return systems.indices.sorted { a, b in
            let da = previousDurations[systems[a].id] ?? unknown, db = previousDurations[systems[b].id] ?? unknown
            return da != db ? da > db : a < b
        }
    }
}
