/// A usage-plan quota period (`quota.period`): the window a key's request count is kept for, in UTC.
///
/// DAY windows start at 00:00 UTC, WEEK windows on Monday 00:00 UTC, MONTH windows on the 1st at 00:00 UTC. The
/// window's start names the counter (a Redis key in cluster mode), and its end is when the counter expires.
package enum QuotaPeriod: String, Sendable, Equatable, CaseIterable {
    /// A calendar day.
    case day = "DAY"
    /// A week starting on Monday.
    case week = "WEEK"
    /// A calendar month.
    case month = "MONTH"

    private static let dayMillis: Int64 = 86_400_000

    /// The window containing an instant.
    /// - Parameter epochMillis: the instant.
    /// - Returns: the window's start (inclusive) and end (exclusive), in epoch milliseconds.
    package func window(containing epochMillis: Int64) -> (start: Int64, end: Int64) {
        let (days, _) = Timestamp.floorDivide(epochMillis, Self.dayMillis)
        switch self {
        case .day:
            return (days * Self.dayMillis, (days + 1) * Self.dayMillis)
        case .week:
            // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
            let (_, weekday) = Timestamp.floorDivide(days + 3, 7)
            let start = days - weekday
            return (start * Self.dayMillis, (start + 7) * Self.dayMillis)
        case .month:
            let civil = Timestamp.civil(fromDays: days)
            let start = Timestamp.days(fromCivilYear: civil.year, month: civil.month, day: 1)
            let next =
                civil.month == 12
                ? Timestamp.days(fromCivilYear: civil.year + 1, month: 1, day: 1)
                : Timestamp.days(fromCivilYear: civil.year, month: civil.month + 1, day: 1)
            return (start * Self.dayMillis, next * Self.dayMillis)
        }
    }
}
