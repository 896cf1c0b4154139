import GovAuditCore

/// Rules on the level-proposal dossier (hồ sơ đề xuất cấp độ), from the inventory's records.
enum DossierRules {
    static let all: [RuleImplementation] = [missing, notApproved, rejected, decisionIncomplete, authorityMismatch]

    private static func status(_ s: System) -> Fact { Fact("dossier.status", s.dossier.status.rawValue) }

    /// No dossier at all.
    static let missing = RuleImplementation("dossier.missing") { c in
        c.system.dossier.status == .none ? .fail([Observation(facts: [status(c.system)])]) : .pass
    }

    /// Being drafted or waiting for a decision.
    static let notApproved = RuleImplementation("dossier.not-approved") { c in
        switch c.system.dossier.status {
        case .drafting, .submitted: .fail([Observation(facts: [status(c.system)])])
        case .none: .notApplicable("no dossier at all (dossier.missing)")
        case .approved, .rejected: .pass
        }
    }

    static let rejected = RuleImplementation("dossier.rejected") { c in
        guard c.system.dossier.status == .rejected else { return .pass }
        var facts = [status(c.system)]
        if let d = c.system.dossier.decision {
            if let n = d.number { facts.append(Fact("decision.number", n)) }
            if let date = d.date { facts.append(Fact("decision.date", date.description)) }
        }
        return .fail([Observation(facts: facts)])
    }

    /// Approved, but the record lacks what proves it: number, date, authority, its role.
    static let decisionIncomplete = RuleImplementation("dossier.decision-incomplete") { c in
        guard c.system.dossier.status == .approved else { return .notApplicable("dossier not approved") }
        let d = c.system.dossier.decision ?? Decision()
        let missing = [("number", d.number == nil), ("date", d.date == nil),
                       ("authority", d.authority == nil), ("role", d.role == nil)]
            .filter(\.1).map(\.0)
        guard !missing.isEmpty else { return .pass }
        return .fail([Observation(facts: [Fact("decision.missing", missing.joined(separator: ", "))])])
    }

    /// The decision was signed by an authority the law does not give that level to (NĐ 85
    /// Đ12–14: levels 1–2 by the security unit or the owner, 3–4 by the owner, 5 the Prime
    /// Minister's list). The allowed roles per level are the `approvers` parameter.
    static let authorityMismatch = RuleImplementation("dossier.authority-mismatch", parameters: [
        .init("approvers", .perLevel(.list(.oneOf(AuthorityRole.allCases.map(\.rawValue))))),
    ]) { c in
        guard c.system.dossier.status == .approved else { return .notApplicable("dossier not approved") }
        guard let role = c.system.dossier.decision?.role else {
            return .notApplicable("the decision does not record the authority's role (dossier.decision-incomplete)")
        }
        let allowed = c.parameters.texts("approvers", level: c.system.level)
        guard !allowed.contains(role.rawValue) else { return .pass }
        var facts = [Fact("level", c.system.level.description), Fact("decision.role", role.rawValue),
                     Fact("allowed", allowed.joined(separator: ", "))]
        if let a = c.system.dossier.decision?.authority { facts.insert(Fact("decision.authority", a), at: 2) }
        return .fail([Observation(facts: facts)])
    }
}
