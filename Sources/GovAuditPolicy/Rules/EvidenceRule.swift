import GovAuditCore

/// Shared by the rules that judge probe evidence (ipv6, dns, tls, https, links).
enum EvidenceRule {
    /// The one way every network rule walks its endpoints: for each endpoint, the evidence of
    /// kind F. Collected facts go to `judge`; failed or could-not-test steps make the rule
    /// unknown (unless `onFailed` turns a failure into observations); a rule with no endpoint,
    /// or run without probes, is not applicable. `undetermined` names collected facts that still
    /// cannot be judged (a query inside them failed): that endpoint is unknown, with the reason.
    /// `incomplete` names facts a time budget cut short: when `judge` finds nothing in them, the
    /// endpoint is unknown rather than passing. A step a budget cut short (`budget-exhausted`)
    /// is always unknown, never a failure observed: it says the scan stopped, not the target.
    static func perEndpoint<F: EvidenceFacts>(_ c: RuleContext, _ type: F.Type, endpoints: [Endpoint],
                                              onFailed: ((Endpoint, FailureReason) -> [Observation])? = nil,
                                              undetermined: ((Endpoint, F) -> String?)? = nil,
                                              incomplete: ((Endpoint, F) -> String?)? = nil,
                                              judge: (Endpoint, F) -> [Observation]?) -> Verdict {
        guard c.probed else { return .notApplicable("not scanned: evaluate uses no network") }
        guard !endpoints.isEmpty else { return .notApplicable("no endpoint of this kind") }
        var observations: [Observation] = []
        var unknown: [String] = []
        var judged = false
        for endpoint in endpoints {
            let found = c.evidence(type, for: endpoint)
            if found.isEmpty { unknown.append("\(endpoint): no \(F.kind) evidence (the probe stopped earlier)") }
            for e in found {
                switch e.outcome {
                case .collected:
                    guard let facts = e.facts(as: type) else { continue }
                    if let why = undetermined?(endpoint, facts) {
                        unknown.append("\(endpoint): \(why)")
                    } else if let obs = judge(endpoint, facts) {
                        if obs.isEmpty, let why = incomplete?(endpoint, facts) {
                            unknown.append("\(endpoint): cut short: \(why)")
                        } else {
                            observations += obs
                            judged = true
                        }
                    }
                case .failed(let reason) where reason.isBudgetExhausted:
                    unknown.append("\(endpoint): cut short: \(reason.detail)")
                case .failed(let reason):
                    if let onFailed { observations += onFailed(endpoint, reason); judged = true }
                    else { unknown.append("\(endpoint): \(reason.detail)") }
                case .couldNotTest(let why): unknown.append("\(endpoint): could not test: \(why)")
                case .notApplicable: break
                }
            }
        }
        if !observations.isEmpty { return .fail(observations) }
        if !unknown.isEmpty { return .unknown(unknown.joined(separator: "; ")) }
        return judged ? .pass : .notApplicable("nothing to judge")
    }
}
