import Foundation
import Testing

/// Bad files and flags, as a user or an attacker would pass them: each is exit 2 with a message
/// naming the file (and line and field where there is one), nothing is written, and the target
/// is left as it was.
@Suite("govaudit: hostile files and flags", .serialized)
struct CLIHostileInputTests {
    let small = "Tests/GovAuditCLITests/Fixtures/small.yaml"

    /// A fresh folder, removed when the test ends.
    final class Folder {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("ga-cli-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let p = "\(path)/\(name)"
            try Data(text.utf8).write(to: URL(fileURLWithPath: p))
            return p
        }

        /// A copy of the default policy, to break.
        func policy() throws -> String {
            let p = "\(path)/Policies"
            try FileManager.default.copyItem(atPath: CLI.root.appendingPathComponent("Policies").path, toPath: p)
            return p
        }
    }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test("--out refuses a directory, a device, a FIFO, a symbolic link, a missing folder and the run's own inputs; nothing is touched")
    func outRefusals() throws {
        let f = try Folder()
        let victim = try f.write("victim.txt", "keep me")
        try FileManager.default.createSymbolicLink(atPath: "\(f.path)/link.txt", withDestinationPath: victim)
        #expect(mkfifo("\(f.path)/fifo", 0o600) == 0)
        let inventoryCopy = try f.write("inv.yaml", try String(contentsOfFile: CLI.root.appendingPathComponent(small).path, encoding: .utf8))
        let cases: [(String, String)] = [
            (f.path, "\(f.path): --out: is a directory, not a regular file; give a file name inside it"),
            ("/dev/null", "/dev/null: --out: is a device, not a regular file"),
            ("\(f.path)/fifo", "\(f.path)/fifo: --out: is a FIFO, not a regular file"),
            ("\(f.path)/link.txt", "\(f.path)/link.txt: --out: is a symbolic link, not a regular file; give the real file's path"),
            ("\(f.path)/no/r.txt", "\(f.path)/no/r.txt: --out: the folder \(f.path)/no does not exist"),
            (inventoryCopy, "\(inventoryCopy): --out: is also an input of this run; write the report elsewhere"),
            // The policy is found by the program's own path (absolute): the same file by another name.
            ("Policies/rules/tls.yaml", "Policies/rules/tls.yaml: --out: is the same file as the input \(CLI.root.path)/Policies/rules/tls.yaml; write the report elsewhere"),
        ]
        let tlsRules = contents(CLI.root.appendingPathComponent("Policies/rules/tls.yaml").path)
        for (target, message) in cases {
            let r = try CLI.run(["evaluate", "--inventory", inventoryCopy, "--as-of", "2026-11-26", "--out", target])
            #expect(r.status == 2, "\(target)")
            #expect(r.stderr == message + "\n")
            #expect(r.stdout.isEmpty, "checked before any report is printed")
        }
        #expect(contents(victim) == Data("keep me".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(f.path)/link.txt") == victim)
        #expect(contents(inventoryCopy) == contents(CLI.root.appendingPathComponent(small).path))
        #expect(contents(CLI.root.appendingPathComponent("Policies/rules/tls.yaml").path) == tlsRules)
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        // policy list checks its target too.
        #expect(try CLI.run(["policy", "list", "--out", f.path]).status == 2)
    }

    @Test("a report written with --out has mode 0600 (it holds contacts' personal data)")
    func outMode() throws {
        let f = try Folder()
        let r = try CLI.run(["evaluate", "--inventory", small, "--as-of", "2026-11-26", "--out", "\(f.path)/r.json", "--format", "json"])
        #expect(r.status == 1)
        var info = stat()
        #expect(stat("\(f.path)/r.json", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(contents("\(f.path)/r.json") == Data(r.stdout.utf8))
    }

    @Test("audit and scan check --out against their inputs (the CA file) before touching the network")
    func outIsCAFile() throws {
        let f = try Folder()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=Lab CA",
                       "-days", "2", "-keyout", "\(f.path)/key.pem", "-out", "\(f.path)/ca.pem"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let ca = contents("\(f.path)/ca.pem")
        let r = try CLI.run(["audit", "angiang.gov.vn", "--ca-file", "\(f.path)/ca.pem", "--out", "\(f.path)/ca.pem",
                             "--resolver", "127.0.10.250:53", "--timeout", "1"])
        #expect(r.status == 2)
        #expect(r.stderr == "\(f.path)/ca.pem: --out: is also an input of this run; write the report elsewhere\n")
        #expect(contents("\(f.path)/ca.pem") == ca)
    }

    @Test("inventory import --out: refuses the CSV itself and a directory; writes mode 0600 otherwise")
    func importOut() throws {
        let f = try Folder()
        let csv = try f.write("ds.csv", "id,name,agency_id,level,dossier_status\nlgsp,LGSP,sokhcn,3,approved\n")
        let same = try CLI.run(["inventory", "import", csv, "--out", csv])
        #expect(same.status == 2 && same.stderr == "\(csv): --out: is also an input of this run; write the report elsewhere\n")
        #expect(contents(csv) == Data("id,name,agency_id,level,dossier_status\nlgsp,LGSP,sokhcn,3,approved\n".utf8))
        #expect(try CLI.run(["inventory", "import", csv, "--out", f.path]).status == 2)
        #expect(try CLI.run(["inventory", "import", csv, "--out", "\(f.path)/ds.yaml"]).status == 0)
        var info = stat()
        #expect(stat("\(f.path)/ds.yaml", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("a billion-laughs inventory is refused at its first anchor, with line and field")
    func billionLaughs() throws {
        let f = try Folder()
        var text = "version: 1\nname: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            text += "\(name): &\(name) [\(Array(repeating: "*\(previous)", count: 9).joined(separator: ","))]\n"
        }
        let path = try f.write("laughs.yaml", text)
        let r = try CLI.run(["inventory", "check", path])
        #expect(r.status == 2)
        #expect(r.stderr == "\(path):3: a: YAML anchors (&a) are not allowed; write the value out\n")
    }

    @Test("endless, empty and malformed network files and networks are exit 2 with a plain message")
    func networkFiles() throws {
        let zero = try CLI.run(["audit", "angiang.gov.vn", "--trust-anchor", "/dev/zero"])
        #expect(zero.status == 2 && zero.stderr.contains("--trust-anchor: /dev/zero: not a regular file (a device); give a file"))
        let caZero = try CLI.run(["audit", "angiang.gov.vn", "--ca-file", "/dev/zero"])
        #expect(caZero.status == 2 && caZero.stderr.contains("--ca-file: /dev/zero: not a regular file (a device); give a file"))
        let noCert = try CLI.run(["audit", "angiang.gov.vn", "--ca-file", small])
        #expect(noCert.status == 2 && noCert.stderr.contains("--ca-file: \(small): no PEM certificate (-----BEGIN CERTIFICATE-----) in the file"))
        for net in ["", "/", "10.0.0.0/"] {
            let r = try CLI.run(["audit", "angiang.gov.vn", "--allow-net", net])
            #expect(r.status == 2 && r.stderr.contains("--allow-net: '\(net)' is not a network such as 127.0.10.0/24 or fd10::/16"), "\(net): \(r.stderr)")
        }
    }

    @Test("a policy missing rules/tls.yaml, or with a negative warnDays, is exit 2 naming file, line and field")
    func brokenPolicy() throws {
        let f = try Folder()
        let policy = try f.policy()
        let tls = try String(contentsOfFile: "\(policy)/rules/tls.yaml", encoding: .utf8)
        try tls.replacingOccurrences(of: "warnDays: 7", with: "warnDays: -7").write(toFile: "\(policy)/rules/tls.yaml", atomically: true, encoding: .utf8)
        let line = tls.components(separatedBy: "warnDays: 7")[0].filter { $0 == "\n" }.count + 1
        let negative = try CLI.run(["evaluate", "--inventory", small, "--policy", policy])
        #expect(negative.status == 2)
        #expect(negative.stderr.hasPrefix("\(policy)/rules/tls.yaml:\(line): rules["))
        #expect(negative.stderr.hasSuffix("].parameters.warnDays: -7 is outside 0–3650\n"))
        try FileManager.default.removeItem(atPath: "\(policy)/rules/tls.yaml")
        let missing = try CLI.run(["policy", "list", "--policy", policy])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("\(policy)/policy.yaml: disabled: 21 rules have an evaluator but no definition in rules/*.yaml (a rule file missing?): tls.unavailable, "))
        // Listed under disabled:, the policy loads and says so.
        let ids = missing.stderr.components(separatedBy: "missing?): ")[1].components(separatedBy: "; define")[0]
        let main = try String(contentsOfFile: "\(policy)/policy.yaml", encoding: .utf8) + "\ndisabled: [\(ids)]\n"
        try main.write(toFile: "\(policy)/policy.yaml", atomically: true, encoding: .utf8)
        let listed = try CLI.run(["policy", "list", "--policy", policy, "--lang", "en"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("Rules disabled in policy.yaml: tls.unavailable, tls.ssl-offered, "))
    }

    @Test("control characters from files and flags are shown escaped in every message, never raw")
    func escapedMessages() throws {
        let f = try Folder()
        let inv = try f.write("inv.yaml", "version: 1\nname: x\nagencies: []\nsystems: []\n\"t\\e]0;pwned\\a\": 1\n")
        let r = try CLI.run(["inventory", "check", inv])
        #expect(r.status == 2)
        #expect(r.stderr.contains("inv.yaml:5: t\\u{1B}]0;pwned\\u{7}: unknown field"))
        let flag = try CLI.run(["evaluate", "--inventory", small, "--as-of", "\u{1B}[2J2026"])
        #expect(flag.status == 2 && flag.stderr.contains("--as-of: '\\u{1B}[2J2026' is not a date"))
        for output in [r.stderr, flag.stderr] { #expect(!output.unicodeScalars.contains("\u{1B}")) }
    }

    @Test("inventory import: errors name the CSV, never <generated>; its YAML carries controls and bidi escaped")
    func importCSVText() throws {
        let f = try Folder()
        let bad = try f.write("ds.csv", "id,name,agency_id,level,dossier_status\nlgsp,LGSP,Sở KH,3,approved,extra\n")
        let r = try CLI.run(["inventory", "import", bad])
        #expect(r.status == 2)
        #expect(r.stderr == """
            \(bad):2: column 6: 'extra' is beyond the header's 5 columns; name the column or remove the cell
            \(bad):2: column agency_id: 'Sở KH' is not an id: use lower-case letters, digits, '-', '_' or '.'

            """)
        let hostile = try f.write("h.csv", "id,name,agency_id,level,dossier_status\nlgsp,\"LGSP \u{1B}[31mđỏ\u{202E}ftp\",sokhcn,3,approved\n")
        let out = try CLI.run(["inventory", "import", hostile])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("name: \"LGSP \\u001B[31mđỏ\\u202Eftp\""))
        #expect(!out.stdout.unicodeScalars.contains("\u{1B}") && !out.stdout.unicodeScalars.contains("\u{202E}"))
    }
}
