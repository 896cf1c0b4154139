import ArgumentParser
import Foundation
import GovAuditCore
import GovAuditReports
import GovAuditStore

struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Export the raw responses a finding cites (spam, hidden link, cloaking, defacement), with a manifest.",
        discussion: """
        A scan keeps, for each links.spam, links.hidden-link, links.cloaking and links.defacement \
        finding, the responses it cites: status, headers and the body's first bytes (the crawl's \
        capture bound), with their SHA-256. This writes them to --out-dir as \
        KEY-N.headers.txt and KEY-N.body.bin (the bytes as received, never interpreted) and \
        manifest.json (finding key, system, scan, and per response the URL, fetch time, status, \
        SHA-256, size and whether it was truncated). Default: the newest scan that kept any.

        Example:
          govaudit evidence 3f1c9a0b2d4e5f60 --out-dir /tmp/su-co-3f1c
        """)

    @Argument(help: ArgumentHelp("The finding's key (JSON output, diff).", valueName: "key"))
    var key: String

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for the files (created 0700).", valueName: "dir"))
    var outDir: String

    @Option(help: ArgumentHelp("The scan whose captures are exported. Default: the newest that kept any.", valueName: "id"))
    var scan: String?

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if key.isEmpty || !key.allSatisfy(\.isHexDigit) { throw ValidationError("key: '\(key)' is not a finding key") }
    }

    func run() async throws {
        let key = self.key.lowercased()
        let store = try database.open(create: false)
        let captures = try await mappingStoreErrors { try await store.captures(of: key, scan: scan) }
        guard !captures.isEmpty else {
            throw InputErrors([InputError(SourceLocation(file: store.location.path), field: "key",
                                          "no stored response is cited by finding \(key)\(scan.map { " in scan \($0)" } ?? "") "
                                          + "(only spam, hidden-link, cloaking and defacement findings keep theirs)")])
        }
        let rule = try await mappingStoreErrors { try await store.findings(of: captures[0].scan, system: captures[0].system) }
            .first { $0.key == key }?.rule
        let paths: [String]
        do {
            paths = try EvidenceExport.write(key: key, rule: rule, captures: captures, to: outDir)
        } catch let error as ReportWriteError {
            throw RunFailure(message: error.description)
        }
        Console.out(paths.map { TerminalText.sanitize($0) + "\n" }.joined())
    }
}
