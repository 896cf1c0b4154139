import Foundation

/// When `govaudit schedule` scans: every fixed interval (the first scan at once), or at the
/// minutes a cron expression names (the first at its next match).
public enum Schedule: Sendable, Hashable, CustomStringConvertible {
    case every(Interval)
    case cron(CronExpression)

    /// When the scan after one that started at `lastStart` (nil: none yet) is due, seen at `now`.
    /// An interval counts from the previous start; a scan that overran it is followed at once,
    /// and the runs it overlapped are skipped, never queued up.
    public func nextRun(lastStart: Date?, now: Date, timeZone: TimeZone) -> Date? {
        switch self {
        case .every(let interval):
            guard let lastStart else { return now }
            return max(now, lastStart.addingTimeInterval(TimeInterval(interval.seconds)))
        case .cron(let expression):
            return expression.nextRun(after: max(now, lastStart ?? now), in: timeZone)
        }
    }

    public var description: String {
        switch self {
        case .every(let interval): "every \(interval)"
        case .cron(let expression): "cron \"\(expression)\""
        }
    }
}

/// A length of time written as people write it in a config or a flag: `90s`, `30m`, `6h`,
/// `1d`, or a sum such as `1h30m`. At least one minute, so a typo cannot make a scan loop.
public struct Interval: Sendable, Hashable, CustomStringConvertible {
    public let seconds: Int

    public static let shortest = 60

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public init(seconds: Int) {
        self.seconds = seconds
    }

    public init(parsing text: String) throws(ParseError) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var total = 0, digits = "", sawUnit = false
        for ch in text.lowercased() {
            if ch.isASCII && ch.isNumber {
                digits.append(ch)
            } else if let unit = units[ch], let n = Int(digits), n <= 1_000_000 {
                total += n * unit
                digits = ""
                sawUnit = true
            } else {
                throw ParseError(message: "'\(text)' is not a duration such as 30m, 6h, 1d or 1h30m")
            }
        }
        guard digits.isEmpty, sawUnit else {
            throw ParseError(message: "'\(text)' is not a duration such as 30m, 6h, 1d or 1h30m (a unit s, m, h or d is needed)")
        }
        guard total >= Self.shortest else {
            throw ParseError(message: "'\(text)' is shorter than one minute, the shortest interval between scans")
        }
        guard total <= 366 * 86_400 else { throw ParseError(message: "'\(text)' is longer than a year") }
        seconds = total
    }

    /// The shortest form: `6h`, `1h30m`, `90s` reads `1m30s`.
    public var description: String {
        var rest = seconds, text = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
