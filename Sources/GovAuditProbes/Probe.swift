import GovAuditCore
import GovAuditNet

/// A probe: given one endpoint, the typed evidence it observed. Blocking; never judges.
/// A probe implements `run(_:until:)` (or, if it has no steps to bound, `run(_:)`), and says
/// what it writes when abandoned.
public protocol Probe: Sendable {
    /// "the TLS probe": whose budget a deadline is, in messages.
    var name: String { get }
    /// What the probe may spend on one endpoint (an option of the scan, recorded in its scope).
    var budget: Duration { get }
    /// Blocking. No step runs past `deadline`: the probe's own budget, or the endpoint's when
    /// that ends first. What the deadline cut short is said in the evidence (`budget-exhausted`).
    func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence]
    /// A run under the probe's own budget, starting now.
    func run(_ endpoint: Endpoint) -> [Evidence]
    /// The evidence of a run that had to be abandoned (it overran its deadline): every kind the
    /// probe writes for such an endpoint, failed with `reason`.
    func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence]
}

extension Probe {
    public var name: String { "the \(Self.self) probe" }
    public var budget: Duration { .seconds(60) }

    public func run(_ endpoint: Endpoint) -> [Evidence] {
        run(endpoint, until: Deadline(after: budget, owner: name))
    }

    /// For a probe without steps to bound: its run ignores the deadline, and the pipeline's
    /// watchdog abandons it if it overruns.
    public func run(_ endpoint: Endpoint, until deadline: Deadline) -> [Evidence] { run(endpoint) }

    /// Nothing written: the rules then say "no evidence (the probe stopped earlier)", unknown.
    public func abandoned(_ endpoint: Endpoint, _ reason: FailureReason) -> [Evidence] { [] }
}

extension ProbeContext {
    /// The same network core with every lookup and fetch bounded by `deadline`.
    public func within(_ deadline: Deadline) -> ProbeContext {
        var c = self
        c.resolver.deadline = deadline
        c.http.deadline = deadline
        return c
    }
}
