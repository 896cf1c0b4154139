import Foundation
import GovAuditCore
import GovAuditInventory
import GovAuditTestSupport
import Testing

/// `govaudit scan` as a user runs it against the lab province: the JSON contract holds, and the
/// IPv6 figure is what the lab's expected data says it must be.
@Suite("govaudit scan against the lab (integration)", .serialized)
struct ScanCommandTests {
    func govaudit(_ arguments: [String]) throws -> (String, Int32) {
        let process = Process()
        process.executableURL = Lab.root.appendingPathComponent(".build/debug/govaudit")
        process.currentDirectoryURL = Lab.root
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1", "GOVAUDIT_DB": Lab.testDatabase]) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    @Test("text injected into a scanned page is shown escaped: no terminal escape, no bidi override reaches the screen")
    func hostileTextEscaped() throws {
        let lab = try Lab.running()
        let common = ["audit", "payloads.lab.angiang.gov.vn", "--resolver", lab.resolver, "--ca-file", lab.caFile,
                      "--allow-net", "127.0.10.0/24", "--fail-on", "none", "--lang", "en", "--no-tls"]
        let (table, status) = try govaudit(common)
        #expect(status == 0)
        #expect(table.contains("kuwin88.example/x"))
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x07 })
        // The bidi override survives HTML parsing and is shown as a visible escape; the HTML parser
        // already turns the page's ESC and BEL into U+FFFD (the CLI tests prove the terminal
        // escaping of ESC itself, on inventory text).
        #expect(table.contains("\\u{202E}fdp.exe") && table.contains("[31m"))
        #expect(table.contains("=HYPERLINK("))   // a formula is harmless on a terminal; the CSV export must neutralize it
        let (json, _) = try govaudit(common + ["--format", "json"])
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B })
        #expect(json.contains("<script>document.body.setAttribute('data-lab','lab'+'ran')</script>"))   // data, kept as data in a JSON string
    }

    @Test("requests identify GovAudit and whoever runs it (the server's access log shows the User-Agent)")
    func userAgent() throws {
        let lab = try Lab.running()
        let contact = "attt-\(UInt32.random(in: 0...UInt32.max))@angiang.gov.vn"
        let (_, status) = try govaudit(["audit", "dichvucong.angiang.gov.vn", "--resolver", lab.resolver, "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16",
                                        "--no-crawl", "--no-tls", "--fail-on", "none", "--contact", contact])
        #expect(status == 0)
        let log = try String(contentsOf: Lab.root.appendingPathComponent("Tests/Lab/state/logs/nginx-access.log"), encoding: .utf8)
        #expect(log.contains("\"GovAudit/0.1.0 (+\(contact))\""))
    }

    @Test("scan of the example province: schema-valid JSON, IPv6 figure and per-system list from the expected data")
    func scanProvince() throws {
        let lab = try Lab.running()
        let binary = Lab.root.appendingPathComponent(".build/debug/govaudit")
        let process = Process()
        process.executableURL = binary
        process.currentDirectoryURL = Lab.root
        process.environment = ProcessInfo.processInfo.environment.merging(["GOVAUDIT_DB": Lab.testDatabase]) { _, new in new }
        process.arguments = ["scan", "--inventory", "Policies/inventory/angiang.yaml", "--resolver", lab.resolver,
                             "--ca-file", lab.caFile, "--trust-anchor", lab.trustAnchors,
                             "--allow-net", "127.0.10.0/24", "--allow-net", "fd10::/16",
                             "--format", "json", "--fail-on", "none", "--as-of", "2026-11-26"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let doc = try JSON.parse(String(decoding: data, as: UTF8.self))
        let schema = try JSON.parse(String(contentsOf: Lab.root.appendingPathComponent("Reports/schema/evaluation.schema.json"), encoding: .utf8))
        #expect(JSONSchemaValidator(root: schema).validate(doc) == [])
        #expect(doc["provenance"]?["resolver"] == .string(lab.resolver))

        // Expected: a system with web endpoints fails IPv6 when one of its hosts shows a
        // high-severity IPv6 problem in the lab (no AAAA, or AAAA that does not answer).
        let inventory = try InventoryLoader.load(path: Lab.root.appendingPathComponent("Policies/inventory/angiang.yaml").path)
        let broken = Set(lab.merged.filter { h in
            let rules = h.expect["ipv6Rules"] as? [String] ?? []
            return rules.contains("ipv6.no-aaaa") || rules.contains("ipv6.unreachable")
        }.map(\.name))
        let web = inventory.systems.filter { $0.endpoints.contains { $0.scheme != nil } }
        let failing = web.filter { s in s.endpoints.contains { $0.scheme != nil && broken.contains($0.host) } }
        #expect(!failing.isEmpty)
        guard case .array(let figures)? = doc["summary"]?["province"]?["figures"] else { Issue.record("no figures"); return }
        let ipv6 = try #require(figures.first { $0["id"] == .string("ipv6") })
        #expect(ipv6["applicable"] == .number(Double(web.count)))
        #expect(ipv6["passed"] == .number(Double(web.count - failing.count)))
        #expect(ipv6["notApplicable"] == .number(Double(inventory.systems.count - web.count)))
    }
}
