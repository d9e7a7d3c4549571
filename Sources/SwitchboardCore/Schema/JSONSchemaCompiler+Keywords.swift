extension JSONSchemaCompiler {
    /// Compiles the assertion keywords of one schema object, appending them in keyword-name order (after
    /// `additionalItems` and `additionalProperties`, which the caller has already added).
    mutating func compileAssertions(_ context: KeywordContext, into node: inout JSONSchemaNode) throws(JSONSchemaError)
    {
        if let schemas = try self.schemaArray("allOf", context) { node.keywords.append(.allOf(schemas)) }
        if let schemas = try self.schemaArray("anyOf", context) { node.keywords.append(.anyOf(schemas)) }
        if let dependencies = try self.dependencies(context) { node.keywords.append(.dependencies(dependencies)) }
        if let value = context.object["enum"] {
            guard let values = value.arrayValue, !values.isEmpty else {
                throw self.error(at: context.location.appending("enum"), "must be a non-empty array")
            }
            node.keywords.append(.enumeration(Set(values.map(\.schemaCanonicalBytes)), text: value.serialized))
        }
        if let value = context.object["format"] {
            guard let name = value.stringValue else {
                throw self.error(at: context.location.appending("format"), "must be a string")
            }
            if let format = JSONSchemaFormat(rawValue: name) { node.keywords.append(.format(format)) }
        }
        if let limit = try self.count("maxItems", context) { node.keywords.append(.maxItems(limit)) }
        if let limit = try self.count("maxLength", context) { node.keywords.append(.maxLength(limit)) }
        if let limit = try self.count("maxProperties", context) { node.keywords.append(.maxProperties(limit)) }
        if let bound = try self.bound("maximum", exclusive: "exclusiveMaximum", context) {
            node.keywords.append(.maximum(bound))
        }
        if let limit = try self.count("minItems", context) { node.keywords.append(.minItems(limit)) }
        if let limit = try self.count("minLength", context) { node.keywords.append(.minLength(limit)) }
        if let limit = try self.count("minProperties", context) { node.keywords.append(.minProperties(limit)) }
        if let bound = try self.bound("minimum", exclusive: "exclusiveMinimum", context) {
            node.keywords.append(.minimum(bound))
        }
        if let (divisor, text) = try self.number("multipleOf", context) {
            guard !divisor.isNegative, !divisor.digits.isEmpty else {
                throw self.error(at: context.location.appending("multipleOf"), "must be greater than 0")
            }
            node.keywords.append(.multipleOf(divisor, text: text))
        }
        if context.object["not"] != nil { node.keywords.append(.not(try self.subschema("not", in: context))) }
        if let schemas = try self.schemaArray("oneOf", context) { node.keywords.append(.oneOf(schemas)) }
        if let value = context.object["pattern"] {
            guard let source = value.stringValue, let pattern = JSONSchemaPattern(source) else {
                throw self.error(at: context.location.appending("pattern"), "must be a valid regular expression")
            }
            node.keywords.append(.pattern(pattern))
        }
        if let value = context.object["required"] {
            guard let names = Self.strings(value) else {
                throw self.error(at: context.location.appending("required"), "must be an array of strings")
            }
            var seen: Set<String> = []
            node.keywords.append(.required(names.filter { seen.insert($0).inserted }))
        }
        if let types = try self.types(context) { node.keywords.append(.type(types)) }
        switch context.object["uniqueItems"] {
        case nil, .bool(false): break
        case .bool(true): node.keywords.append(.uniqueItems)
        default: throw self.error(at: context.location.appending("uniqueItems"), "must be a boolean")
        }
    }

    private mutating func schemaArray(_ keyword: String, _ context: KeywordContext) throws(JSONSchemaError) -> [Int]? {
        guard let value = context.object[keyword] else { return nil }
        guard let elements = value.arrayValue, !elements.isEmpty else {
            throw self.error(at: context.location.appending(keyword), "must be a non-empty array of schemas")
        }
        var schemas: [Int] = []
        for position in elements.indices {
            schemas.append(try self.subschema(keyword, String(position), in: context))
        }
        return schemas
    }

    private mutating func dependencies(
        _ context: KeywordContext
    ) throws(JSONSchemaError) -> [(name: String, dependency: JSONSchemaNode.Dependency)]? {
        guard context.object["dependencies"] != nil else { return nil }
        var result: [(name: String, dependency: JSONSchemaNode.Dependency)] = []
        for name in try self.memberNames("dependencies", context) {
            switch context.object["dependencies"]?[name] {
            case .object:
                result.append((name, .schema(try self.subschema("dependencies", name, in: context))))
            case let value?:
                guard let names = Self.strings(value) else {
                    throw self.error(
                        at: context.location.appending("dependencies", name),
                        "must be an object or an array of strings"
                    )
                }
                result.append((name, .properties(names)))
            case nil:
                break
            }
        }
        return result
    }

    private func types(_ context: KeywordContext) throws(JSONSchemaError) -> JSONSchemaTypes? {
        guard let value = context.object["type"] else { return nil }
        let names = value.stringValue.map { [$0] } ?? Self.strings(value) ?? []
        var types: JSONSchemaTypes = []
        for name in names {
            guard let type = JSONSchemaTypes.named(name) else {
                throw self.error(at: context.location.appending("type"), "unknown type \(JSONValue.quoted(name))")
            }
            types.insert(type)
        }
        guard !names.isEmpty else {
            throw self.error(at: context.location.appending("type"), "must be a type name or an array of type names")
        }
        return types
    }

    private func number(
        _ keyword: String,
        _ context: KeywordContext
    ) throws(JSONSchemaError) -> (JSONSchemaNumber, String)? {
        guard let value = context.object[keyword] else { return nil }
        guard case .number(let text) = value, let number = JSONSchemaNumber(text) else {
            throw self.error(at: context.location.appending(keyword), "must be a number")
        }
        return (number, text)
    }

    private func bound(
        _ keyword: String,
        exclusive exclusiveKeyword: String,
        _ context: KeywordContext
    ) throws(JSONSchemaError) -> JSONSchemaNode.Bound? {
        var exclusive = false
        switch context.object[exclusiveKeyword] {
        case nil: break
        case .bool(let flag): exclusive = flag
        default: throw self.error(at: context.location.appending(exclusiveKeyword), "must be a boolean")
        }
        guard let (value, text) = try self.number(keyword, context) else {
            guard context.object[exclusiveKeyword] == nil else {
                throw self.error(at: context.location.appending(exclusiveKeyword), "requires \(keyword)")
            }
            return nil
        }
        return JSONSchemaNode.Bound(value: value, text: text, exclusive: exclusive)
    }

    /// A non-negative integer keyword (`maxLength`, `minItems`, …); huge values saturate at `Int.max`.
    private func count(_ keyword: String, _ context: KeywordContext) throws(JSONSchemaError) -> Int? {
        guard let (number, _) = try self.number(keyword, context) else { return nil }
        guard number.isIntegral, !number.isNegative else {
            throw self.error(at: context.location.appending(keyword), "must be a non-negative integer")
        }
        guard number.digits.count + number.exponent <= 18 else { return Int.max }
        var result = 0
        for digit in number.digits {
            result = result * 10 + Int(digit)
        }
        for _ in 0..<number.exponent {
            result *= 10
        }
        return result
    }

    private static func strings(_ value: JSONValue) -> [String]? {
        guard let elements = value.arrayValue else { return nil }
        var result: [String] = []
        for element in elements {
            guard let string = element.stringValue else { return nil }
            result.append(string)
        }
        return result
    }
}
