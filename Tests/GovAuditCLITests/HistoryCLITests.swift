import Foundation
import GovAuditTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The history verbs on broken, locked and missing databases: exit 3 with the path named, and
/// the file left exactly as it was.
@Suite("history database failures", .serialized)
struct HistoryCLITests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("dbtests")
    }

    @Test("a file that is not a database: exit 3, named, untouched")
    func garbage() throws {
        let path = folder.path("history.sqlite")
        let bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: URL(fileURLWithPath: path))
        for verb in [["history"], ["diff"], ["evaluate", "--scan", "x"]] {
            let r = try CLI.run(verb + ["--db", path])
            #expect(r.status == 3, "\(verb): \(r.stderr)")
            #expect(r.stderr.contains(path) && r.stderr.contains("damaged"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test("a missing database is an error for readers, not an empty history")
    func missing() throws {
        let path = folder.path("nope.sqlite")
        let r = try CLI.run(["history", "--db", path])
        #expect(r.status == 3 && r.stderr.contains("no history database"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a locked database: exit 3 after the wait; the stored audit is still there afterwards")
    func locked() throws {
        let server = try HostileServer.shared.get()
        let path = folder.path("locked.sqlite")
        let audit = try CLI.run(["audit", "http://www.hostile.example:\(server.webPort)/landing", "--resolver", server.resolver,
                                 "--allow-net", "127.0.0.1/32", "--checks", "links", "--db", path, "--fail-on", "none"])
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stderr.contains("stored in \(path)"))

        // Another process holds an exclusive lock (as a stuck writer would).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(30)
            """, path]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        // SIGKILL: the test runner's children may inherit an ignored SIGTERM.
        func release() { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        defer { if holder.isRunning { release() } }
        _ = try out.fileHandleForReading.read(upToCount: 7)
        let busy = try CLI.run(["audit", "http://www.hostile.example:\(server.webPort)/landing", "--resolver", server.resolver,
                                "--allow-net", "127.0.0.1/32", "--checks", "links", "--db", path, "--fail-on", "none"])
        #expect(busy.status == 3, "\(busy.stderr)")
        #expect(busy.stderr.contains("locked by another process"))
        release()

        let listed = try CLI.run(["history", "--db", path, "--format", "json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        guard case .array(let scans)? = try JSON.parse(listed.stdout)["scans"] else { Issue.record("no scans"); return }
        #expect(scans.count == 1 && scans.first?["status"] == .string("complete"))

        // Triage: a stored finding's key is accepted, an unknown one is the user's error.
        guard case .string(let id)? = scans.first?["id"] else { Issue.record("no scan id"); return }
        let report = try CLI.run(["evaluate", "--scan", id, "--db", path,
                                  "--format", "json", "--fail-on", "none"])
        guard case .array(let systems)? = try JSON.parse(report.stdout)["systems"], case .array(let findings)? = systems.first?["findings"],
              case .string(let key)? = findings.first?["key"] else { Issue.record("no finding to triage: \(report.stderr)"); return }
        let triaged = try CLI.run(["triage", key, "false-positive", "--reason", "Liên kết đối tác đã xác minh", "--by", "an", "--db", path])
        #expect(triaged.status == 0 && triaged.stdout.contains(key), "\(triaged.stderr)")
        let unknown = try CLI.run(["triage", "0123456789abcdef", "confirmed", "--reason", "x", "--db", path])
        #expect(unknown.status == 2 && unknown.stderr.contains("0123456789abcdef"))

        // Pruning keeps the latest complete scan of a series, however old.
        let pruned = try CLI.run(["history", "prune", "--keep", "1d", "--db", path])
        #expect(pruned.status == 0 && pruned.stdout.contains("Deleted 0 scans"), "\(pruned.stdout)\(pruned.stderr)")
        #expect(try CLI.run(["history", "prune", "--keep", "0d", "--db", path]).status == 2)
    }

    @Test("a scan cannot be resumed when nothing is unfinished; a complete one cannot be resumed (exit 2)")
    func resumeRefused() throws {
        let server = try HostileServer.shared.get()
        let path = folder.path("resume.sqlite")
        let inventory = try folder.write("one.yaml", """
            version: 1
            name: "Một hệ thống"
            agencies: [{id: a, name: "Cơ quan A"}]
            systems:
              - {id: s1, name: "Trang A", agency: a, level: 2, dossier: {status: approved},
                 endpoints: ["http://www.hostile.example:\(server.webPort)/landing"]}
            """)
        let scan = try CLI.run(["scan", "--inventory", inventory, "--resolver", server.resolver, "--allow-net", "127.0.0.1/32",
                                "--checks", "links", "--db", path, "--fail-on", "none"])
        #expect(scan.status == 0, "\(scan.stderr)")
        // The line a scan ends with counts the scanner's own work: probe threads, DNS queries, connections.
        let gauges = try #require(scan.stderr.firstMatch(
            of: /scan statistics: threads (\d+) at most at once; DNS (\d+) queries, \d+ answered from the cache; HTTP (\d+) connections, \d+ requests on a kept one\n/),
            "\(scan.stderr)")
        #expect(Int(gauges.1)! >= 1 && Int(gauges.2)! >= 1 && Int(gauges.3)! >= 1, "\(scan.stderr)")
        let none = try CLI.run(["scan", "--resume", "--resolver", server.resolver, "--db", path])
        #expect(none.status == 2 && none.stderr.contains("no unfinished scan"), "\(none.stderr)")
        let id = try #require(scan.stderr.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let complete = try CLI.run(["scan", "--resume", id, "--inventory", inventory, "--resolver", server.resolver,
                                    "--checks", "links", "--db", path])
        #expect(complete.status == 2 && complete.stderr.contains("already complete"), "\(complete.stderr)")
    }
}
