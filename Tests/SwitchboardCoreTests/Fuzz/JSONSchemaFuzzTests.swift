import SwitchboardCore
import Testing

/// Seeded fuzzing of the JSON Schema compiler and validator: random and mutated schemas compile or are rejected
/// with a `JSONSchemaError`, and compiled ones validate random instances without crashing or hanging (`$ref`
/// loops that never consume the instance are rejected at compile time, so none can spin).
struct JSONSchemaFuzzTests {
    /// Valid schemas the mutation test starts from.
    static let seeds = [
        #"{"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer","minimum":0}}}"#,
        ##"{"definitions":{"a":{"type":"array","items":{"$ref":"#/definitions/a"}}},"$ref":"#/definitions/a"}"##,
        #"{"anyOf":[{"type":"string","pattern":"^a+$"},{"multipleOf":0.01,"maximum":10,"exclusiveMaximum":true}]}"#,
        #"{"patternProperties":{"^x-":{"enum":[1,"a",null]}},"additionalProperties":false,"minProperties":1}"#,
        #"{"items":[{},{"not":{"type":"null"}}],"additionalItems":{"format":"email"},"uniqueItems":true}"#,
        ##"{"id":"http://x/root","properties":{"p":{"$ref":"#/definitions/q"}},"definitions":{"q":{"oneOf":[{},{"type":"number"}]}},"dependencies":{"a":["b"],"c":{"required":["d"]}}}"##,
    ]

    /// Keywords and values random schemas are built from.
    static let keywords: [(String, [JSONValue])] = [
        ("type", ["string", "integer", "number", "object", "array", "boolean", "null", "any", ["string", "null"], 1]),
        ("minimum", [.number("0"), .number("-1e400"), .number("1.5"), "x"]),
        ("maximum", [.number("10"), .number("1e400"), .null]),
        ("exclusiveMaximum", [true, false, 1]),
        (
            "multipleOf",
            [.number("0.01"), .number("0"), .number("-1"), .number("1234567890123456789012345"), .number("3")]
        ),
        ("minLength", [.number("1"), .number("-1"), .number("1.5"), .number("1e30")]),
        ("maxItems", [.number("2"), .number("0")]),
        (
            "pattern",
            ["^a+$", "(", "[a-", "\\", "\\cA", "\\d\\s\\w", "(?<n>x)\\k<n>", "a{2,1}", "\\u{FFFFFFFF}", "(a|)*"]
        ),
        ("enum", [[1, "a", .null], [], "x"]),
        ("required", [["a", "b"], ["a", "a"], [1], "a"]),
        ("uniqueItems", [true, "yes"]),
        ("format", ["email", "date-time", "ipv4", "ipv6", "uri", "hostname", "nope", 7]),
        ("$ref", ["#", "#/definitions/a", "#/properties/a", "#/nope", "http://x/y#", "#/definitions/a/../", "%", ""]),
        ("id", ["http://x/root", "#frag", "relative/path", ":"]),
    ]

    /// Keywords whose value is a schema, an array of schemas or a map of schemas.
    static let schemaKeywords = [
        "items", "additionalItems", "additionalProperties", "not", "allOf", "anyOf", "oneOf", "properties",
        "patternProperties", "definitions", "dependencies",
    ]

    @Test("random schemas compile or are rejected, and validate random instances")
    func randomSchemas() {
        var random = FuzzRandom(seed: 0x5C4E_4A00_0001)
        for index in 0..<FuzzRandom.cases(4_000) {
            let schema = Self.schema(depth: 3, random: &random)
            Self.check(schema, random: &random, context: "seed \(random.seed) case \(index): \(schema.serialized)")
        }
    }

    @Test("mutated schemas compile or are rejected, and validate random instances")
    func mutatedSchemas() throws {
        var random = FuzzRandom(seed: 0x5C4E_4A00_0002)
        let tokens = [
            ##""$ref":"#","##, #""type":"#, "{", "}", "[", "]", ",", ":", ##""#/"##, "1e9", "-", "\"^(a+)+$\"",
        ]
        for index in 0..<FuzzRandom.cases(4_000) {
            let text = random.mutate(random.pick(Self.seeds), tokens: tokens)
            guard let schema = try? JSONValue.parse(text) else { continue }
            Self.check(
                schema,
                random: &random,
                context: "seed \(random.seed) case \(index): \(FuzzRandom.preview(text))"
            )
        }
    }

    @Test("deep schemas are rejected past the compiler's nesting limit, and validate without recursion trouble")
    func deepSchemas() throws {
        func nested(_ keyword: String, _ depth: Int) throws -> JSONValue {
            try JSONValue.parse(
                String(repeating: "{\"\(keyword)\":", count: depth) + "{}" + String(repeating: "}", count: depth)
            )
        }
        let instance = try JSONValue.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500))
        for keyword in ["items", "not", "additionalItems"] {
            #expect(throws: JSONSchemaError.self, "\(keyword) × 500") { _ = try JSONSchema(nested(keyword, 500)) }
            _ = try JSONSchema(nested(keyword, 250)).validate(instance)
        }
        let references =
            String(repeating: ##"{"items":{"$ref":"#"},"not":"##, count: 250) + "{}"
            + String(repeating: "}", count: 250)
        if let schema = try? JSONSchema(JSONValue.parse(references)) { _ = schema.validate(instance) }
    }

    /// Compiles `schema` and, when it compiles, validates a few random instances.
    private static func check(_ schema: JSONValue, random: inout FuzzRandom, context: String) {
        guard let compiled = try? JSONSchema(schema) else { return }
        for _ in 0..<4 {
            let instance = random.json(depth: 3, width: 3)
            let violations = compiled.validate(instance)
            #expect(compiled.isValid(instance) == violations.isEmpty, "\(context): \(instance.serialized)")
            _ = JSONSchema.validationErrorString(violations)
        }
    }

    /// A random schema object at most `depth` levels deep.
    private static func schema(depth: Int, random: inout FuzzRandom) -> JSONValue {
        var object = JSONObject()
        for _ in 0..<random.int(0...3) {
            let (keyword, values) = random.pick(Self.keywords)
            object[keyword] = random.pick(values)
        }
        guard depth > 0 else { return .object(object) }
        for _ in 0..<random.int(0...2) {
            let keyword = random.pick(Self.schemaKeywords)
            switch keyword {
            case "allOf", "anyOf", "oneOf":
                object[keyword] = .array(
                    (0..<random.int(0...2)).map { _ in Self.schema(depth: depth - 1, random: &random) }
                )
            case "properties", "patternProperties", "definitions", "dependencies":
                var members = JSONObject()
                for _ in 0..<random.int(0...2) {
                    let name = random.pick(["a", "b", "^x-", "(", ""])
                    members[name] = random.oneIn(6) ? ["a"] : Self.schema(depth: depth - 1, random: &random)
                }
                object[keyword] = .object(members)
            case "items" where random.oneIn(2):
                object[keyword] = .array([Self.schema(depth: depth - 1, random: &random)])
            default:
                object[keyword] =
                    random.oneIn(6) ? .bool(random.oneIn(2)) : Self.schema(depth: depth - 1, random: &random)
            }
        }
        return .object(object)
    }
}
