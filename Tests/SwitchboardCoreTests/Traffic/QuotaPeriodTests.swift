import SwitchboardCore
import Testing

struct QuotaPeriodTests {
    // 2026-11-25T03:40:00Z, a Wednesday.
    static let now: Int64 = 1_795_578_000_000
    static let day: Int64 = 86_400_000

    @Test("DAY windows are UTC calendar days")
    func day() {
        let window = QuotaPeriod.day.window(containing: Self.now)
        #expect(Timestamp.iso8601(epochMillis: window.start) == "2026-11-25T00:00:00.000Z")
        #expect(window.end - window.start == Self.day)
    }

    @Test("WEEK windows start on Monday 00:00 UTC")
    func week() {
        let window = QuotaPeriod.week.window(containing: Self.now)
        #expect(Timestamp.iso8601(epochMillis: window.start) == "2026-11-23T00:00:00.000Z")
        #expect(Timestamp.iso8601(epochMillis: window.end) == "2026-11-30T00:00:00.000Z")
        let monday = QuotaPeriod.week.window(containing: window.start)
        #expect(monday.start == window.start)
        let sundayNight = QuotaPeriod.week.window(containing: window.start - 1)
        #expect(sundayNight.end == window.start)
    }

    @Test("MONTH windows are calendar months, across year ends and leap Februaries")
    func month() {
        let november = QuotaPeriod.month.window(containing: Self.now)
        #expect(Timestamp.iso8601(epochMillis: november.start) == "2026-11-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(epochMillis: november.end) == "2026-12-01T00:00:00.000Z")
        let december = QuotaPeriod.month.window(containing: november.end + 30 * Self.day)
        #expect(Timestamp.iso8601(epochMillis: december.end) == "2027-01-01T00:00:00.000Z")
        // 2028-02-15 → February 2028 has 29 days.
        let february = QuotaPeriod.month.window(containing: 1_834_272_000_000)
        #expect((february.end - february.start) / Self.day == 29)
    }

    @Test("instants before 1970 are windowed too")
    func beforeEpoch() {
        let window = QuotaPeriod.day.window(containing: -1)
        #expect(window.start == -Self.day && window.end == 0)
    }
}
