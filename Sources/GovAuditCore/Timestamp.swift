import Foundation

/// An instant to the second, written as an ISO 8601 UTC timestamp (`2027-01-01T00:00:00Z`)
/// whatever the encoder's date strategy: certificate validity as the certificate states it,
/// so a rule can count days from any as-of day.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    public init(_ date: Date) {
        secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the one form this type writes.
    public init?(parsing text: String) {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = CalendarDate(parsing: String(parts[0])), parts[1].hasSuffix("Z") else { return nil }
        let clock = parts[1].dropLast().split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let h = Int(clock[0]), let m = Int(clock[1]),
              let s = Int(clock[2]), h < 24, m < 60, s < 61 else { return nil }
        secondsSince1970 = Int64(Timestamp.epoch.days(until: day)) * 86_400 + Int64(h * 3600 + m * 60 + s)
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    public var description: String {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let rest = Int(secondsSince1970 - days * 86_400)
        return Timestamp.epoch.adding(days: Int(days)).description
            + "T" + CalendarDate.digits(rest / 3600, 2) + ":" + CalendarDate.digits(rest / 60 % 60, 2) + ":" + CalendarDate.digits(rest % 60, 2) + "Z"
    }

    /// The calendar day of the instant in Viet Nam, the zone every as-of day is read in.
    public var vietnamDay: CalendarDate { CalendarDate(date, in: CalendarDate.vietnamTimeZone) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSince1970 < b.secondsSince1970 }

    private static let epoch = CalendarDate(year: 1970, month: 1, day: 1)!
}

extension Timestamp: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = Timestamp(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 timestamp: \(text)"))
        }
        self = t
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
