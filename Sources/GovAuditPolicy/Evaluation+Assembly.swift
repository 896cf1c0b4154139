import GovAuditCore

// Public ways to assemble an evaluation from systems evaluated one at a time (the scan pipeline
// evaluates each system as it finishes; re-judging reads them back from the history store).

extension Summary {
    /// The figures over `systems`, for the province and per agency of `inventory`.
    public init(policy: Policy, over inventory: Inventory, systems: [SystemEvaluation]) {
        self.init(policy: policy, inventory: inventory, systems: systems)
    }
}

extension Evaluation {
    public init(asOf: CalendarDate, inventory: Inventory, systems: [SystemEvaluation], policy: Policy, probed: Bool) {
        self.init(asOf: asOf, inventory: inventory, systems: systems,
                  summary: Summary(policy: policy, inventory: inventory, systems: systems), probed: probed)
    }
}
