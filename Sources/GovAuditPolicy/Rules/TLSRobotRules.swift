import GovAuditCore

/// What the answers of a ROBOT test make of the server, as sslyze and testssl.sh read them:
/// the same answer to every premaster-secret block is no oracle; different answers are an
/// oracle, weak when the three badly padded blocks get one answer (only a well-padded block
/// stands out: too many queries for a practical attack), strong otherwise. Two rounds that
/// disagree are inconsistent (a flaky network, a load balancer with unlike back ends), unless
/// the first was cut short by its wait and the longer second one shows no oracle.
enum RobotOracle: String, Sendable, Equatable {
    case none, weak, strong, inconsistent

    static func of(_ test: TLSRobot.Test) -> RobotOracle {
        guard let last = test.rounds.last else { return .inconsistent }
        if let first = test.rounds.first, first.answers != last.answers {
            let firstSilent = first.answers.contains { $0.response.end == .silent }
            return firstSilent && identical(last) ? .none : .inconsistent
        }
        if identical(last) { return .none }
        let malformed = [TLSRobot.Variant.wrongFirstBytes, .zeroMisplaced, .noZeroSeparator].map { last.response($0) }
        return Set(malformed).count == 1 ? .weak : .strong
    }

    static func identical(_ round: TLSRobot.Round) -> Bool { Set(round.answers.map(\.response)).count <= 1 }
}

extension TLSRobot.Response: CustomStringConvertible {
    /// "alert 2/20", "closed", "reset", "silent", "records 20,22": a finding's facts.
    public var description: String {
        switch end {
        case .alert: "alert \(alertLevel.map(String.init) ?? "?")/\(alertDescription.map(String.init) ?? "?")"
        case .records: "records " + (recordTypes ?? []).map(String.init).joined(separator: ",")
        case .closed, .reset, .silent: end.rawValue
        }
    }
}

/// The ROBOT rules: a strong oracle (tls.robot) and a weak one (tls.robot-weak-oracle), each
/// with the answer to every block. Inconsistent rounds or a failed test are unknown; a server
/// without RSA key exchange passes (nothing to attack).
enum TLSRobotRules {
    static let all: [RuleImplementation] = [strong, weak]

    static let strong = RuleImplementation("tls.robot") { c in judge(c, .strong) }
    static let weak = RuleImplementation("tls.robot-weak-oracle") { c in judge(c, .weak) }

    static func judge(_ c: RuleContext, _ oracle: RobotOracle) -> Verdict {
        TLSDepthRules.check(c, TLSRobot.self, "robot", { r -> CheckResult<TLSRobot.Test> in
            guard let test = r.test.value, RobotOracle.of(test) == .inconsistent else { return r.test }
            let rounds = test.rounds.map { $0.answers.map { "\($0.variant.rawValue) \($0.response)" }.joined(separator: ", ") }
            return .failed(FailureReason(code: "inconsistent", detail: "the rounds disagree: " + rounds.joined(separator: " / ")))
        }) { test in
            guard RobotOracle.of(test) == oracle, let round = test.rounds.last else { return nil }
            return [Fact("oracle", oracle.rawValue), Fact("version", test.version.name),
                    Fact("suite", test.suite.name ?? String(test.suite.code)), Fact("keyBits", String(test.keyBits))]
                + round.answers.map { Fact("response.\($0.variant.rawValue)", $0.response.description) }
        }
    }
}
