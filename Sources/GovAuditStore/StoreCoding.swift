import Foundation
import GovAuditCore

/// How values are written into the database: JSON with sorted keys and UTC timestamps with
/// milliseconds, so rows read the same in `sqlite3` and sort as text. Dates therefore come back
/// rounded down to the millisecond.
enum StoreCoding {
    static func text(_ date: Date) -> String {
        date.formatted(style)
    }

    static func date(_ text: String) throws -> Date {
        try style.parse(text)
    }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// The bytes `JSONEncoder` would write with sorted keys and `text` for dates (`SortedJSONEncoder`).
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try SortedJSONEncoder(dateText: text).encode(value), as: UTF8.self)
    }

    /// What `JSONDecoder` would read, with `date` for dates (`JSONTextDecoder`).
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONTextDecoder(dateFromText: date).decode(type, from: Array(json.utf8))
    }
}

/// Scan ids sort by start time and read as one: `2026-12-01T09-30-00Z-3f9a` (UTC, the colons
/// replaced so the id is a valid file name, then four random hex digits against collisions).
public enum ScanID {
    public static func make(startedAt: Date, suffix: UInt16 = .random(in: .min ... .max)) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: startedAt)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        let stamp = String(format: "%04d", c.year ?? 0) + "-\(two(c.month))-\(two(c.day))"
            + "T\(two(c.hour))-\(two(c.minute))-\(two(c.second))Z"
        return stamp + "-" + String(format: "%04x", suffix)
    }
}
