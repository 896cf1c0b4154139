import GovAuditCore
import GovAuditNet
import GovAuditProbes

/// One endpoint through every probe, side by side, under two deadlines: each probe's own budget
/// and the endpoint's. A probe stops its steps at the earlier of the two and says what it cut
/// (`budget-exhausted`); one that has not returned `grace` later (a step that ignored its
/// deadline) is abandoned, its evidence `budget-exhausted`, so no endpoint outlives its budget.
struct EndpointBudget: Sendable {
    /// How long a probe is waited for past its deadline before it is abandoned: the longest
    /// step that cannot be interrupted (parsing a 5 MB page) fits in it.
    static let grace: Duration = .seconds(5)

    var probes: [any Probe]
    var budget: Duration
    /// Where the probes' blocking work runs: the scan's pool, which counts its threads.
    var pool: BlockingPool

    /// Every probe's evidence in probe order; nil when the scan was cancelled.
    func run(_ endpoint: Endpoint) async -> [Evidence]? {
        // The probes' deadline leaves the grace inside the endpoint's budget: at the budget's
        // end, whatever still runs is abandoned.
        let endpointDeadline = Deadline(after: max(.zero, budget - Self.grace), owner: "the endpoint", budget: budget)
        let results = await withTaskGroup(of: (Int, [Evidence]?).self) { group in
            for (i, probe) in probes.enumerated() {
                group.addTask { (i, await Self.bounded(probe, endpoint, endpointDeadline, on: pool)) }
            }
            var results = [[Evidence]?](repeating: nil, count: probes.count)
            for await (i, found) in group { results[i] = found }
            return results
        }
        guard results.allSatisfy({ $0 != nil }) else { return nil }
        return results.flatMap { $0! }
    }

    private enum Race: Sendable { case done([Evidence]), overran, cancelled }

    /// `probe` on `pool`, raced against its hard stop.
    static func bounded(_ probe: any Probe, _ endpoint: Endpoint, _ endpointDeadline: Deadline, on pool: BlockingPool) async -> [Evidence]? {
        let deadline = Deadline.earlier(Deadline(after: probe.budget, owner: probe.name), endpointDeadline)
        let hardStop = deadline.instant + grace
        let first = await withTaskGroup(of: Race.self) { group in
            group.addTask {
                guard let found = await pool.run({ probe.run(endpoint, until: deadline) }) else { return .cancelled }
                return .done(found)
            }
            group.addTask {
                do { try await Task.sleep(until: hardStop, clock: .continuous) } catch { return .cancelled }
                return .overran
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        switch first {
        case .done(let found): return found
        case .overran: return probe.abandoned(endpoint, .budgetExhausted("\(probe.name) was still running \(grace) after \(deadline) ran out, and was abandoned"))
        case .cancelled: return nil
        }
    }
}
