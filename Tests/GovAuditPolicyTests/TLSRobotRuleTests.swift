import GovAuditCore
import Testing
@testable import GovAuditPolicy

/// The ROBOT rules on constructed answer sets (Debian's servers are no oracle): identical
/// answers pass, different ones are a strong or weak oracle as sslyze and testssl.sh tell
/// them apart, rounds that disagree are unknown, and a server without RSA key exchange passes.
@Suite("ROBOT rules")
struct TLSRobotRuleTests {
    let base: TLSRuleTests
    init() throws { base = try TLSRuleTests() }

    static let badMAC = TLSRobot.Response(end: .alert, alertLevel: 2, alertDescription: 20)
    static let decryptError = TLSRobot.Response(end: .alert, alertLevel: 2, alertDescription: 51)
    static let handshakeFailure = TLSRobot.Response(end: .alert, alertLevel: 2, alertDescription: 40)

    /// A round whose answers are `responses` in `Variant.allCases` order.
    static func round(_ responses: [TLSRobot.Response], wait: Int = 1500) -> TLSRobot.Round {
        .init(waitMilliseconds: wait, answers: zip(TLSRobot.Variant.allCases, responses).map { .init(variant: $0, response: $1) })
    }

    static func test(_ rounds: [TLSRobot.Round]) -> TLSRobot.Test {
        .init(version: .tls12, suite: .init(code: 0x009C, name: "TLS_RSA_WITH_AES_128_GCM_SHA256"), keyBits: 2048, rounds: rounds)
    }

    func check(_ rule: String, _ robot: CheckResult<TLSRobot.Test>) -> (RuleResult.Status?, [Finding]) {
        base.check(rule, base.evidence() + [Evidence(endpoint: base.ep, facts: TLSRobot(test: robot, handshakes: 5))])
    }

    @Test("the same answer to every block is no oracle: both rules pass")
    func identical() {
        let same = Self.test([Self.round(Array(repeating: Self.badMAC, count: 5))])
        #expect(RobotOracle.of(same) == .none)
        #expect(check("tls.robot", .observed(same)).0 == .pass && check("tls.robot-weak-oracle", .observed(same)).0 == .pass)
    }

    @Test("the malformed blocks answered unlike each other: a strong oracle, every answer in the finding")
    func strong() throws {
        let answers = [Self.badMAC, Self.decryptError, Self.badMAC, .init(end: .reset), Self.badMAC]
        let t = Self.test([Self.round(answers), Self.round(answers, wait: 5000)])
        #expect(RobotOracle.of(t) == .strong)
        let (status, findings) = check("tls.robot", .observed(t))
        let finding = try #require(findings.first)
        #expect(status == .fail && finding.severity == .high)
        #expect(finding.evidence.contains(Fact("oracle", "strong")) && finding.evidence.contains(Fact("suite", "TLS_RSA_WITH_AES_128_GCM_SHA256")))
        #expect(finding.evidence.contains(Fact("response.wrong-first-bytes", "alert 2/51")))
        #expect(finding.evidence.contains(Fact("response.no-zero-separator", "reset")))
        #expect(check("tls.robot-weak-oracle", .observed(t)).0 == .pass)
    }

    @Test("only the well-padded blocks stand out (the three malformed alike): a weak oracle, a medium finding")
    func weak() throws {
        // The correct block and the wrong version differ from the three badly padded ones.
        let t = Self.test([Self.round([Self.badMAC, Self.decryptError, Self.decryptError, Self.decryptError, Self.badMAC])])
        #expect(RobotOracle.of(t) == .weak)
        let (status, findings) = check("tls.robot-weak-oracle", .observed(t))
        #expect(status == .fail && findings.first?.severity == .medium && findings.first?.evidence.contains(Fact("oracle", "weak")) == true)
        #expect(check("tls.robot", .observed(t)).0 == .pass)
        // A silence to the correct block alone is an oracle too (the server waits for more only then).
        let silent = Self.test([Self.round([.init(end: .silent)] + Array(repeating: Self.badMAC, count: 4)),
                                Self.round([.init(end: .silent)] + Array(repeating: Self.badMAC, count: 4), wait: 5000)])
        #expect(RobotOracle.of(silent) == .weak)
    }

    @Test("rounds that disagree are unknown, not a pass; a first round cut short by its wait, then no oracle, passes")
    func inconsistent() {
        let first = Self.round([Self.badMAC, Self.decryptError, Self.badMAC, Self.badMAC, Self.badMAC])
        let second = Self.round([Self.badMAC, Self.badMAC, Self.handshakeFailure, Self.badMAC, Self.badMAC], wait: 5000)
        let t = Self.test([first, second])
        #expect(RobotOracle.of(t) == .inconsistent)
        #expect(check("tls.robot", .observed(t)).0 == .unknown && check("tls.robot-weak-oracle", .observed(t)).0 == .unknown)
        let slow = Self.test([Self.round([.init(end: .silent)] + Array(repeating: Self.badMAC, count: 4)),
                              Self.round(Array(repeating: Self.badMAC, count: 5), wait: 5000)])
        #expect(RobotOracle.of(slow) == .none)
        #expect(check("tls.robot", .observed(slow)).0 == .pass)
        // Alerts that changed without any silence: the second round's identical answers do not clear it.
        let flaky = Self.test([first, Self.round(Array(repeating: Self.badMAC, count: 5), wait: 5000)])
        #expect(RobotOracle.of(flaky) == .inconsistent)
    }

    @Test("no RSA key exchange passes; a test that failed is unknown")
    func notApplicableOrFailed() {
        #expect(check("tls.robot", .notApplicable("no suite of RSA key exchange (TLS_RSA_WITH_*) accepted with TLSv1.2")).0 == .pass)
        #expect(check("tls.robot", .failed(.timeout("the server went silent"))).0 == .unknown)
        #expect(check("tls.robot-weak-oracle", .failed(FailureReason(code: "client-certificate-required", detail: "x"))).0 == .unknown)
    }

    @Test("a stored scan from before the check has no tls.robot evidence: not applicable, not unknown")
    func predates() {
        #expect(base.check("tls.robot", base.evidence()).0 == .notApplicable)
        #expect(base.check("tls.robot-weak-oracle", base.evidence()).0 == .notApplicable)
    }
}
