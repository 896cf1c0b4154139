import Foundation
import Testing

/// `make install` as a new user runs it: into a fresh prefix, then the installed program, run
/// from `/`, finds its policy and audits a lab host; `make uninstall` leaves the prefix empty.
@Suite("make install (integration)", .serialized)
struct InstallLabTests {
    struct Run {
        var out: String
        var err: String
        var status: Int32
    }

    func run(_ executable: String, _ arguments: [String], in folder: String) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment
        env["GOVAUDIT_POLICY"] = nil
        env["GOVAUDIT_CONFIG"] = nil
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self), status: process.terminationStatus)
    }

    @Test("make install PREFIX=<temporary>: the installed program audits a lab host from /, then make uninstall removes it all")
    func installAndAudit() throws {
        let lab = try Lab.running()
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("govaudit-prefix-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let install = try run("/usr/bin/make", ["install", "PREFIX=\(prefix)", "SYSTEMD=1"], in: Lab.root.path)
        #expect(install.status == 0, "\(install.err)")

        let bin = prefix + "/bin/govaudit"
        for file in ["bin/govaudit", "share/govaudit/Policies/policy.yaml", "share/man/man1/govaudit.1", "share/man/man1/govaudit.schedule.1",
                     "share/bash-completion/completions/govaudit", "share/zsh/site-functions/_govaudit",
                     "share/fish/vendor_completions.d/govaudit.fish", "lib/systemd/system/govaudit-schedule.service",
                     "lib/systemd/system/govaudit-scan.timer"] {
            #expect(FileManager.default.fileExists(atPath: "\(prefix)/\(file)"), "\(file)")
        }
        let unit = try String(contentsOfFile: prefix + "/lib/systemd/system/govaudit-schedule.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=\(bin) schedule"))
        let man = try String(contentsOfFile: prefix + "/share/man/man1/govaudit.schedule.1", encoding: .utf8)
        #expect(man.contains("--every") && man.contains("--max-runs"), "the page comes from the parser's own help")

        // The Swift runtime is linked in: nothing is loaded from the toolchain's folder.
        let ldd = try run("/usr/bin/ldd", [bin], in: "/")
        #expect(ldd.status == 0 && !ldd.out.contains("libswiftCore") && !ldd.out.contains("libFoundation"), "\(ldd.out)")

        let version = try run(bin, ["version"], in: "/")
        #expect(version.out.contains("policy \(prefix)/share/govaudit/Policies (installed)"), "\(version.out)\(version.err)")
        let audit = try run(bin, ["audit", "dichvucong.angiang.gov.vn", "--resolver", lab.resolver, "--ca-file", lab.caFile,
                                  "--trust-anchor", lab.trustAnchors, "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16",
                                  "--no-store", "--no-crawl", "--fail-on", "none", "--format", "json"], in: "/")
        #expect(audit.status == 0, "\(audit.err)")
        let doc = try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [String: Any]
        let systems = doc?["systems"] as? [[String: Any]] ?? []
        #expect(systems.count == 1)
        let evidence = (systems.first?["endpoints"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]] ?? []
        #expect(evidence.contains { $0["kind"] as? String == "tls.certificate" }, "the TLS probe reached the lab host")

        let uninstall = try run("/usr/bin/make", ["uninstall", "PREFIX=\(prefix)"], in: Lab.root.path)
        #expect(uninstall.status == 0, "\(uninstall.err)")
        let left = FileManager.default.enumerator(atPath: prefix)?.allObjects as? [String] ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
