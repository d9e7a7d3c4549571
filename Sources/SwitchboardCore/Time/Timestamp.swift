/// Formats and parses UTC timestamps given as milliseconds since the Unix epoch, without Foundation.
///
/// Calendar arithmetic uses the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days` and
/// `days_from_civil`), so it is exact for any `Int64` day count in range, including dates before 1970.
package enum Timestamp {
    /// A broken-down UTC time.
    package struct Components: Sendable, Equatable {
        /// The year, for example 2024.
        package var year: Int64
        /// The month, 1–12.
        package var month: Int
        /// The day of the month, 1–31.
        package var day: Int
        /// The hour, 0–23.
        package var hour: Int
        /// The minute, 0–59.
        package var minute: Int
        /// The second, 0–59.
        package var second: Int
        /// The millisecond, 0–999.
        package var millisecond: Int
        /// The day of the week, 0 (Sunday) – 6 (Saturday).
        package var weekday: Int

        /// Breaks an epoch time down into UTC components.
        ///
        /// - Parameter epochMillis: Milliseconds since 1970-01-01T00:00:00Z.
        package init(epochMillis: Int64) {
            let (days, millisOfDay) = Timestamp.floorDivide(epochMillis, 86_400_000)
            let (year, month, day) = Timestamp.civil(fromDays: days)
            self.year = year
            self.month = month
            self.day = day
            self.hour = Int(millisOfDay / 3_600_000)
            self.minute = Int(millisOfDay / 60_000 % 60)
            self.second = Int(millisOfDay / 1000 % 60)
            self.millisecond = Int(millisOfDay % 1000)
            // 1970-01-01 was a Thursday (4).
            self.weekday = Int(Timestamp.floorDivide(days + 4, 7).remainder)
        }
    }

    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// Common Log Format time, as in `$context.requestTime`: `20/Jan/2024:11:54:57 +0000`.
    ///
    /// - Parameter epochMillis: Milliseconds since the epoch.
    /// - Returns: The formatted time.
    package static func clf(epochMillis: Int64) -> String {
        let time = Components(epochMillis: epochMillis)
        var output: [UInt8] = []
        output.reserveCapacity(26)
        append(time.day, width: 2, to: &output)
        output.append(UInt8(ascii: "/"))
        output.append(contentsOf: Self.monthNames[time.month - 1].utf8)
        output.append(UInt8(ascii: "/"))
        appendYear(time.year, to: &output)
        output.append(UInt8(ascii: ":"))
        appendClock(time, to: &output)
        output.append(contentsOf: " +0000".utf8)
        return String(decoding: output, as: UTF8.self)
    }

    /// ISO 8601 / RFC 3339 time with milliseconds: `2024-01-20T11:54:57.419Z`.
    ///
    /// - Parameter epochMillis: Milliseconds since the epoch.
    /// - Returns: The formatted time.
    package static func iso8601(epochMillis: Int64) -> String {
        let time = Components(epochMillis: epochMillis)
        var output: [UInt8] = []
        output.reserveCapacity(24)
        appendYear(time.year, to: &output)
        output.append(UInt8(ascii: "-"))
        append(time.month, width: 2, to: &output)
        output.append(UInt8(ascii: "-"))
        append(time.day, width: 2, to: &output)
        output.append(UInt8(ascii: "T"))
        appendClock(time, to: &output)
        output.append(UInt8(ascii: "."))
        append(time.millisecond, width: 3, to: &output)
        output.append(UInt8(ascii: "Z"))
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 7231 IMF-fixdate, for `Date` headers: `Sat, 20 Jan 2024 11:54:57 GMT`.
    ///
    /// - Parameter epochMillis: Milliseconds since the epoch.
    /// - Returns: The formatted time.
    package static func httpDate(epochMillis: Int64) -> String {
        let time = Components(epochMillis: epochMillis)
        var output: [UInt8] = []
        output.reserveCapacity(29)
        output.append(contentsOf: Self.weekdayNames[time.weekday].utf8)
        output.append(contentsOf: ", ".utf8)
        append(time.day, width: 2, to: &output)
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: Self.monthNames[time.month - 1].utf8)
        output.append(UInt8(ascii: " "))
        appendYear(time.year, to: &output)
        output.append(UInt8(ascii: " "))
        appendClock(time, to: &output)
        output.append(contentsOf: " GMT".utf8)
        return String(decoding: output, as: UTF8.self)
    }

    /// SigV4 `X-Amz-Date` time: `20240120T115457Z`.
    ///
    /// - Parameter epochMillis: Milliseconds since the epoch.
    /// - Returns: The formatted time.
    package static func amzDate(epochMillis: Int64) -> String {
        let time = Components(epochMillis: epochMillis)
        var output: [UInt8] = []
        output.reserveCapacity(16)
        appendYear(time.year, to: &output)
        append(time.month, width: 2, to: &output)
        append(time.day, width: 2, to: &output)
        output.append(UInt8(ascii: "T"))
        append(time.hour, width: 2, to: &output)
        append(time.minute, width: 2, to: &output)
        append(time.second, width: 2, to: &output)
        output.append(UInt8(ascii: "Z"))
        return String(decoding: output, as: UTF8.self)
    }

    /// Parses a SigV4 `X-Amz-Date` time (`20240120T115457Z`, exactly 16 characters).
    ///
    /// - Parameter text: The time.
    /// - Returns: Milliseconds since the epoch, or `nil` when the text is malformed or names an impossible
    ///   date or time (month 13, 30 February, hour 24, second 60).
    package static func parseAmzDate(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), day >= 1, day <= Int64(Self.daysInMonth(year: year, month: Int(month))),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.days(fromCivilYear: year, month: Int(month), day: Int(day))
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000
    }

    // MARK: - Calendar arithmetic

    /// Whether `year` is a Gregorian leap year.
    ///
    /// - Parameter year: The year.
    /// - Returns: `true` for leap years.
    package static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 for a civil date (`days_from_civil`).
    static func days(fromCivilYear year: Int64, month: Int, day: Int) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400).quotient
        let yearOfEra = shiftedYear - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date for a count of days since 1970-01-01 (`civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    // MARK: - Formatting helpers

    private static func appendClock(_ time: Components, to output: inout [UInt8]) {
        append(time.hour, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        append(time.minute, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        append(time.second, width: 2, to: &output)
    }

    /// Appends a year with at least four digits (and a `-` sign before year 0).
    private static func appendYear(_ year: Int64, to output: inout [UInt8]) {
        if year < 0 {
            output.append(UInt8(ascii: "-"))
        }
        let magnitude = year.magnitude
        let digits = Array(String(magnitude).utf8)
        for _ in digits.count..<max(4, digits.count) {
            output.append(UInt8(ascii: "0"))
        }
        output.append(contentsOf: digits)
    }

    /// Appends a non-negative number zero-padded to `width` digits.
    private static func append(_ value: Int, width: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width {
            divisor *= 10
        }
        var rest = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
