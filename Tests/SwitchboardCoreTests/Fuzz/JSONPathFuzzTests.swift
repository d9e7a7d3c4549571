import SwitchboardCore
import Testing

/// Seeded fuzzing of the JSONPath parser and evaluator and of the JSON parser under it (issue 7): no crash, no
/// hang, errors inside the input, canonical forms that parse back, and nesting bounded by the parser's depth limit.
struct JSONPathFuzzTests {
    /// Pieces random paths are built from.
    static let alphabet = [
        "$", ".", ".", "[", "]", "'", "\"", "\\", "a", "b", "key", "0", "7", "12", "99999999999999999999", "*", "-",
        "..",
        " ", "é", "😀", "$.", "['", "']", "[\"", "\"]", "\u{0}",
        // A combining mark after a quote or a backslash makes one `Character` of the two (found by libFuzzer).
        "\u{301}", "\u{0604}",
    ]

    /// Valid paths the mutation test starts from.
    static let seeds = [
        "$", "", "a", "$.a.b", "a.b.c", "a[0]", "$['key with space']", #"a["k"]"#, "a.b[2].c", #"$['it\'s']"#,
        "$[0][1]['x'].y", "$.data.room",
    ]

    /// Valid JSON texts the JSON mutation test starts from, besides random documents.
    static let documents = [
        #"{"action":"echo","data":{"room":"lobby","ids":[1,2,3]}}"#, #"[1,-2.5e3,"a\u00e9\ud83d\ude00",null,true]"#,
        #"{"a":{"b":[true,{}]},"c":"\"\\\/\b\f\n\r\t"}"#, "  123456789012345678901234567890  ", #""""#,
    ]

    @Test("random paths parse, or fail at an offset inside the text; parsed paths print and parse back")
    func randomPaths() {
        var random = FuzzRandom(seed: 0x150_9A7B_0001)
        for index in 0..<FuzzRandom.cases(20_000) {
            Self.check(random.string(from: Self.alphabet, maxLength: 16), context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("mutated valid paths parse, or fail at an offset inside the text")
    func mutatedPaths() {
        var random = FuzzRandom(seed: 0x150_9A7B_0002)
        for index in 0..<FuzzRandom.cases(20_000) {
            let text = random.mutate(random.pick(Self.seeds), tokens: Self.alphabet)
            Self.check(text, context: "seed \(random.seed) case \(index)")
        }
    }

    @Test("paths select what they name in random deep and wide documents, and miss safely otherwise")
    func evaluateOnRandomDocuments() {
        var random = FuzzRandom(seed: 0x150_9A7B_0003)
        for index in 0..<FuzzRandom.cases(5_000) {
            let context = "seed \(random.seed) case \(index)"
            let wide = random.oneIn(8)
            let document = random.json(depth: wide ? 2 : random.int(0...10), width: wide ? 60 : 3)
            let (path, value) = random.existingPath(in: document)
            #expect(path.evaluate(on: document) == value, "\(context): \(path)")
            #expect(
                (try? JSONPath(parsing: path.description)) == path,
                "\(context): \(path) printed as \(FuzzRandom.preview(path.description))"
            )
            if let other = try? JSONPath(parsing: random.string(from: Self.alphabet, maxLength: 12)) {
                _ = other.evaluate(on: document)
            }
        }
    }

    @Test("JSON texts: random and mutated documents parse, or fail at an offset inside the input")
    func mutatedDocuments() throws {
        var random = FuzzRandom(seed: 0x150_9A7B_0004)
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "\\u", "\\ud83d", "true", "null", "-", "1e", "0.", "é"]
        for index in 0..<FuzzRandom.cases(10_000) {
            let context = "seed \(random.seed) case \(index)"
            let original = random.oneIn(4) ? random.pick(Self.documents) : random.json(depth: 5, width: 4).serialized
            let bytes = random.oneIn(10) ? Array(original.utf8) : random.mutate(Array(original.utf8), tokens: tokens)
            let value: JSONValue
            do {
                value = try JSONValue.parse(bytes)
            } catch {
                #expect(
                    (0...bytes.count).contains(error.offset),
                    "\(context): offset \(error.offset) of \(bytes.count)"
                )
                continue
            }
            // Parsing is a fixed point of serializing: what was read prints and reads back the same.
            let printed = value.serialized
            let reread = try JSONValue.parse(printed)
            #expect(reread == value, "\(context): \(FuzzRandom.preview(printed))")
            #expect(reread.serialized == printed, "\(context)")
            _ = value.selectionString
        }
    }

    @Test("JSON texts: 100k-deep nesting is rejected at the depth limit, without recursion")
    func deepDocuments() throws {
        let depth = 100_000
        let inputs = [
            String(repeating: "[", count: depth),
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
            String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth),
            String(repeating: #"[{"a":"#, count: depth / 2),
            String(repeating: "[1,", count: depth),
        ]
        for input in inputs {
            #expect(throws: JSONParseError.self, "\(FuzzRandom.preview(input, limit: 20))") {
                _ = try JSONValue.parse(input)
            }
        }
        // At the limit itself the document parses, and a path of the same depth walks it.
        let limit = 512
        let nested = String(repeating: "[", count: limit) + "7" + String(repeating: "]", count: limit)
        let value = try JSONValue.parse(nested)
        let path = JSONPath(segments: Array(repeating: .index(0), count: limit))
        #expect(path.evaluate(on: value) == .number("7"))
        #expect(try JSONPath(parsing: path.description) == path)
        #expect(value.serialized == nested)
        // Wide rather than deep: 100k elements and a 100k-segment path.
        let wide = try JSONValue.parse("[" + Array(repeating: "0", count: depth).joined(separator: ",") + "]")
        #expect(wide.arrayValue?.count == depth)
        let longPath = try JSONPath(parsing: "$" + String(repeating: "[0]", count: depth))
        #expect(longPath.evaluate(on: wide) == nil)
    }

    /// Parses `text` and checks the error offset, or that the path prints and parses back.
    private static func check(_ text: String, context: String) {
        do {
            let path = try JSONPath(parsing: text)
            let printed = path.description
            #expect(
                (try? JSONPath(parsing: printed)) == path,
                "\(context): \(FuzzRandom.preview(text)) printed as \(FuzzRandom.preview(printed))"
            )
        } catch {
            #expect(
                (0...text.utf8.count).contains(error.offset),
                "\(context): \(FuzzRandom.preview(text)): offset \(error.offset) outside the text"
            )
        }
    }
}
