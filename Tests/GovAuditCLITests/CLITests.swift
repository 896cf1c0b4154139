import Foundation
import GovAuditTestSupport
import Testing

@Suite("govaudit command line", .serialized)
struct CLITests {
    let small = "Tests/GovAuditCLITests/Fixtures/small.yaml"

    @Test("version prints GovAudit's, libcurl's and OpenSSL's versions, and the policy directory it uses")
    func version() throws {
        let r = try CLI.run(["version"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("GovAudit 0."))
        #expect(lines[1].hasPrefix("libcurl 7.") || lines[1].hasPrefix("libcurl 8."))
        #expect(lines[2].hasPrefix("OpenSSL 3."))
        // Built in this checkout: its Policies/, found from the program's own path.
        #expect(lines[3] == "policy \(CLI.root.path)/Policies (checkout)")
        let chosen = try CLI.run(["version"], environment: ["GOVAUDIT_POLICY": "/srv/policy"])
        #expect(chosen.stdout.contains("policy /srv/policy ($GOVAUDIT_POLICY)"))
    }

    @Test("policy list shows every rule with its legal basis (golden)")
    func policyList() throws {
        let r = try CLI.run(["policy", "list", "--lang", "en"])
        #expect(r.status == 0)
        try CLI.expectGolden(r.stdout, "policy-list.en.txt")
        let json = try JSON.parse(try CLI.run(["policy", "list", "--format", "json"]).stdout)
        guard case .array(let rules)? = json["rules"] else { Issue.record("no rules"); return }
        // As many as the rule files define (counted here from the files themselves).
        let dir = CLI.root.appendingPathComponent("Policies/rules")
        let defined = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.map {
            try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8).components(separatedBy: "\n  - id: ").count - 1
        }.reduce(0, +)
        #expect(rules.count == defined && defined > 40)
        for rule in rules {
            guard case .array(let basis)? = rule["basis"] else { Issue.record("no basis"); continue }
            #expect(basis.count == 2)
        }
    }

    @Test("evaluate prints systems, findings by rule and figures (golden, en and vi); exit 1 on high findings")
    func evaluateTable() throws {
        let en = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--lang", "en"])
        #expect(en.status == 1)
        try CLI.expectGolden(en.stdout, "evaluate-small.en.txt")
        let vi = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26"])
        #expect(vi.status == 1)
        try CLI.expectGolden(vi.stdout, "evaluate-small.vi.txt")
        #expect(vi.stdout.contains("Hệ thống được phê duyệt hồ sơ đề xuất cấp độ: 3/4, đạt 75%"))
    }

    @Test("untrusted text is neutralized on the terminal: escapes and bidi overrides shown, not obeyed")
    func escaping() throws {
        let r = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--lang", "en"])
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(!r.stdout.contains("\u{202E}"))
        #expect(r.stdout.contains("\\u{1B}[31m"))
        let json = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--format", "json"])
        #expect(json.stdout.contains("\\u001b[31m"))
        #expect(!json.stdout.contains("\u{1B}"))
    }

    @Test("--fail-on sets the threshold of exit 1")
    func failOn() throws {
        #expect(try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--fail-on", "none"]).status == 0)
        #expect(try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--fail-on", "critical"]).status == 0)
        #expect(try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--fail-on", "medium"]).status == 1)
    }

    @Test("--as-of changes overdue results as the calendar says")
    func asOf() throws {
        let before = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-08-15", "--lang", "en"])
        let after = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-08-16", "--lang", "en"])
        #expect(!before.stdout.contains("layer3.assessment-overdue"))
        #expect(after.stdout.contains("layer3.assessment-overdue"))
        #expect(after.stdout.contains("dueDate=2026-08-15"))
        // The waiver of bay-den expires on 2026-12-31: waived before, open after.
        let waived = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-12-31", "--lang", "en"]).stdout
        let open = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2027-01-01", "--lang", "en"]).stdout
        #expect(waived.contains("[waived until 2026-12-31"))
        #expect(open.contains("waiver.expired=2026-12-31"))
    }

    @Test("JSON output validates against Reports/schema/evaluation.schema.json, and a broken one does not")
    func jsonSchema() throws {
        let schema = try JSON.parse(String(contentsOf: CLI.root.appendingPathComponent("Reports/schema/evaluation.schema.json"), encoding: .utf8))
        let validator = JSONSchemaValidator(root: schema)
        for inventory in [small, "Policies/inventory/angiang.yaml"] {
            let r = try CLI.run(["evaluate", "--inventory", inventory, "--as-of", "2026-11-26", "--format", "json"])
            #expect(r.status == 1)
            let doc = try JSON.parse(r.stdout)
            #expect(validator.validate(doc) == [], "\(inventory)")
            #expect(doc["schemaVersion"] == .string("2.1.0"))
        }
        // The validator does reject: drop a finding's rule, add an unknown severity.
        let text = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--format", "json"]).stdout
        let broken = text.replacingOccurrences(of: "\"rule\" : \"dossier.not-approved\",", with: "")
            .replacingOccurrences(of: "\"severity\" : \"medium\"", with: "\"severity\" : \"urgent\"")
        #expect(broken != text)
        let errors = validator.validate(try JSON.parse(broken))
        #expect(errors.contains { $0.hasSuffix("missing required 'rule'") })
        #expect(errors.contains { $0.contains("\"urgent\"") || $0.contains("urgent") })
    }

    @Test("bad input exits 2 with file:line: field: message")
    func badInput() throws {
        let broken = try CLI.run(["inventory", "check", "Tests/GovAuditInventoryTests/Fixtures/broken.yaml"])
        #expect(broken.status == 2)
        #expect(broken.stdout.isEmpty)
        try CLI.expectGolden(broken.stderr, "check-broken.txt")

        let missing = try CLI.run(["evaluate", "--inventory", "no/such.yaml"])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("no/such.yaml: cannot read the file"))
        let date = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-02-30"])
        #expect(date.status == 2 && date.stderr.contains("--as-of: '2026-02-30' is not a date YYYY-MM-DD"))
        let policy = try CLI.run(["policy", "list", "--policy", "Tests"])
        #expect(policy.status == 2 && policy.stderr.contains("Tests/rules: no rule files"))
        #expect(try CLI.run(["frobnicate"]).status == 2)
        #expect(try CLI.run(["evaluate", "--inventory", small, "--fail-on", "sometimes"]).status == 2)
    }

    @Test("network verbs: bad options exit 2 with a precise message; a resolver that does not answer exits 3")
    func networkOptions() throws {
        let resolver = try CLI.run(["audit", "angiang.gov.vn", "--resolver", "fd10::1:53:x"])
        #expect(resolver.status == 2 && resolver.stderr.contains("--resolver: 'fd10::1:53:x' is not ADDR[:PORT]"))
        let anchors = try CLI.run(["audit", "angiang.gov.vn", "--trust-anchor", "Tests/GovAuditCLITests/Fixtures/small.yaml"])
        #expect(anchors.status == 2 && anchors.stderr.contains("small.yaml:1: trust anchor: not a DS or DNSKEY record"))
        let net = try CLI.run(["scan", "--inventory", small, "--allow-net", "10.0.0.0/33"])
        #expect(net.status == 2 && net.stderr.contains("--allow-net: '10.0.0.0/33'"))
        // Nothing listens on 127.0.10.250 unless a lab does: the scan cannot run.
        let dead = try CLI.run(["audit", "angiang.gov.vn", "--resolver", "127.0.10.250:53", "--timeout", "1"])
        #expect(dead.status == 3 && dead.stderr.contains("does not answer"))
        #expect(dead.stdout.isEmpty)
    }

    @Test("inventory check accepts the example inventory")
    func checkExample() throws {
        let r = try CLI.run(["inventory", "check", "Policies/inventory/angiang.yaml"])
        #expect(r.status == 0)
        #expect(r.stdout == "Policies/inventory/angiang.yaml: OK — 64 systems, 33 agencies, 55 endpoints\n")
    }

    @Test("inventory import writes an inventory that checks and evaluates")
    func importCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ga-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("ds.csv").path, yaml = dir.appendingPathComponent("ds.yaml").path
        let text = "\u{FEFF}id,name,agency_id,agency_name,level,dossier_status\r\nlgsp,Nền tảng LGSP,sokhcn,Sở KH&CN,3,submitted\r\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        let r = try CLI.run(["inventory", "import", csv, "--out", yaml, "--name", "Tỉnh X"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1 systems (utf8-bom)"))
        #expect(try CLI.run(["inventory", "check", yaml]).status == 0)
        let e = try CLI.run(["evaluate", "--inventory", yaml, "--as-of", "2026-11-26", "--lang", "en"])
        #expect(e.stdout.contains("dossier.not-approved"))
        #expect(e.stdout.contains("Systems with an approved security-level dossier: 0/1 (0%)"))
        let bad = try CLI.run(["inventory", "import", CLI.root.appendingPathComponent(small).path])
        #expect(bad.status == 2)
    }

    @Test("--out writes the same report, atomically, without colour")
    func outFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ga-\(UUID().uuidString).txt").path
        let r = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--out", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == r.stdout)
    }

    @Test("help teaches: evaluate --help (golden)")
    func help() throws {
        let r = try CLI.run(["evaluate", "--help"])
        #expect(r.status == 0)
        try CLI.expectGolden(r.stdout, "evaluate-help.txt")
    }
}
