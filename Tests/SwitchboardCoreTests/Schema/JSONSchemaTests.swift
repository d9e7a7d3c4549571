import SwitchboardCore
import Testing

struct JSONSchemaTests {
    private func messages(_ schema: String, _ instance: String) throws -> [String] {
        try JSONSchema(JSONValue.parse(schema)).validate(JSONValue.parse(instance)).map(\.message)
    }

    @Test(
        "words violations as the Java validator that API Gateway uses",
        arguments: [
            (#"{"required": ["name", "id"]}"#, #"{"id": 1}"#, #"object has missing required properties (["name"])"#),
            (
                #"{"type": "string"}"#, "1",
                #"instance type (integer) does not match any allowed primitive type (allowed: ["string"])"#
            ),
            (
                #"{"type": ["number", "string"]}"#, "null",
                #"instance type (null) does not match any allowed primitive type (allowed: ["number","string"])"#
            ),
            (
                #"{"type": "integer"}"#, "1.5",
                #"instance type (number) does not match any allowed primitive type (allowed: ["integer"])"#
            ),
            (#"{"minLength": 3}"#, #""ab""#, #"string "ab" is too short (length: 2, required minimum: 3)"#),
            (#"{"maxLength": 1}"#, #""ab""#, #"string "ab" is too long (length: 2, maximum allowed: 1)"#),
            (
                #"{"enum": ["a", "b"]}"#, #""x""#,
                #"instance value ("x") not found in enum (possible values: ["a","b"])"#
            ),
            (
                #"{"maximum": 10}"#, "11",
                "numeric instance is greater than the required maximum (maximum: 10, found: 11)"
            ),
            (
                #"{"maximum": 10, "exclusiveMaximum": true}"#, "10",
                "numeric instance is not strictly lower than the required maximum 10"
            ),
            (#"{"minimum": 1.5}"#, "1", "numeric instance is lower than the required minimum (minimum: 1.5, found: 1)"),
            (
                #"{"minimum": 0, "exclusiveMinimum": true}"#, "0",
                "numeric instance is not strictly greater than the required minimum 0"
            ),
            (#"{"multipleOf": 0.01}"#, "19.999", "remainder of division is not zero (19.999 / 0.01)"),
            (#"{"pattern": "^a+$"}"#, #""b""#, #"ECMA 262 regex "^a+$" does not match input string "b""#),
            (
                #"{"minItems": 2}"#, "[1]",
                "array is too short: must have at least 2 elements but instance has 1 elements"
            ),
            (
                #"{"maxItems": 1}"#, "[1, 2]",
                "array is too long: must have at most 1 elements but instance has 2 elements"
            ),
            (#"{"uniqueItems": true}"#, "[1, 1.0]", "array must not contain duplicate elements"),
            (
                #"{"items": [{}], "additionalItems": false}"#, "[1, 2]",
                "schema only allows 1 elements in array but instance has 2 elements"
            ),
            (
                #"{"properties": {"a": {}}, "additionalProperties": false}"#, #"{"z": 1, "a": 1, "b": 2}"#,
                #"object instance has properties which are not allowed by the schema: ["b","z"]"#
            ),
            (
                #"{"minProperties": 2}"#, #"{"a": 1}"#,
                "object has too few properties (found 1 but schema requires at least 2)"
            ),
            (
                #"{"maxProperties": 0}"#, #"{"a": 1}"#,
                "object has too many properties (found 1 but schema requires at most 0)"
            ),
            (
                #"{"dependencies": {"a": ["b", "c"]}}"#, #"{"a": 1, "c": 2}"#,
                #"property "a" of object has missing property dependencies (schema requires ["b","c"]; missing: ["b"])"#
            ),
            (
                #"{"allOf": [{"type": "string"}, {"minLength": 9}]}"#, #""abc""#,
                "instance failed to match all required schemas (matched only 1 out of 2)"
            ),
            (
                #"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "1",
                "instance failed to match at least one required schema among 2"
            ),
            (
                #"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#, "1",
                "instance failed to match exactly one schema (matched 2 out of 2)"
            ),
            (#"{"not": {"type": "integer"}}"#, "1", "instance matched a schema which it should not have"),
            (#"{"format": "email"}"#, #""nope""#, #"string "nope" is not a valid email address"#),
            (#"{"format": "ipv4"}"#, #""1.2.3""#, #"string "1.2.3" is not a valid IPv4 address"#),
        ] as [(String, String, String)]
    )
    func messages(schema: String, instance: String, expected: String) throws {
        #expect(try self.messages(schema, instance) == [expected])
    }

    @Test("reports JSON pointers, visits members in name order and stops descending after a violation")
    func pointersAndOrder() throws {
        let schema = try JSONSchema(
            JSONValue.parse(
                #"""
                {"type": "object", "properties": {
                    "b": {"type": "string"}, "a~/": {"type": "array", "items": {"type": "integer"}},
                    "c": {"properties": {"d": {"type": "string"}}}}}
                """#
            )
        )
        let violations = schema.validate(try JSONValue.parse(#"{"b": 1, "a~/": [1, "x"], "c": {"d": 1}}"#))
        #expect(violations.map(\.pointer) == ["/a~0~1/1", "/b"])
        #expect(schema.validate(try JSONValue.parse(#"{"c": {"d": 1}}"#)).map(\.pointer) == ["/c/d"])
        #expect(schema.validate(try JSONValue.parse("[]")).map(\.pointer) == [""])
    }

    @Test("validationErrorString is AWS's bracketed, comma-separated list")
    func validationErrorString() throws {
        let schema = try JSONSchema(
            JSONValue.parse(#"{"required": ["name"], "properties": {"age": {"type": "integer"}}}"#)
        )
        let violations = schema.validate(try JSONValue.parse(#"{"age": "x"}"#))
        #expect(
            JSONSchema.validationErrorString(violations)
                == #"[object has missing required properties (["name"])]"#
        )
        let typeErrors = try JSONSchema(
            JSONValue.parse(#"{"properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}"#)
        )
        .validate(try JSONValue.parse(#"{"b": true, "a": "x"}"#))
        #expect(
            JSONSchema.validationErrorString(typeErrors)
                == #"[instance type (string) does not match any allowed primitive type (allowed: ["integer"]), "#
                + #"instance type (boolean) does not match any allowed primitive type (allowed: ["integer"])]"#
        )
        #expect(JSONSchema.validationErrorString([]) == "[]")
    }

    @Test(
        "multipleOf is exact for decimals and big numbers",
        arguments: [
            ("0.0075", "0.0225", true), ("0.0075", "0.0226", false), ("0.0001", "19.9999", true),
            ("0.01", "19.99", true), ("0.01", "0.075", false), ("0.1", "0.3", true), ("3", "1e308", false),
            ("0.5", "1e308", true), ("7", "12345678901234567890123456789012345678901234567889", true),
            ("7", "12345678901234567890123456789012345678901234567893", false),
            ("123456789012345678901234567890", "246913578024691357802469135780", true),
        ] as [(String, String, Bool)]
    )
    func multipleOf(divisor: String, instance: String, valid: Bool) throws {
        let schema = try JSONSchema(.object(["multipleOf": .number(divisor)]))
        #expect(schema.isValid(.number(instance)) == valid)
    }

    @Test("compares numbers exactly: bignums, exponents and equal values in enum")
    func exactNumbers() throws {
        let maximum = try JSONSchema(.object(["maximum": .number("18446744073709551615")]))
        #expect(maximum.isValid(.number("18446744073709551615")))
        #expect(!maximum.isValid(.number("18446744073709551616")))
        #expect(maximum.isValid(.number("1.8446744073709551615e19")))
        let enumeration = try JSONSchema(JSONValue.parse(#"{"enum": [1, {"a": [2.0]}]}"#))
        #expect(enumeration.isValid(try JSONValue.parse("1.0")))
        #expect(enumeration.isValid(try JSONValue.parse(#"{"a": [20e-1]}"#)))
        #expect(!enumeration.isValid(try JSONValue.parse(#"{"a": ["2"]}"#)))
        let integer = try JSONSchema(.object(["type": "integer"]))
        #expect(integer.isValid(.number("-98249283749234923498293171823948729348710298301928331")))
        #expect(!integer.isValid(.number("1.0")))
    }

    @Test("counts string length in code points")
    func lengthInCodePoints() throws {
        let schema = try JSONSchema(.object(["maxLength": 2]))
        #expect(schema.isValid("💩💩"))
        #expect(!schema.isValid("e\u{301}e\u{301}"))
    }

    @Test(
        "rejects malformed schemas with their location",
        arguments: [
            (##"{"properties": {"a": {"pattern": "("}}}"##, "#/properties/a/pattern"),
            (##"{"patternProperties": {"[": {}}}"##, "#/patternProperties/["),
            (##"{"items": {"$ref": "#/definitions/missing"}}"##, "#/items/$ref"),
            (##"{"$ref": "http://example.com/unknown.json"}"##, "#/$ref"),
            (##"{"minLength": -1}"##, "#/minLength"),
            (##"{"multipleOf": 0}"##, "#/multipleOf"),
            (##"{"type": "any"}"##, "#/type"),
            (##"{"exclusiveMinimum": true}"##, "#/exclusiveMinimum"),
            (##"{"required": "a"}"##, "#/required"),
            (##"{"allOf": []}"##, "#/allOf"),
            (##"{"properties": {"a": 1}}"##, "#/properties/a"),
            (
                ##"{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}"##,
                "#/definitions/"
            ),
            (##"{"anyOf": [{"$ref": "#"}]}"##, "#"),
        ] as [(String, String)]
    )
    func malformed(schema: String, location: String) throws {
        let value = try JSONValue.parse(schema)
        let error = #expect(throws: JSONSchemaError.self) { try JSONSchema(value) }
        #expect(error?.message.contains("invalid schema at \(location)") == true, "\(String(describing: error))")
    }

    @Test("recursive schemas validate deep instances without trapping")
    func deepInstances() throws {
        let schema = try JSONSchema(JSONValue.parse(##"{"items": {"$ref": "#"}, "type": "array"}"##))
        var shallow = JSONValue.array([])
        for _ in 0..<100 {
            shallow = .array([shallow])
        }
        #expect(schema.isValid(shallow))
        var deep = JSONValue.array([])
        for _ in 0..<1000 {
            deep = .array([deep])
        }
        let deepIsValid = schema.isValid(deep)
        #expect(!deepIsValid)
        let messages = schema.validate(deep).map(\.message)
        #expect(messages == ["instance nesting exceeds the validation depth limit (400)"])
        let negated = try JSONSchema(JSONValue.parse(##"{"not": {"items": {"$ref": "#/not"}}}"##))
        let negatedIsValid = negated.isValid(deep)
        #expect(!negatedIsValid)
        #expect(negated.validate(deep).count == 1)
    }

    @Test("resolves id scopes and remote documents, and the built-in draft 4 meta-schema")
    func references() throws {
        let remotes: [String: JSONValue] = [
            "http://example.com/schemas/name.json": try JSONValue.parse(
                #"{"definitions": {"name": {"type": "string", "minLength": 1}}}"#
            )
        ]
        let schema = try JSONSchema(
            JSONValue.parse(
                #"""
                {"id": "http://example.com/schemas/root.json",
                 "properties": {"name": {"$ref": "name.json#/definitions/name"}, "meta": {"$ref": "#meta"}},
                 "definitions": {"m": {"id": "#meta", "type": "object"}}}
                """#
            ),
            remotes: remotes
        )
        #expect(schema.isValid(try JSONValue.parse(#"{"name": "a", "meta": {}}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"name": ""}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"meta": 1}"#)))
        let meta = try JSONSchema(JSONValue.parse(#"{"$ref": "http://json-schema.org/draft-04/schema#"}"#))
        #expect(meta.isValid(try JSONValue.parse(#"{"type": "string", "minLength": 2}"#)))
        #expect(!meta.isValid(try JSONValue.parse(#"{"type": "text"}"#)))
    }

    @Test("a compiled schema is shared safely across concurrent validations")
    func concurrentValidation() async throws {
        let schema = try JSONSchema(
            JSONValue.parse(#"{"patternProperties": {"^x-\\d+$": {"type": "string", "pattern": "^[a-z]+$"}}}"#)
        )
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let instance: JSONValue = .object(["x-\(index)": index.isMultiple(of: 2) ? "abc" : "ABC"])
                    return schema.isValid(instance) == index.isMultiple(of: 2)
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
