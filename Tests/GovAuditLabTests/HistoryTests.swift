import Foundation
import GovAuditCore
import GovAuditTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The stored pipeline against the lab, as a user drives it: scans stored in a real SQLite file,
/// read back, killed and resumed, compared, and judged again under another policy.
@Suite("Scan history against the lab (integration)", .serialized)
struct HistoryTests {
    let lab: Lab
    let folder: URL

    init() throws {
        lab = try Lab.running()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var labOptions: [String] {
        ["--resolver", lab.resolver, "--ca-file", lab.caFile, "--trust-anchor", lab.trustAnchors,
         "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16", "--as-of", "2026-11-26"]
    }

    /// Runs govaudit; standard output, standard error and the exit status.
    @discardableResult
    func govaudit(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(Lab.root.appendingPathComponent(".build/debug/govaudit"), arguments, directory: Lab.root,
                           environment: ["NO_COLOR": "1", "GOVAUDIT_DB": Lab.testDatabase])
    }

    func start(_ arguments: [String]) -> Process {
        let p = Process()
        p.executableURL = Lab.root.appendingPathComponent(".build/debug/govaudit")
        p.currentDirectoryURL = Lab.root
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1", "GOVAUDIT_DB": Lab.testDatabase]) { _, new in new }
        return p
    }

    /// (key, severity, status) of every finding of a JSON report, and its province figures.
    func outcome(_ json: String) throws -> (findings: Set<String>, figures: [String]) {
        let doc = try JSON.parse(json)
        guard case .array(let systems)? = doc["systems"] else { throw Failure("no systems in the report") }
        var findings = Set<String>()
        for s in systems {
            guard case .array(let list)? = s["findings"] else { continue }
            for f in list {
                guard case .string(let rule)? = f["rule"], case .string(let key)? = f["key"], case .string(let sev)? = f["severity"],
                      case .string(let st)? = f["status"] else {
                    throw Failure("a finding without rule, key, severity or status")
                }
                findings.insert("\(rule) \(key) \(sev) \(st)")
            }
        }
        guard case .array(let figures)? = doc["summary"]?["province"]?["figures"] else { throw Failure("no figures") }
        let described = figures.map { f in ["id", "passed", "applicable", "unknown", "notApplicable"].map { "\(f[$0].map { "\($0)" } ?? "-")" }.joined(separator: " ") }
        return (findings, described)
    }

    func scanID(_ stderr: String) throws -> String {
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("scan ") || $0.hasPrefix("audit ") }),
              let id = line.split(separator: " ").dropFirst().first else { throw Failure("no scan id in: \(stderr)") }
        return String(id.dropLast())   // "scan ID:" → ID
    }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    @Test("a scan killed with SIGKILL and resumed equals an uninterrupted one; stored scans read back the same")
    func killAndResume() throws {
        let inventory = ["--inventory", "Policies/inventory/angiang.yaml"]
        let whole = folder.appendingPathComponent("whole.sqlite").path, killed = folder.appendingPathComponent("killed.sqlite").path
        let first = try govaudit(["scan"] + inventory + labOptions + ["--db", whole, "--format", "json", "--fail-on", "none"])
        #expect(first.status == 0, "\(first.err)")
        let reference = try outcome(first.out)
        #expect(!reference.findings.isEmpty)

        // Read back: the stored evidence judged again on the scan's own day gives the same report.
        let id = try scanID(first.err)
        let again = try govaudit(["evaluate", "--scan", id, "--db", whole, "--format", "json", "--fail-on", "none"])
        #expect(again.status == 0, "\(again.err)")
        let back = try outcome(again.out)
        #expect(back.findings == reference.findings)
        #expect(back.figures == reference.figures)

        // The same scan, killed outright once some systems are committed.
        let victim = start(["scan"] + inventory + labOptions + ["--db", killed, "--fail-on", "none", "--concurrency", "2"])
        victim.standardOutput = FileHandle.nullDevice
        victim.standardError = FileHandle.nullDevice
        try victim.run()
        var stored = 0
        for _ in 0..<600 where stored < 10 {
            usleep(50_000)
            guard FileManager.default.fileExists(atPath: killed) else { continue }
            let h = try govaudit(["history", "--db", killed, "--format", "json"])
            if h.status == 0, case .array(let scans)? = try JSON.parse(h.out)["scans"], case .number(let n)? = scans.first?["systemsStored"] {
                stored = Int(n)
            }
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        #expect(stored >= 10 && stored < 64, "killed after \(stored) systems")

        let history = try JSON.parse(try govaudit(["history", "--db", killed, "--format", "json"]).out)
        #expect(newest(history)?["status"] == .string("running"))   // killed: never marked

        let resumed = try govaudit(["scan", "--resume"] + labOptions + ["--db", killed, "--format", "json", "--fail-on", "none"])
        #expect(resumed.status == 0, "\(resumed.err)")
        let finished = try outcome(resumed.out)
        #expect(finished.findings == reference.findings)
        #expect(finished.figures == reference.figures)
        let after = try JSON.parse(try govaudit(["history", "--db", killed, "--format", "json"]).out)
        #expect(newest(after)?["status"] == .string("complete"))
        #expect(newest(after)?["resumes"] == .number(1))
        #expect(newest(after)?["systemsStored"] == .number(64))
    }

    @Test("a spam link added between two scans is exactly what diff shows; re-judging under a changed parameter changes exactly its findings")
    func diffAndRejudge() throws {
        let page = Lab.root.appendingPathComponent("Tests/Lab/state/www/sonoivu.angiang.gov.vn/index.html")
        let original = try String(contentsOf: page, encoding: .utf8)
        defer { try? original.write(to: page, atomically: true, encoding: .utf8) }
        let inventory = folder.appendingPathComponent("two.yaml")
        try """
            version: 1
            name: "Hai hệ thống"
            agencies:
              - {id: sonv, name: "Sở Nội vụ"}
              - {id: sovh, name: "Sở Văn hóa, Thể thao và Du lịch"}
            systems:
              - {id: cong-sonv, name: "Cổng Sở Nội vụ", agency: sonv, level: 2, dossier: {status: approved},
                 endpoints: ["https://sonoivu.angiang.gov.vn/"]}
              - {id: cong-dulich, name: "Cổng Du lịch", agency: sovh, level: 2, dossier: {status: approved},
                 endpoints: ["https://dulich.angiang.gov.vn/"]}
            """.write(to: inventory, atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("diff.sqlite").path
        let scan = ["scan", "--inventory", inventory.path, "--checks", "links"] + labOptions + ["--db", db, "--fail-on", "none"]
        let before = try govaudit(scan)
        #expect(before.status == 0, "\(before.err)")
        let unchanged = try govaudit(["diff", "--db", db])
        #expect(unchanged.status == 2)   // only one complete scan: nothing to compare with

        let injected = original.replacingOccurrences(of: "</body>",
            with: #"<a href="https://kuwin88.example/nha-cai-uy-tin">nhà cái uy tín</a></body>"#)
        #expect(injected != original)
        try injected.write(to: page, atomically: true, encoding: .utf8)
        let after = try govaudit(scan)
        #expect(after.status == 0, "\(after.err)")

        let diff = try JSON.parse(try govaudit(["diff", "--db", db, "--format", "json"]).out)
        guard case .array(let systems)? = diff["diff"]?["systems"] else { Issue.record("no systems in diff"); return }
        #expect(systems.count == 1)
        #expect(systems.first?["system"] == .string("cong-sonv"))
        guard case .array(let new)? = systems.first?["newFindings"] else { Issue.record("no new findings"); return }
        let rules = Set(new.compactMap { n -> String? in if case .string(let r)? = n["finding"]?["rule"] { r } else { nil } })
        #expect(rules.contains("links.spam"))
        // The link's domain is new to the site too (drift against the previous scan).
        #expect(rules.isSubset(of: ["links.spam", "links.outside-vn", "links.new-outbound-domain"]))
        #expect(systems.first?["resolved"] == .array([]) && systems.first?["changed"] == .array([]))
        #expect(try govaudit(["diff", "--db", db, "--fail-on", "high"]).status == 1)

        // Re-judge the second scan with one more scam keyword, a phrase every lab page's news
        // carries: new links.spam findings appear, and nothing else changes.
        let policy = folder.appendingPathComponent("policy")
        try FileManager.default.copyItem(at: Lab.root.appendingPathComponent("Policies"), to: policy)
        let links = policy.appendingPathComponent("rules/links.yaml")
        let id = try scanID(after.err)
        let stock = try outcome(try govaudit(["evaluate", "--scan", id, "--db", db, "--format", "json", "--fail-on", "none"]).out)
        let text = try String(contentsOf: links, encoding: .utf8)
        let marker = #"scam: ["#
        #expect(text.contains(marker))
        try text.replacingOccurrences(of: marker, with: marker + #""tổng kết", "#).write(to: links, atomically: true, encoding: .utf8)
        let changed = try outcome(try govaudit(["evaluate", "--scan", id, "--db", db, "--policy", policy.path,
                                               "--format", "json", "--fail-on", "none"]).out)
        let added = changed.findings.subtracting(stock.findings)
        #expect(!added.isEmpty && added.allSatisfy { $0.hasPrefix("links.spam ") }, "\(added)")
        #expect(stock.findings.isSubset(of: changed.findings))
    }

    /// The newest scan of a `history --format json` document.
    func newest(_ history: JSON) -> JSON? {
        if case .array(let scans)? = history["scans"] { scans.first } else { nil }
    }
}
