import SwitchboardCore
import Testing

struct JSONValueTests {
    @Test("literals build the matching cases")
    func literals() {
        let string: JSONValue = "s"
        let bool: JSONValue = false
        let integer: JSONValue = -42
        let array: JSONValue = [1, "x"]
        let object: JSONValue = ["k": .null]
        #expect(string == .string("s"))
        #expect(bool == .bool(false))
        #expect(integer == .number("-42"))
        #expect(array == .array([.number("1"), .string("x")]))
        #expect(object == .object(JSONObject([("k", .null)])))
        #expect(JSONValue.integer(7) == .number("7"))
    }

    @Test("typed accessors return nil for other cases")
    func accessors() {
        let value: JSONValue = ["s": "text", "b": true, "a": [1], "o": ["x": 1], "n": .null]
        #expect(value["s"]?.stringValue == "text")
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue == ["x": 1])
        #expect(value["n"]?.isNull == true)
        #expect(value["s"]?.boolValue == nil)
        #expect(value["b"]?.stringValue == nil)
        #expect(value["missing"] == nil)
        #expect(value.stringValue == nil)
        #expect(JSONValue.string("1").intValue == nil)
        #expect(JSONValue.array(["a", "b"])[1] == "b")
        #expect(JSONValue.array(["a"])[1] == nil)
        #expect(JSONValue.string("x")["k"] == nil)
    }

    @Test(
        "intValue accepts integral numbers that fit",
        arguments: [
            ("0", 0), ("-17", -17), ("2.0", 2), ("1e2", 100), ("-0", 0),
            ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
            ("1.5", nil), ("1e30", nil), ("9223372036854775808", nil),
        ] as [(String, Int?)]
    )
    func intValue(raw: String, expected: Int?) {
        #expect(JSONValue.number(raw).intValue == expected)
    }

    @Test("doubleValue parses the raw literal")
    func doubleValue() {
        #expect(JSONValue.number("-2.5e3").doubleValue == -2500)
        #expect(JSONValue.number("0.1").doubleValue == 0.1)
        #expect(JSONValue.bool(true).doubleValue == nil)
    }

    @Test("numbers compare by their raw text")
    func numberEquality() {
        #expect(JSONValue.number("1") != .number("1.0"))
        #expect(JSONValue.number("1") == 1)
    }
}
