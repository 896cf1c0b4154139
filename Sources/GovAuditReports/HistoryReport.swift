import Foundation
import GovAuditCore
import GovAuditPolicy
import GovAuditStore

/// `govaudit history`: the stored scans, newest first, as a table or as JSON.
public enum HistoryReport {
    /// One scan as `history --format json` prints it.
    public struct Entry: Codable, Sendable {
        public var id: String
        public var kind: String
        public var inventory: String
        public var checks: [String]
        public var status: String
        public var resumes: Int
        public var startedAt: Date
        public var endedAt: Date?
        public var durationSeconds: Double?
        public var systemsPlanned: Int
        public var systemsStored: Int
        public var openFindings: [String: Int]
        /// The summary's province figures, once the scan is complete: id → "passed/applicable".
        public var figures: [Figure]

        public struct Figure: Codable, Sendable {
            public var id: String
            public var passed: Int
            public var applicable: Int
            public var unknown: Int
            public var notApplicable: Int
        }

        init(_ l: ScanListing) {
            let s = l.scan
            id = s.id
            kind = s.series.kind.rawValue
            inventory = s.series.inventoryName
            checks = s.series.checks
            status = s.status.rawValue
            resumes = s.resumes
            startedAt = s.startedAt
            endedAt = s.endedAt
            durationSeconds = s.endedAt.map { $0.timeIntervalSince(s.startedAt) }
            systemsPlanned = s.scope.systems.count
            systemsStored = l.systemsCommitted
            openFindings = Dictionary(uniqueKeysWithValues: l.openFindings.map { ($0.key.rawValue, $0.value) })
            figures = s.summary?.province.figures.map {
                Figure(id: $0.id, passed: $0.passed, applicable: $0.applicable, unknown: $0.unknown, notApplicable: $0.notApplicable)
            } ?? []
        }
    }

    public static func json(_ listings: [ScanListing], database: String) throws -> String {
        struct Document: Codable { var schemaVersion: String; var database: String; var scans: [Entry] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(Document(schemaVersion: "1.0", database: database, scans: listings.map(Entry.init)))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func table(_ listings: [ScanListing], database: String, language: Language, style: Style) -> String {
        guard !listings.isEmpty else { return "No scans stored in \(TerminalText.sanitize(database)).\n" }
        var t = TextTable(headers: ["ID", "Started (UTC)", "Took", "Kind", "Inventory", "Checks", "Systems", "Status",
                                    "Open C/H/M/L/I", "Figures"],
                          maxWidths: [32, 17, 8, 5, 24, 14, 9, 16, 14, 60])
        for l in listings {
            let s = l.scan
            let took = s.endedAt.map { duration($0.timeIntervalSince(s.startedAt)) } ?? "–"
            let status = s.status.rawValue + (s.resumes > 0 ? " (resumed \(s.resumes)×)" : "")
            let open = Severity.allCases.reversed().map { String(l.openFindings[$0] ?? 0) }.joined(separator: "/")
            let figures = s.summary?.province.figures.prefix(3).map { "\($0.id) \($0.passed)/\($0.applicable)" }
                .joined(separator: ", ") ?? "–"
            t.add([s.id, stamp(s.startedAt), took, s.series.kind.rawValue, s.series.inventoryName,
                   s.series.checks.joined(separator: ","), "\(l.systemsCommitted)/\(s.scope.systems.count)", status, open, figures])
        }
        return t.render { column, value, padded in
            guard column == 7 else { return padded }
            return value.hasPrefix("complete") ? style.green(padded) : style.yellow(padded)
        } + style.dim("Database: \(TerminalText.sanitize(database))") + "\n"
    }

    static func stamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0f s", seconds) : String(format: "%d min %02d", Int(seconds) / 60, Int(seconds) % 60)
    }
}
