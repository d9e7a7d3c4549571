/// Parsing of the `Date` header, which SigV4 accepts when `X-Amz-Date` is absent.
extension SigV4Verifier {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an RFC 1123 / RFC 5322 date such as `Sat, 20 Jan 2024 11:55:00 GMT` or Python's
    /// `formatdate` output `Sat, 20 Jan 2024 11:55:00 -0000`; ISO 8601 basic format is accepted too.
    /// - Parameter text: The header value.
    /// - Returns: Milliseconds since the Unix epoch, or `nil` when the text is not a date.
    static func parseHTTPDate(_ text: String) -> Int64? {
        let trimmed = Self.trimAll(text)
        if let millis = Timestamp.parseAmzDate(trimmed) { return millis }
        var fields = trimmed.split(separator: " ")
        if let first = fields.first, first.hasSuffix(",") { fields.removeFirst() }
        guard fields.count == 5 || fields.count == 4,
            let day = Int(fields[0]), (1...31).contains(day),
            let month = Self.months.firstIndex(of: fields[1].lowercased()),
            let year = Int(fields[2]), (1970...9999).contains(year)
        else { return nil }
        let clock = fields[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            let offset = Self.zoneOffsetSeconds(fields.count == 5 ? fields[4] : "GMT")
        else { return nil }
        guard day <= Timestamp.daysInMonth(year: Int64(year), month: month + 1) else { return nil }
        let days = Timestamp.days(fromCivilYear: Int64(year), month: month + 1, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return seconds * 1000
    }

    private static func zoneOffsetSeconds(_ zone: Substring) -> Int? {
        switch zone.uppercased() {
        case "GMT", "UTC", "UT", "Z": return 0
        default: break
        }
        let utf8 = Array(zone.utf8)
        guard utf8.count == 5, utf8[0] == UInt8(ascii: "+") || utf8[0] == UInt8(ascii: "-"),
            let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)),
            (0..<24).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        let magnitude = hours * 3600 + minutes * 60
        return utf8[0] == UInt8(ascii: "-") ? -magnitude : magnitude
    }
}
