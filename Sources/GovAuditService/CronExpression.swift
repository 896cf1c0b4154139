import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), as crontab(5)
/// writes it: `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`, month and day
/// names (`jan`, `mon`), and 0 or 7 for Sunday. When both day fields are restricted, a day
/// matches either of them, as Vixie cron does. Times are wall-clock times in `timeZone`.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday (7 is read as 0).
    public let daysOfWeek: Set<Int>
    /// Whether the day fields start with `*` (unrestricted), which decides how they combine.
    let anyDayOfMonth: Bool
    let anyDayOfWeek: Bool
    /// The text it was parsed from, for messages and logs.
    public let description: String

    /// A problem with the expression, naming the field and the text that is wrong.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private struct Field {
        var name: String
        var range: ClosedRange<Int>
        var names: [String] = []
        /// Index of names[0] in the field's numbering.
        var firstName = 0
    }

    private static let fields = [
        Field(name: "minute", range: 0...59),
        Field(name: "hour", range: 0...23),
        Field(name: "day of month", range: 1...31),
        Field(name: "month", range: 1...12,
              names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], firstName: 1),
        Field(name: "day of week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else {
            throw ParseError(message: "'\(text)' has \(parts.count) field\(parts.count == 1 ? "" : "s"); a cron expression has 5: minute hour day-of-month month day-of-week (e.g. \"0 */6 * * *\")")
        }
        var sets: [Set<Int>] = []
        for (field, part) in zip(Self.fields, parts) {
            sets.append(try Self.parse(part, field))
        }
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = Set(sets[4].map { $0 == 7 ? 0 : $0 })
        // As Vixie cron: a day field that starts with "*" (also "*/2") does not restrict.
        anyDayOfMonth = parts[2].hasPrefix("*")
        anyDayOfWeek = parts[4].hasPrefix("*")
        description = parts.joined(separator: " ")
        // "0 0 30 2 *" parses but never fires: say so now rather than wait forever.
        if nextRun(after: Date(timeIntervalSince1970: 0), in: TimeZone(identifier: "UTC")!) == nil {
            throw ParseError(message: "'\(text)' never fires (no such day, e.g. 30 February)")
        }
    }

    /// The first minute strictly after `date` that the expression matches, in `timeZone`; nil
    /// when none comes within eight years (an expression that can never match).
    public func nextRun(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // The next whole minute after `date`.
        let start = calendar.date(byAdding: .minute, value: 1, to: date)!
        var parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        guard var day = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day)) else { return nil }
        let sortedHours = hours.sorted(), sortedMinutes = minutes.sorted()
        for _ in 0..<(366 * 8) {
            let d = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if matchesDay(month: d.month!, day: d.day!, weekday: d.weekday! - 1) {
                let sameDay = d.year == parts.year && d.month == parts.month && d.day == parts.day
                for h in sortedHours where !sameDay || h >= parts.hour! {
                    for m in sortedMinutes where !sameDay || h > parts.hour! || m >= parts.minute! {
                        let c = DateComponents(year: d.year, month: d.month, day: d.day, hour: h, minute: m)
                        // A wall-clock time a DST change skips does not exist: skip it too.
                        if let fire = calendar.date(from: c),
                           calendar.dateComponents([.hour, .minute], from: fire) == DateComponents(hour: h, minute: m) {
                            return fire
                        }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
            parts = DateComponents(year: -1)
        }
        return nil
    }

    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dom = daysOfMonth.contains(day), dow = daysOfWeek.contains(weekday)
        switch (anyDayOfMonth, anyDayOfWeek) {
        case (true, true): return true
        case (false, true): return dom
        case (true, false): return dow
        case (false, false): return dom || dow
        }
    }

    private static func parse(_ text: String, _ field: Field) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw ParseError(message: "\(field.name) '\(text)': an empty item in the list") }
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(message: "\(field.name) '\(item)': more than one step '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n >= 1, n <= field.range.upperBound else {
                    throw ParseError(message: "\(field.name) '\(item)': the step must be a number 1–\(field.range.upperBound)")
                }
                step = n
            }
            let base = pieces[0]
            var low: Int, high: Int
            if base == "*" {
                (low, high) = (field.range.lowerBound, field.name == "day of week" ? 6 : field.range.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(base[..<dash], field, item)
                high = try value(base[base.index(after: dash)...], field, item)
                guard low <= high else { throw ParseError(message: "\(field.name) '\(item)': the range runs backwards") }
            } else {
                low = try value(base, field, item)
                // "5/15" means 5, 20, 35, 50 as in Vixie cron: from 5 to the end in steps.
                high = pieces.count == 2 ? field.range.upperBound : low
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    private static func value(_ text: Substring, _ field: Field, _ item: Substring) throws(ParseError) -> Int {
        if let n = Int(text) {
            guard field.range.contains(n) else {
                throw ParseError(message: "\(field.name) '\(item)': \(n) is outside \(field.range.lowerBound)–\(field.range.upperBound)")
            }
            return n
        }
        if let i = field.names.firstIndex(of: text.lowercased()) { return i + field.firstName }
        let hint = field.names.isEmpty ? "" : " or a name (\(field.names.first!)…\(field.names.last!))"
        throw ParseError(message: "\(field.name) '\(item)': '\(text)' is not a number\(hint)")
    }
}
