import Foundation
import GovAuditCore
import GovAuditStore

/// `govaudit evidence KEY --out-dir DIR`: the raw responses a finding cites, for the incident
/// report. Each response as two files named by the key and a number only (nothing from the
/// site goes into a file name): `<key>-<n>.headers.txt` (status line and headers as received)
/// and `<key>-<n>.body.bin` (the body's bytes as kept, never rendered: `.bin`, so no viewer
/// opens it as a page); `manifest.json` lists them with their SHA-256 (Reports/schema/evidence-manifest.schema.json).
public enum EvidenceExport {
    struct Manifest: Encodable {
        var schemaVersion = "1.0"
        var findingKey: String
        var rule: String?
        var system: String
        var scan: String
        var files: [Entry]
    }

    struct Entry: Encodable {
        var url: String
        var page: String
        var visitor: String
        var endpoint: String
        var fetchedAt: String
        var status: Int
        /// SHA-256 and size of the body file (the body's first bytes when truncated).
        var sha256: String
        var size: Int
        var storedSize: Int
        var truncated: Bool
        var headersFile: String
        var bodyFile: String
    }

    /// Writes the files; returns their paths, the manifest last.
    public static func write(key: String, rule: String?, captures: [StoredCapture], to directory: String) throws -> [String] {
        precondition(!captures.isEmpty && key.allSatisfy(\.isHexDigit), "a finding key with captures")
        try ReportFiles.makeDirectory(directory)
        var paths: [String] = []
        var entries: [Entry] = []
        for (i, stored) in captures.enumerated() {
            let c = stored.capture
            let base = "\(key)-\(i + 1)"
            let headers = "HTTP \(c.status)\r\n" + c.headers.map { "\($0.name): \($0.value)\r\n" }.joined()
            for (name, data) in [(base + ".headers.txt", Data(headers.utf8)), (base + ".body.bin", c.body)] {
                let path = (directory as NSString).appendingPathComponent(name)
                try ReportFiles.writeAtomically(data, to: path)
                paths.append(path)
            }
            entries.append(Entry(url: c.url, page: c.page, visitor: c.visitor, endpoint: stored.endpoint, fetchedAt: c.fetchedAt,
                                 status: c.status, sha256: c.sha256, size: c.size, storedSize: c.body.count, truncated: c.truncated,
                                 headersFile: base + ".headers.txt", bodyFile: base + ".body.bin"))
        }
        let manifest = Manifest(findingKey: key, rule: rule, system: captures[0].system, scan: captures[0].scan, files: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = (directory as NSString).appendingPathComponent("manifest.json")
        try ReportFiles.writeAtomically(try encoder.encode(manifest) + Data("\n".utf8), to: path)
        return paths + [path]
    }
}
