import Foundation
import GovAuditService
import Testing

/// The cron parser as crontab(5) reads expressions, and the next time each one fires, in the
/// province's time zone (UTC+7, no daylight saving) and in one that has it.
@Suite("cron expressions")
struct CronExpressionTests {
    let hcm = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// `yyyy-MM-dd HH:mm` in `zone`.
    func at(_ text: String, _ zone: TimeZone? = nil) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone ?? hcm
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    func next(_ expression: String, after: String, _ zone: TimeZone? = nil) throws -> Date? {
        try CronExpression(parsing: expression).nextRun(after: at(after, zone), in: zone ?? hcm)
    }

    @Test("every six hours: the next multiple of six o'clock, minute 0")
    func everySixHours() throws {
        let cron = try CronExpression(parsing: "0 */6 * * *")
        #expect(cron.hours == [0, 6, 12, 18] && cron.minutes == [0])
        #expect(try next("0 */6 * * *", after: "2026-12-01 13:05") == at("2026-12-01 18:00"))
        #expect(try next("0 */6 * * *", after: "2026-12-01 18:00") == at("2026-12-02 00:00"), "strictly after")
        #expect(try next("0 */6 * * *", after: "2026-12-31 23:59") == at("2027-01-01 00:00"))
    }

    @Test("lists, ranges, steps over ranges and a number with a step")
    func fields() throws {
        let c = try CronExpression(parsing: "5,10-12,40-50/5 1-3 * * *")
        #expect(c.minutes == [5, 10, 11, 12, 40, 45, 50])
        #expect(c.hours == [1, 2, 3])
        #expect(try CronExpression(parsing: "5/20 * * * *").minutes == [5, 25, 45])
        #expect(try next("30 8 * * *", after: "2026-12-01 08:30") == at("2026-12-02 08:30"))
    }

    @Test("month and day names, either case; 7 is Sunday like 0")
    func names() throws {
        let c = try CronExpression(parsing: "0 7 * JAN,jul Mon-Fri")
        #expect(c.months == [1, 7] && c.daysOfWeek == [1, 2, 3, 4, 5])
        #expect(try CronExpression(parsing: "0 0 * * 7").daysOfWeek == [0])
        // 2027-01-01 is a Friday; then Monday the 4th.
        #expect(try next("0 7 * jan mon-fri", after: "2026-12-01 00:00") == at("2027-01-01 07:00"))
        #expect(try next("0 7 * jan mon-fri", after: "2027-01-01 07:00") == at("2027-01-04 07:00"))
    }

    @Test("both day fields restricted: either matches (Vixie cron); one restricted: only it counts")
    func dayFields() throws {
        // The 15th, or any Sunday: from Tuesday 2026-12-01, Sunday the 6th comes first.
        #expect(try next("0 0 15 * sun", after: "2026-12-01 00:00") == at("2026-12-06 00:00"))
        #expect(try next("0 0 15 * *", after: "2026-12-01 00:00") == at("2026-12-15 00:00"))
        #expect(try next("0 0 */10 * sun", after: "2026-12-01 00:00") == at("2026-12-06 00:00"),
                "a day field starting with * does not restrict")
        #expect(try next("0 0 29 2 *", after: "2026-03-01 00:00") == at("2028-02-29 00:00"), "the next leap year")
    }

    @Test("a wall-clock time that daylight saving skips is skipped too")
    func daylightSaving() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin.
        #expect(try next("30 2 * * *", after: "2026-03-28 12:00", berlin) == at("2026-03-30 02:30", berlin))
    }

    @Test("bad expressions are refused with the field and the text that is wrong",
          arguments: [
              ("0 */6 * *", "has 4 fields"),
              ("60 * * * *", "minute '60': 60 is outside 0–59"),
              ("* 24 * * *", "hour '24'"),
              ("* * 0 * *", "day of month '0'"),
              ("* * * 13 *", "month '13'"),
              ("* * * foo *", "'foo' is not a number or a name (jan…dec)"),
              ("* * * * 8", "day of week '8'"),
              ("5-1 * * * *", "runs backwards"),
              ("*/0 * * * *", "the step must be a number"),
              ("1,,2 * * * *", "an empty item"),
              ("0 0 30 2 *", "never fires"),
          ])
    func refused(expression: String, message: String) {
        #expect(throws: CronExpression.ParseError.self) { try CronExpression(parsing: expression) }
        do { _ = try CronExpression(parsing: expression) } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}

@Suite("schedules and intervals")
struct ScheduleTests {
    @Test("intervals as people write them; under a minute is refused")
    func intervals() throws {
        #expect(try Interval(parsing: "6h").seconds == 21_600)
        #expect(try Interval(parsing: "1h30m").seconds == 5400)
        #expect(try Interval(parsing: "1m").seconds == 60)
        #expect(try Interval(parsing: "2d").description == "2d")
        #expect(try Interval(parsing: "90s").description == "1m30s")
        for bad in ["30s", "6", "h", "6x", "", "-1h", "400d"] {
            #expect(throws: Interval.ParseError.self, "\(bad)") { try Interval(parsing: bad) }
        }
    }

    @Test("an interval runs at once, then from the previous start; an overrun is followed at once")
    func intervalTimes() throws {
        let every = Schedule.every(try Interval(parsing: "1h"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let utc = TimeZone(identifier: "UTC")!
        #expect(every.nextRun(lastStart: nil, now: t0, timeZone: utc) == t0)
        #expect(every.nextRun(lastStart: t0, now: t0 + 600, timeZone: utc) == t0 + 3600)
        #expect(every.nextRun(lastStart: t0, now: t0 + 9000, timeZone: utc) == t0 + 9000)
    }
}
