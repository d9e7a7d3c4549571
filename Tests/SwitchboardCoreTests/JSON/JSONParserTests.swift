import SwitchboardCore
import Testing

struct JSONParserTests {
    @Test(
        "accepts every kind of value",
        arguments: [
            ("null", JSONValue.null),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("0", .number("0")),
            ("-0", .number("-0")),
            ("-2.5e3", .number("-2.5e3")),
            ("1E+2", .number("1E+2")),
            ("0.5e-3", .number("0.5e-3")),
            ("123456789012345678901234567890", .number("123456789012345678901234567890")),
            ("\"\"", .string("")),
            ("\"héllo\"", .string("héllo")),
            ("[]", .array([])),
            ("{}", .object(JSONObject())),
            (" \t\r\n[1, \"a\" , null ]\n", .array([1, "a", .null])),
            ("{\"a\":{\"b\":[true,{}]}}", ["a": ["b": [true, .object(JSONObject())]]]),
        ] as [(String, JSONValue)]
    )
    func acceptsValues(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test(
        "decodes string escapes",
        arguments: [
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\ud83d\ude00""#, "😀"),
            (#""a\u0000b""#, "a\u{0}b"),
            (#""plain then \n escape""#, "plain then \n escape"),
            (#""ünïcödé \"quoted\"""#, "ünïcödé \"quoted\""),
        ]
    )
    func decodesEscapes(text: String, expected: String) throws {
        #expect(try JSONValue.parse(text) == .string(expected))
    }

    @Test(
        "rejects malformed text",
        arguments: [
            "", " ", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":}", "01", "-01", "00", "1.", ".5",
            "1e", "1e+", "-", "+1", "0x10", "NaN", "Infinity", "tru", "nul", "True", "[", "]", "{", "{\"a\":1",
            "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "\"\\ud800x\"", "\"tab\there\"", "\"new\nline\"", "[1] [2]", "1 2", "{} x", "'single'", "[,1]",
            "\u{FEFF}1",
        ]
    )
    func rejectsMalformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test(
        "rejects invalid UTF-8",
        arguments: [
            [0x22, 0xFF, 0x22],  // never valid
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xE2, 0x82, 0x22],  // truncated
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0x80, 0x22],  // lone continuation
            [0x22, 0x61, 0x5C, 0x6E, 0xC3, 0x22],  // truncated after an escape
            [0xC3, 0xA9],  // non-ASCII outside a string
        ] as [[UInt8]]
    )
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
    }

    @Test("reports the offset and reason")
    func reportsOffset() {
        #expect(throws: JSONParseError(offset: 3, reason: "leading zeros are not allowed")) {
            try JSONValue.parse("[ 01]")
        }
        #expect(throws: JSONParseError(offset: 3, reason: "unexpected character ']'")) {
            try JSONValue.parse("[1,]")
        }
        #expect(throws: JSONParseError(offset: 1, reason: "unpaired low surrogate")) {
            try JSONValue.parse(#""\udc00""#)
        }
        #expect(throws: JSONParseError(offset: 2, reason: "unexpected data after the JSON value")) {
            try JSONValue.parse("1 2")
        }
        #expect(throws: JSONParseError(offset: 0, reason: "unterminated string")) {
            try JSONValue.parse("\"abc")
        }
    }

    @Test("deep nesting fails with an error instead of overflowing the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError(offset: 512, reason: "nesting is deeper than the limit of 512")) {
            try JSONValue.parse(deep)
        }
        let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(objects) }
        let unclosed = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(unclosed, maxDepth: 200_000) }
    }

    @Test("the depth limit counts nested containers exactly")
    func depthLimit() throws {
        let atLimit = String(repeating: "[", count: 4) + String(repeating: "]", count: 4)
        #expect(try JSONValue.parse(atLimit, maxDepth: 4) == [[[[]]]])
        #expect(throws: JSONParseError.self) { try JSONValue.parse(atLimit, maxDepth: 3) }
        #expect(try JSONValue.parse("7", maxDepth: 0) == 7)
    }

    @Test("a very deep document parses when the limit allows it")
    func deepDocumentWithinLimit() throws {
        let depth = 20_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONValue.parse(text, maxDepth: depth)
        var levels = 0
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == depth - 1)
    }

    @Test("a repeated key keeps its first position and its last value")
    func duplicateKeys() throws {
        let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test("reads non-contiguous collections and slices")
    func nonContiguousInput() throws {
        let lazy = #"{"k":[1,2]}"#.utf8.lazy.map { $0 }
        #expect(try JSONValue.parse(lazy) == ["k": [1, 2]])
        let bytes = Array("xx[true]yy".utf8)
        #expect(try JSONValue.parse(bytes[2..<8]) == [true])
    }

    @Test("large objects keep order and last-wins semantics")
    func largeObject() throws {
        let members = (0..<1000).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let value = try JSONValue.parse("{\(members),\"k5\":\"again\"}")
        let object = try #require(value.objectValue)
        #expect(object.count == 1000)
        #expect(object.keys.first == "k0")
        #expect(object.keys.last == "k999")
        #expect(object["k5"] == "again")
        #expect(object["k999"] == 999)
    }
}
