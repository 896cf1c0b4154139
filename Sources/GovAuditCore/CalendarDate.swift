import Foundation

/// A day in the proleptic Gregorian calendar, with no time and no zone. Compliance is judged per
/// day (a contract ends on a date, an assessment is due on a date), so the model never carries a
/// clock time; the caller decides which day "today" is (see `today(in:)`).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the day does not exist (e.g. 2025-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (ISO 8601) and, because Vietnamese documents write dates that way,
    /// `DD/MM/YYYY`. Anything else is nil.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        let vn = t.split(separator: "/", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, iso[1].count == 2, iso[2].count == 2,
           let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) {
            self.init(year: y, month: m, day: d)
        } else if vn.count == 3, (1...2).contains(vn[0].count), (1...2).contains(vn[1].count),
                  vn[2].count == 4, let d = Int(vn[0]), let m = Int(vn[1]), let y = Int(vn[2]) {
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        Self.digits(year, 4) + "-" + Self.digits(month, 2) + "-" + Self.digits(day, 2)
    }

    /// `n` (not negative) in decimal, zero-padded to `width` digits: `%0*d` without Foundation's formatter.
    public static func digits(_ n: Int, _ width: Int) -> String {
        let text = String(n.magnitude)
        let padded = text.count < width ? String(repeating: "0", count: width - text.count) + text : text
        return n < 0 ? "-" + padded : padded
    }

    /// `DD/MM/YYYY`, as Vietnamese reports write dates.
    public var vietnamese: String {
        String(format: "%02d/%02d/%04d", day, month, year)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The same day `months` later (or earlier), clamped to the month's last day: 31 Jan + 1
    /// month is 28/29 Feb. This is how "every 12 months" and "within 6 months" read in law.
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))!
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(julianDay: julianDay + days)
    }

    /// Days from `self` to `other`; negative when `other` is earlier.
    public func days(until other: CalendarDate) -> Int {
        other.julianDay - julianDay
    }

    /// The calendar day of `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Viet Nam's zone. It has kept UTC+7 without daylight saving since 1975, so a fixed offset
    /// is a correct fallback where the zone database is missing.
    public static let vietnamTimeZone: TimeZone =
        TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// Today in Asia/Ho_Chi_Minh, the zone every `--as-of` date is read in.
    public static func today(now: Date = Date()) -> CalendarDate {
        CalendarDate(now, in: vietnamTimeZone)
    }

    // MARK: - Day arithmetic through the Julian day number (Fliegel & Van Flandern).

    private var julianDay: Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    private init(julianDay jd: Int) {
        let a = jd + 32044
        let b = (4 * a + 3) / 146097
        let c = a - 146097 * b / 4
        let d = (4 * c + 3) / 1461
        let e = c - 1461 * d / 4
        let m = (5 * e + 2) / 153
        self.init(year: 100 * b + d - 4800 + m / 10, month: m + 3 - 12 * (m / 10),
                  day: e - (153 * m + 2) / 5 + 1)!
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension CalendarDate: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
