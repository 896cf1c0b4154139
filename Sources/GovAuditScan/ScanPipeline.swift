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
/// system so systems finish in turn. When a system's last endpoint ends it is evaluated and
/// handed to `finished` (which stores it) before anything else of it is kept; the per-address
/// connection bound lives in the probes' network core, shared by all of them. Every endpoint
/// runs under its budget (`EndpointBudget`).
public struct ScanPipeline: Sendable {
    public var probes: [any Probe]
    public var evaluator: Evaluator
    public var asOf: CalendarDate
    public var concurrency: Int
    /// What all the probes of one endpoint may spend together.
    public var endpointBudget: Duration
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

    /// What `run` ends with: the systems evaluated (and passed to `finished`), and whether it was
    /// cancelled before every system was done.
    public struct Run: Sendable {
        public var systems: [SystemEvaluation]
        public var cancelled: Bool
    }

    /// Probes and evaluates `systems`. Cancelling the calling task stops it within moments: no
    /// new job starts, running ones are abandoned (each is bounded by its own timeouts), and the
    /// systems already finished are returned. An error thrown by `finished` ends the run.
    public func run(_ systems: [System], provinceDomain: String?,
                    finished: @escaping @Sendable (SystemEvaluation) async throws -> Void,
                    progress: @escaping @Sendable (ScanProgress) -> Void = { _ in }) async throws -> Run {
        struct Job: Sendable { var system: Int; var slot: Int; var endpoint: Endpoint }
        let jobs = systems.indices.flatMap { s in
            systems[s].endpoints.enumerated().map { slot, e in Job(system: s, slot: slot, endpoint: e) }
        }
        // Evidence per system, one slot per endpoint (probes in order), so its order never depends on timing.
        var slots: [[[Evidence]?]] = systems.map { Array(repeating: nil, count: $0.endpoints.count) }
        let budget = EndpointBudget(probes: probes, budget: endpointBudget)
        var pending = slots.map(\.count)
        var evaluated: [SystemEvaluation] = []
        var jobsDone = 0

        func finish(_ s: Int) async throws {
            let evidence = slots[s].flatMap { $0 ?? [] }
            slots[s] = []
            if let e = evaluator.evaluate(systems[s], asOf: asOf, evidence: evidence, provinceDomain: provinceDomain) {
                try await finished(e)
                evaluated.append(e)
            }
            progress(ScanProgress(jobsDone: jobsDone, jobsTotal: jobs.count, systemsDone: evaluated.count,
                                  systemsTotal: systems.count, latest: systems[s].id))
        }

        // Systems without endpoints have nothing to probe: their records are judged at once.
        for s in systems.indices where pending[s] == 0 {
            if Task.isCancelled { return Run(systems: evaluated, cancelled: true) }
            try await finish(s)
        }
        var cancelled = false
        try await withThrowingTaskGroup(of: (Job, [Evidence]?).self) { group in
            var next = 0
            func start() {
                guard next < jobs.count, !Task.isCancelled else { return }
                let job = jobs[next]
                next += 1
                group.addTask { (job, await budget.run(job.endpoint)) }
            }
            for _ in 0..<min(concurrency, jobs.count) { start() }
            for try await (job, found) in group {
                guard let found else { cancelled = true; continue }
                jobsDone += 1
                slots[job.system][job.slot] = found
                pending[job.system] -= 1
                progress(ScanProgress(jobsDone: jobsDone, jobsTotal: jobs.count, systemsDone: evaluated.count,
                                      systemsTotal: systems.count, latest: job.endpoint.description))
                if pending[job.system] == 0 { try await finish(job.system) }
                start()
            }
            cancelled = cancelled || next < jobs.count
        }
        return Run(systems: evaluated, cancelled: cancelled || Task.isCancelled)
    }
}
