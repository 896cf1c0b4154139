import GovAuditCore

/// Rules on the 4-layer protection model, from the inventory's layer records.
enum LayerRules {
    static let all: [RuleImplementation] =
        ProtectionLayer.allCases.map(recordMissing)
        + [contractExpired, contractExpiring, assessmentOverdue, assessorNotIndependent, notConnected]

    /// One rule per layer, one evaluator: the layer's record is absent from the inventory.
    static func recordMissing(_ layer: ProtectionLayer) -> RuleImplementation {
        RuleImplementation("\(layer.code).record-missing") { c in
            c.system.layers.has(layer) ? .pass : .fail([Observation(facts: [Fact("\(layer.code).record", "absent")])])
        }
    }

    static let contractExpired = RuleImplementation("layer2.contract-expired") { c in
        guard let m = c.system.layers.monitoring else { return .notApplicable("no monitoring record") }
        guard let end = m.contractEnd else { return .unknown("the monitoring contract's end date is not recorded") }
        guard end < c.asOf else { return .pass }
        return .fail([Observation(facts: [Fact("monitoring.provider", m.provider),
                                          Fact("monitoring.contractEnd", end.description),
                                          Fact("daysSinceEnd", String(end.days(until: c.asOf)))])])
    }

    /// Still running, but ends within `warnDays`: an early warning for scheduled scans.
    static let contractExpiring = RuleImplementation("layer2.contract-expiring", parameters: [.init("warnDays", .integer(0...3650))]) { c in
        guard let m = c.system.layers.monitoring, let end = m.contractEnd, end >= c.asOf else {
            return .notApplicable("no running contract with a recorded end date")
        }
        let left = c.asOf.days(until: end)
        guard left <= c.parameters.integer("warnDays") else { return .pass }
        return .fail([Observation(facts: [Fact("monitoring.provider", m.provider),
                                          Fact("monitoring.contractEnd", end.description),
                                          Fact("daysLeft", String(left))])])
    }

    /// The last independent assessment is older than the level's interval (`intervalMonths`).
    static let assessmentOverdue = RuleImplementation("layer3.assessment-overdue",
                                                      parameters: [.init("intervalMonths", .perLevel(.integer(1...120)))]) { c in
        guard let a = c.system.layers.assessment else { return .notApplicable("never assessed (layer3.record-missing)") }
        let months = c.parameters.integer("intervalMonths", level: c.system.level)
        let due = a.date.adding(months: months)
        guard due < c.asOf else { return .pass }
        return .fail([Observation(facts: [Fact("assessment.date", a.date.description),
                                          Fact("assessment.assessor", a.assessor),
                                          Fact("intervalMonths", String(months)),
                                          Fact("dueDate", due.description),
                                          Fact("daysOverdue", String(due.days(until: c.asOf)))])])
    }

    /// The assessor is the monitoring provider itself (Chỉ thị 14/CT-TTg asks for independence).
    static let assessorNotIndependent = RuleImplementation("layer3.assessor-not-independent") { c in
        guard let a = c.system.layers.assessment, let m = c.system.layers.monitoring else {
            return .notApplicable("needs both an assessment and a monitoring record")
        }
        guard comparable(a.assessor) == comparable(m.provider) else { return .pass }
        return .fail([Observation(facts: [Fact("assessment.assessor", a.assessor),
                                          Fact("monitoring.provider", m.provider)])])
    }

    static let notConnected = RuleImplementation("layer4.not-connected") { c in
        guard let n = c.system.layers.nationalMonitoring else { return .notApplicable("no record (layer4.record-missing)") }
        return n.connected ? .pass : .fail([Observation(facts: [Fact("nationalMonitoring.connected", "no")])])
    }

    /// Organisation names compared without case, spacing or punctuation differences.
    private static func comparable(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSetLite.isAlnum($0) }.map(Character.init))
    }
}

/// Letter-or-digit test without Foundation's CharacterSet (keeps the evaluators pure Swift).
enum CharacterSetLite {
    static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || s.properties.numericType != nil
    }
}
