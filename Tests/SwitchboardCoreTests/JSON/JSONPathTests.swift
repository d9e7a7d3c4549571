import SwitchboardCore
import Testing

struct JSONPathTests {
    @Test(
        "parses Goessner-style paths",
        arguments: [
            ("", []),
            ("$", []),
            ("a", [.key("a")]),
            ("a.b.c", [.key("a"), .key("b"), .key("c")]),
            ("$.a.b", [.key("a"), .key("b")]),
            ("a[0]", [.key("a"), .index(0)]),
            ("$[12]", [.index(12)]),
            ("[3]", [.index(3)]),
            ("a['key with space']", [.key("a"), .key("key with space")]),
            ("a[\"k\"]", [.key("a"), .key("k")]),
            ("a.b[2].c", [.key("a"), .key("b"), .index(2), .key("c")]),
            ("$['it\\'s'][0][1]", [.key("it's"), .index(0), .index(1)]),
            ("a['x.y[z]']", [.key("a"), .key("x.y[z]")]),
            ("é.ü", [.key("é"), .key("ü")]),
        ] as [(String, [JSONPath.Segment])]
    )
    func parses(text: String, segments: [JSONPath.Segment]) throws {
        #expect(try JSONPath(parsing: text).segments == segments)
    }

    @Test(
        "rejects unsupported or malformed paths",
        arguments: [
            "a..b", "a.", ".", "$.", "$a", "a[", "a[-1]", "a[*]", "a.*", "a[1", "a['x", "a['x'", "a[x]", "a[]",
            "a]b", "a[0]b", "a[99999999999999999999999]", "$..a",
        ]
    )
    func rejects(text: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: text) }
    }

    @Test("reports the offset of the problem")
    func offsets() {
        #expect(throws: JSONPathError(offset: 2, reason: "negative indexes are not supported")) {
            try JSONPath(parsing: "a[-1]")
        }
        #expect(throws: JSONPathError(offset: 1, reason: "unterminated '['")) {
            try JSONPath(parsing: "a[1")
        }
    }

    @Test(
        "evaluates against a document",
        arguments: [
            ("$", #"{"a":{"b":[10,{"c":"deep"}]},"k v":true}"#),
            ("a.b[0]", "10"),
            ("a.b[1].c", #""deep""#),
            ("['k v']", "true"),
            ("a.b", #"[10,{"c":"deep"}]"#),
        ]
    )
    func evaluates(path: String, expectedJSON: String) throws {
        let document = try JSONValue.parse(#"{"a":{"b":[10,{"c":"deep"}]},"k v":true}"#)
        let expected = try JSONValue.parse(expectedJSON)
        #expect(try JSONPath(parsing: path).evaluate(on: document) == expected)
    }

    @Test(
        "missing members and type mismatches give nil",
        arguments: ["x", "a.x", "a.b[2]", "a[0]", "a.b.c", "a.b[0].c"]
    )
    func missing(path: String) throws {
        let document = try JSONValue.parse(#"{"a":{"b":[10,{"c":"deep"}]}}"#)
        #expect(try JSONPath(parsing: path).evaluate(on: document) == nil)
    }

    @Test("the description parses back to the same path")
    func descriptionRoundTrip() throws {
        let path = JSONPath(segments: [.key("a"), .key("with space"), .index(3), .key("it's\\"), .key("*"), .key("")])
        #expect(path.description == #"$.a['with space'][3]['it\'s\\']['*']['']"#)
        #expect(try JSONPath(parsing: path.description) == path)
        #expect(JSONPath().description == "$")
    }

    @Test("never crashes or hangs on arbitrary input")
    func arbitraryInput() {
        let alphabet: [Character] = ["$", ".", "[", "]", "'", "\"", "\\", "0", "9", "-", "*", "a", " ", "é"]
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<5000 {
            let length = Int(generator.next() % 12)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            if let path = try? JSONPath(parsing: text) {
                #expect(path.evaluate(on: ["a": [1]]) != .bool(false))
            }
        }
    }
}

/// A tiny deterministic generator for fuzz-style tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = self.state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
