import SwitchboardCore
import Testing

struct TimestampTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var millis: Int64
        var iso: String
        var clf: String
        var http: String
        var amz: String

        var testDescription: String { self.iso }
    }

    static let cases: [Case] = [
        Case(
            millis: 1_705_751_697_419,
            iso: "2024-01-20T11:54:57.419Z",
            clf: "20/Jan/2024:11:54:57 +0000",
            http: "Sat, 20 Jan 2024 11:54:57 GMT",
            amz: "20240120T115457Z"
        ),
        Case(
            millis: 0,
            iso: "1970-01-01T00:00:00.000Z",
            clf: "01/Jan/1970:00:00:00 +0000",
            http: "Thu, 01 Jan 1970 00:00:00 GMT",
            amz: "19700101T000000Z"
        ),
        Case(
            millis: -1,
            iso: "1969-12-31T23:59:59.999Z",
            clf: "31/Dec/1969:23:59:59 +0000",
            http: "Wed, 31 Dec 1969 23:59:59 GMT",
            amz: "19691231T235959Z"
        ),
        Case(
            millis: 1_709_168_523_004,
            iso: "2024-02-29T01:02:03.004Z",
            clf: "29/Feb/2024:01:02:03 +0000",
            http: "Thu, 29 Feb 2024 01:02:03 GMT",
            amz: "20240229T010203Z"
        ),
        Case(
            millis: 951_782_400_000,
            iso: "2000-02-29T00:00:00.000Z",
            clf: "29/Feb/2000:00:00:00 +0000",
            http: "Tue, 29 Feb 2000 00:00:00 GMT",
            amz: "20000229T000000Z"
        ),
        Case(
            millis: 4_102_444_799_999,
            iso: "2099-12-31T23:59:59.999Z",
            clf: "31/Dec/2099:23:59:59 +0000",
            http: "Thu, 31 Dec 2099 23:59:59 GMT",
            amz: "20991231T235959Z"
        ),
        Case(
            millis: 253_402_300_799_999,
            iso: "9999-12-31T23:59:59.999Z",
            clf: "31/Dec/9999:23:59:59 +0000",
            http: "Fri, 31 Dec 9999 23:59:59 GMT",
            amz: "99991231T235959Z"
        ),
    ]

    @Test("formats known instants in every format", arguments: cases)
    func formats(_ known: Case) {
        #expect(Timestamp.iso8601(epochMillis: known.millis) == known.iso)
        #expect(Timestamp.clf(epochMillis: known.millis) == known.clf)
        #expect(Timestamp.httpDate(epochMillis: known.millis) == known.http)
        #expect(Timestamp.amzDate(epochMillis: known.millis) == known.amz)
    }

    @Test("parses X-Amz-Date back to whole seconds", arguments: cases)
    func parsesAmzDate(_ known: Case) {
        let wholeSeconds = known.millis - ((known.millis % 1000) + 1000) % 1000
        #expect(Timestamp.parseAmzDate(known.amz) == wholeSeconds)
    }

    @Test(
        "rejects malformed or impossible X-Amz-Date values",
        arguments: [
            "", "20240120T115457", "20240120t115457Z", "20240120 115457Z", "2024012T115457Z", "20240120T115457ZZ",
            "20231301T000000Z", "20230001T000000Z", "20230229T000000Z", "21000229T000000Z", "20240230T000000Z",
            "20240431T000000Z", "20240100T000000Z", "20240120T240000Z", "20240120T236000Z", "20240120T235960Z",
            "2024-1-20T11545Z", "+0240120T115457Z", "２0240120T115457Z",
        ]
    )
    func rejectsAmzDate(text: String) {
        #expect(Timestamp.parseAmzDate(text) == nil)
    }

    @Test("every day of a leap and a common year round trips")
    func dayRoundTrip() throws {
        let start = try #require(Timestamp.parseAmzDate("20230101T000000Z"))
        for day in 0..<(365 + 366) {
            let millis = start + Int64(day) * 86_400_000 + 45_296_789
            let amz = Timestamp.amzDate(epochMillis: millis)
            #expect(Timestamp.parseAmzDate(amz) == millis - 789)
        }
        #expect(Timestamp.amzDate(epochMillis: start + 365 * 86_400_000) == "20240101T000000Z")
        #expect(Timestamp.isLeapYear(2000) && Timestamp.isLeapYear(2024))
        #expect(!Timestamp.isLeapYear(1900) && !Timestamp.isLeapYear(2023))
    }

    @Test("extreme inputs do not crash")
    func extremes() {
        #expect(!Timestamp.iso8601(epochMillis: .max).isEmpty)
        #expect(!Timestamp.httpDate(epochMillis: .min).isEmpty)
        #expect(Timestamp.iso8601(epochMillis: -62_135_596_800_000) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(epochMillis: -62_135_596_800_001) == "0000-12-31T23:59:59.999Z")
    }
}
