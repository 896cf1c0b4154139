import Testing
@testable import GovAuditCore

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test("parses ISO and Vietnamese forms, rejects impossible days")
    func parsing() {
        #expect(CalendarDate(parsing: "2026-07-01") == CalendarDate(year: 2026, month: 7, day: 1))
        #expect(CalendarDate(parsing: "01/7/2026") == CalendarDate(year: 2026, month: 7, day: 1))
        #expect(CalendarDate(parsing: "2024-02-29") != nil)
        #expect(CalendarDate(parsing: "2025-02-29") == nil)
        #expect(CalendarDate(parsing: "2026-13-01") == nil)
        #expect(CalendarDate(parsing: "26-07-01") == nil)
        #expect(CalendarDate(parsing: "yesterday") == nil)
    }

    @Test("adding months clamps to the month's end, as 'every 12 months' reads in law")
    func addingMonths() {
        let d = CalendarDate(year: 2024, month: 1, day: 31)!
        #expect(d.adding(months: 1) == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(d.adding(months: 13) == CalendarDate(year: 2025, month: 2, day: 28))
        #expect(CalendarDate(year: 2026, month: 7, day: 1)!.adding(months: 12) == CalendarDate(year: 2027, month: 7, day: 1))
        #expect(CalendarDate(year: 2026, month: 3, day: 15)!.adding(months: -3) == CalendarDate(year: 2025, month: 12, day: 15))
    }

    @Test("day arithmetic agrees with itself across leap years")
    func days() {
        let a = CalendarDate(year: 2023, month: 12, day: 30)!
        #expect(a.days(until: CalendarDate(year: 2024, month: 3, day: 1)!) == 62)
        #expect(a.adding(days: 62) == CalendarDate(year: 2024, month: 3, day: 1))
        #expect(a.adding(days: -365) == CalendarDate(year: 2022, month: 12, day: 30))
        var d = CalendarDate(year: 1999, month: 12, day: 25)!
        for _ in 0..<1000 {
            let next = d.adding(days: 1)
            #expect(next > d && d.days(until: next) == 1)
            d = next
        }
        #expect(d == CalendarDate(year: 2002, month: 9, day: 20))
    }

    @Test("today is read in Asia/Ho_Chi_Minh, seven hours ahead of UTC")
    func today() {
        // 2026-06-30T18:30:00Z is already 1 July in Viet Nam: the day the new law takes effect.
        let instant = Date(timeIntervalSince1970: 1_782_844_200)
        #expect(CalendarDate.today(now: instant) == CalendarDate(year: 2026, month: 7, day: 1))
    }
}

import Foundation
