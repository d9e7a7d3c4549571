import SwitchboardCore
import Testing

struct JSONValueSerializationTests {
    @Test("serializes compactly, in member order")
    func compact() {
        let value: JSONValue = ["a": 1, "b": [true, .null], "c": ["z": "y", "x": .number("-2.5e3")]]
        #expect(value.serialized == #"{"a":1,"b":[true,null],"c":{"z":"y","x":-2.5e3}}"#)
        #expect(JSONValue.array([]).serialized == "[]")
        #expect(JSONValue.object(JSONObject()).serialized == "{}")
    }

    @Test(
        "escapes strings per RFC 8259",
        arguments: [
            ("", #""""#),
            ("plain", #""plain""#),
            ("a\"b", #""a\"b""#),
            ("back\\slash", #""back\\slash""#),
            ("/path/", #""/path/""#),
            ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
            ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
            ("\u{7F}", "\"\u{7F}\""),
            ("héllo 😀 €", "\"héllo 😀 €\""),
            ("mixé\n\"ü\"", #""mixé\n\"ü\"""#),
        ]
    )
    func quoted(raw: String, expected: String) {
        #expect(JSONValue.quoted(raw) == expected)
        #expect(JSONValue.string(raw).serialized == expected)
    }

    @Test(
        "round trips compact text unchanged",
        arguments: [
            #"{"a":1,"b":[true,null]}"#,
            #"[-0,1.5e10,"x\ny",{},[],{"é":"😀"}]"#,
            #"{"z":1,"a":2,"m":{"nested":[1,[2,[3]]]}}"#,
            #""\u0001\"\\""#,
            "123456789012345678901234567890.5",
        ]
    )
    func roundTripText(text: String) throws {
        #expect(try JSONValue.parse(text).serialized == text)
    }

    @Test("parsing the serialization gives back the value")
    func roundTripValue() throws {
        let value: JSONValue = [
            "control": .string("\u{0}\u{1F}\u{7F}"),
            "escapes": .string("\"\\/\n"),
            "emoji": "😀",
            "numbers": [0, -1, .number("2.5E-3")],
            "empty": ["a": [], "b": .object(JSONObject())],
        ]
        #expect(try JSONValue.parse(value.serialized) == value)
    }

    @Test("serialize(into:) appends")
    func serializeInto() {
        var output = "prefix:"
        JSONValue.array([1, "two"]).serialize(into: &output)
        #expect(output == #"prefix:[1,"two"]"#)
    }

    @Test(
        "stringifies values for selection expressions",
        arguments: [
            (JSONValue.string("join"), "join"),
            (.string("with \"quotes\""), "with \"quotes\""),
            (.number("-2.50"), "-2.50"),
            (.bool(true), "true"),
            (.bool(false), "false"),
            (.null, ""),
            ([1, 2], "[1, 2]"),
            (["a", ["b", .null], true], "[a, [b, ], true]"),
            ([], "[]"),
            (["room": "r1", "n": [1, 2]], #"{"room":"r1","n":[1,2]}"#),
        ] as [(JSONValue, String)]
    )
    func selectionString(value: JSONValue, expected: String) {
        #expect(value.selectionString == expected)
    }
}
