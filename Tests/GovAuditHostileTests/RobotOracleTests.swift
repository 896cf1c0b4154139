import Foundation
import GovAuditCore
@testable import GovAuditNet
@testable import GovAuditPolicy
import Testing

/// The ROBOT check end to end against servers that are Bleichenbacher oracles
/// (Tests/Hostile/robot_oracle.py decrypts each ClientKeyExchange with its own key and answers
/// by the padding it finds): the strong and the weak oracle are told apart, a sound one is no
/// oracle, and a server that stalls or hangs up ends the test with a typed outcome.
@Suite("ROBOT against oracle servers", .serialized)
struct RobotOracleTests {
    /// robot_oracle.py, started once per process (its key takes a moment): its port per behaviour.
    final class Oracle: @unchecked Sendable {
        static let shared = Result { try Oracle() }

        let ports: [String: Int]
        private let process = Process()
        /// Held open: the server ends when this process does (its standard input closes).
        private let input = Pipe()

        init() throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [root.appendingPathComponent("Hostile/robot_oracle.py").path]
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
            ports = (try JSONSerialization.jsonObject(with: line) as? [String: Int]) ?? [:]
        }

    }

    let oracle: Oracle
    init() throws { oracle = try Oracle.shared.get() }

    /// What a version scan of these servers finds: TLS 1.2 with one suite of RSA key exchange.
    static let scan = TLSProber.VersionScan(offered: [.tls12], suites: [.tls12: [0x009C]], serverOrder: [:], groups: [], handshakes: 0)

    /// Waits generous enough for a loaded machine (a late answer would read as silence and make
    /// the rounds disagree); the silent server gets short ones.
    func run(_ behaviour: String, quiet: Int = 3000, step: Int = 5000, seconds: Double = 90) throws -> TLSRobot {
        let port = try #require(oracle.ports[behaviour], "robot_oracle.py gave no \(behaviour) port")
        let prober = TLSProber(timeoutMilliseconds: step, filter: AddressFilter(allowing: [CIDR("127.0.0.1/32")!]))
        return TLSRobotProber(prober: prober, quietMilliseconds: quiet)
            .run(address: "127.0.0.1", port: port, serverName: "robot.hostile.example", scan: Self.scan,
                 deadline: Deadline(seconds: seconds, owner: "the test"))
    }

    @Test("a server that answers bad padding unlike good padding, in three ways: a strong oracle, confirmed by a second round")
    func strong() throws {
        let r = try run("strong")
        let test = try #require(r.test.value, "\(r.test)")
        #expect(RobotOracle.of(test) == .strong && test.rounds.count == 2 && r.handshakes == 10)
        #expect(test.rounds[0].response(.correct) == .init(end: .alert, alertLevel: 2, alertDescription: 20))
        #expect(test.rounds[0].response(.wrongFirstBytes) == .init(end: .alert, alertLevel: 2, alertDescription: 51))
        #expect(test.rounds[0].response(.noZeroSeparator)?.end == .closed)
        #expect(test.suite.code == 0x009C && test.keyBits == 2048 && test.version == .tls12)
    }

    @Test("a server that tells only well-placed separators apart: a weak oracle")
    func weak() throws {
        let test = try #require(try run("weak").test.value)
        #expect(RobotOracle.of(test) == .weak)
        #expect(test.rounds[0].response(.wrongVersion) == test.rounds[0].response(.correct))
        #expect(test.rounds[0].response(.zeroMisplaced) == test.rounds[0].response(.noZeroSeparator))
    }

    @Test("the same alert to every block: no oracle, one round of five connections")
    func sound() throws {
        let r = try run("sound")
        let test = try #require(r.test.value)
        #expect(RobotOracle.of(test) == .none && test.rounds.count == 1 && r.handshakes == 5)
    }

    @Test("a server silent after the ClientKeyExchange: every answer silent, each wait bounded, no oracle")
    func stall() throws {
        let test = try #require(try run("stall", quiet: 400, step: 800).test.value)
        #expect(test.rounds.count == 1 && test.rounds[0].answers.allSatisfy { $0.response.end == .silent })
        #expect(test.rounds[0].waitMilliseconds == 400 && RobotOracle.of(test) == .none)
    }

    @Test("a server that asks for a client certificate takes an empty one: the oracle is still found, and said to be tested so")
    func asksCertificate() throws {
        let r = try run("strong-asks-certificate")
        let test = try #require(r.test.value, "\(r.test)")
        #expect(RobotOracle.of(test) == .strong && test.emptyClientCertificate == true && r.handshakes == 10)
        let plain = try #require(try run("strong").test.value)
        #expect(plain.emptyClientCertificate == nil)
    }

    @Test("a server that requires a client certificate refuses every block alike: the test failed, never 'no oracle'")
    func requiresCertificate() throws {
        let r = try run("requires-certificate")
        guard case .failed(let reason) = r.test else { Issue.record("\(r.test)"); return }
        #expect(reason.code == "client-certificate-required" && reason.detail.contains("alert 40") && r.handshakes == 5, "\(reason)")
    }

    @Test("a server that hangs up on the hello: the test failed (closed), after one connection; a spent budget is budget-exhausted")
    func hangup() throws {
        let r = try run("hangup")
        guard case .failed(let reason) = r.test else { Issue.record("\(r.test)"); return }
        #expect(reason.code == "closed" && r.handshakes == 1)
        let late = try run("stall", quiet: 400, step: 800, seconds: 1.2)
        guard case .failed(let spent) = late.test else { Issue.record("\(late.test)"); return }
        #expect(spent.code == "budget-exhausted", "\(spent)")
    }
}
