/// Runs a compiled schema over an instance, the way the Java json-schema-validator does: every keyword of a
/// schema is checked (in keyword-name order), and children (array elements in order, object members sorted by
/// name) are visited only while no violation has been found.
struct JSONSchemaValidator {
    /// Nested validation deeper than this (counting `$ref` hops) is reported as a violation rather than
    /// risking the stack.
    static let depthLimit = 400

    private let nodes: [JSONSchemaNode]
    /// When `false`, validation stops at the first violation and builds no messages.
    private let collectsMessages: Bool
    private(set) var violations: [JSONSchemaViolation] = []
    private(set) var failed = false
    private var exceededDepth = false

    init(nodes: [JSONSchemaNode], collectsMessages: Bool) {
        self.nodes = nodes
        self.collectsMessages = collectsMessages
    }

    private var isFinished: Bool { self.failed && !self.collectsMessages }

    /// Validates `instance` (found at `pointer`) against node `index`.
    mutating func validate(_ index: Int, _ instance: JSONValue, pointer: String, depth: Int) {
        guard depth < Self.depthLimit else { return self.failForDepth(pointer) }
        guard self.nodes.indices.contains(index) else { return }
        let node = self.nodes[index]
        if let reference = node.reference {
            return self.validate(reference, instance, pointer: pointer, depth: depth + 1)
        }
        for keyword in node.keywords {
            self.check(keyword, instance, pointer: pointer, depth: depth)
            if self.isFinished { return }
        }
        guard !self.failed else { return }
        switch instance {
        case .array(let elements):
            guard let children = node.arrayChildren else { return }
            for (position, element) in elements.enumerated() {
                let schema: Int?
                switch children.items {
                case .none: schema = nil
                case .single(let items): schema = items
                case .tuple(let items):
                    if position < items.count {
                        schema = items[position]
                    } else if case .schema(let additional) = children.additionalItems {
                        schema = additional
                    } else {
                        schema = nil
                    }
                }
                guard let schema else { continue }
                self.validate(schema, element, pointer: self.child(pointer, String(position)), depth: depth + 1)
                if self.isFinished { return }
            }
        case .object(let object):
            guard let children = node.objectChildren else { return }
            if self.collectsMessages {
                for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                    self.validateMember(name, value, children, pointer: pointer, depth: depth)
                }
            } else {
                for (name, value) in object {
                    self.validateMember(name, value, children, pointer: pointer, depth: depth)
                    if self.isFinished { return }
                }
            }
        default:
            return
        }
    }

    private mutating func validateMember(
        _ name: String,
        _ value: JSONValue,
        _ children: JSONSchemaNode.ObjectChildren,
        pointer: String,
        depth: Int
    ) {
        let memberPointer = self.child(pointer, name)
        var declared = false
        if let schema = children.properties[name] {
            declared = true
            self.validate(schema, value, pointer: memberPointer, depth: depth + 1)
        }
        for (pattern, schema) in children.patternProperties where pattern.matches(name) {
            declared = true
            self.validate(schema, value, pointer: memberPointer, depth: depth + 1)
        }
        if !declared, case .schema(let schema) = children.additionalProperties {
            self.validate(schema, value, pointer: memberPointer, depth: depth + 1)
        }
    }

    // MARK: - Reporting

    private mutating func fail(_ pointer: String, _ message: @autoclosure () -> String) {
        self.failed = true
        if self.collectsMessages {
            self.violations.append(JSONSchemaViolation(pointer: pointer, message: message()))
        }
    }

    private func child(_ pointer: String, _ token: String) -> String {
        guard self.collectsMessages else { return "" }
        var result = pointer
        JSONSchemaURI.append(token, to: &result)
        return result
    }

    private mutating func failForDepth(_ pointer: String) {
        self.exceededDepth = true
        self.fail(pointer, "instance nesting exceeds the validation depth limit (\(Self.depthLimit))")
    }

    /// `true` when `instance` is valid against node `index`. Records no violations of its own, except that
    /// hitting the depth limit fails the whole validation, whatever the keyword would conclude.
    private mutating func matches(_ index: Int, _ instance: JSONValue, pointer: String, depth: Int) -> Bool {
        var nested = JSONSchemaValidator(nodes: self.nodes, collectsMessages: false)
        nested.validate(index, instance, pointer: "", depth: depth + 1)
        if nested.exceededDepth, !self.exceededDepth { self.failForDepth(pointer) }
        return !nested.failed
    }

    /// How many of `schemas` the instance matches, stopping once `limit` matches are found.
    private mutating func countMatches(
        _ schemas: [Int],
        _ instance: JSONValue,
        pointer: String,
        depth: Int,
        limit: Int
    ) -> Int {
        var count = 0
        for schema in schemas where count < limit && self.matches(schema, instance, pointer: pointer, depth: depth) {
            count += 1
        }
        return count
    }

    // MARK: - Keywords

    private mutating func check(_ keyword: JSONSchemaNode.Keyword, _ instance: JSONValue, pointer: String, depth: Int) {
        switch (keyword, instance) {
        case (.additionalItems(let allowed), .array(let elements)) where elements.count > allowed:
            self.fail(
                pointer,
                "schema only allows \(allowed) elements in array but instance has \(elements.count) elements"
            )
        case (.additionalProperties(let children), .object(let object)):
            let unwanted = object.keys.filter { !children.declares($0) }
            guard !unwanted.isEmpty else { return }
            self.fail(
                pointer,
                "object instance has properties which are not allowed by the schema: \(Self.list(unwanted.sorted()))"
            )
        case (.allOf(let schemas), _):
            let matched = self.countMatches(schemas, instance, pointer: pointer, depth: depth, limit: schemas.count)
            guard matched < schemas.count else { return }
            self.fail(
                pointer,
                "instance failed to match all required schemas (matched only \(matched) out of \(schemas.count))"
            )
        case (.anyOf(let schemas), _):
            guard self.countMatches(schemas, instance, pointer: pointer, depth: depth, limit: 1) == 0 else { return }
            self.fail(pointer, "instance failed to match at least one required schema among \(schemas.count)")
        case (.dependencies(let dependencies), .object(let object)):
            self.checkDependencies(dependencies, object, instance, pointer: pointer, depth: depth)
        case (.enumeration(let values, let text), _):
            guard !values.contains(instance.schemaCanonicalBytes) else { return }
            self.fail(pointer, "instance value (\(instance.serialized)) not found in enum (possible values: \(text))")
        case (.format(let format), .string(let string)):
            guard !format.accepts(string) else { return }
            self.fail(pointer, format.message(for: string))
        case (.maxItems(let limit), .array(let elements)) where elements.count > limit:
            self.fail(
                pointer,
                "array is too long: must have at most \(limit) elements but instance has \(elements.count) elements"
            )
        case (.maxLength(let limit), .string(let string)):
            let length = string.unicodeScalars.count
            guard length > limit else { return }
            self.fail(pointer, "string \"\(string)\" is too long (length: \(length), maximum allowed: \(limit))")
        case (.maxProperties(let limit), .object(let object)) where object.count > limit:
            self.fail(
                pointer,
                "object has too many properties (found \(object.count) but schema requires at most \(limit))"
            )
        case (.maximum(let bound), .number(let text)):
            guard let value = JSONSchemaNumber(text) else { return }
            if value > bound.value {
                self.fail(
                    pointer,
                    "numeric instance is greater than the required maximum (maximum: \(bound.text), found: \(text))"
                )
            } else if bound.exclusive, value == bound.value {
                self.fail(pointer, "numeric instance is not strictly lower than the required maximum \(bound.text)")
            }
        case (.minItems(let limit), .array(let elements)) where elements.count < limit:
            self.fail(
                pointer,
                "array is too short: must have at least \(limit) elements but instance has \(elements.count) elements"
            )
        case (.minLength(let limit), .string(let string)):
            let length = string.unicodeScalars.count
            guard length < limit else { return }
            self.fail(pointer, "string \"\(string)\" is too short (length: \(length), required minimum: \(limit))")
        case (.minProperties(let limit), .object(let object)) where object.count < limit:
            self.fail(
                pointer,
                "object has too few properties (found \(object.count) but schema requires at least \(limit))"
            )
        case (.minimum(let bound), .number(let text)):
            guard let value = JSONSchemaNumber(text) else { return }
            if value < bound.value {
                self.fail(
                    pointer,
                    "numeric instance is lower than the required minimum (minimum: \(bound.text), found: \(text))"
                )
            } else if bound.exclusive, value == bound.value {
                self.fail(pointer, "numeric instance is not strictly greater than the required minimum \(bound.text)")
            }
        case (.multipleOf(let divisor, let divisorText), .number(let text)):
            guard let value = JSONSchemaNumber(text), !value.isMultiple(of: divisor) else { return }
            self.fail(pointer, "remainder of division is not zero (\(text) / \(divisorText))")
        case (.not(let schema), _):
            guard self.matches(schema, instance, pointer: pointer, depth: depth) else { return }
            self.fail(pointer, "instance matched a schema which it should not have")
        case (.oneOf(let schemas), _):
            let limit = self.collectsMessages ? schemas.count : 2
            let matched = self.countMatches(schemas, instance, pointer: pointer, depth: depth, limit: limit)
            guard matched != 1 else { return }
            self.fail(
                pointer,
                "instance failed to match exactly one schema (matched \(matched) out of \(schemas.count))"
            )
        case (.pattern(let pattern), .string(let string)):
            guard !pattern.matches(string) else { return }
            self.fail(pointer, "ECMA 262 regex \"\(pattern.source)\" does not match input string \"\(string)\"")
        case (.required(let names), .object(let object)):
            let missing = names.filter { !object.contains(key: $0) }
            guard !missing.isEmpty else { return }
            self.fail(pointer, "object has missing required properties (\(Self.list(missing)))")
        case (.type(let types), _):
            guard !types.admits(instance) else { return }
            let name = JSONSchemaTypes.name(of: instance)
            self.fail(
                pointer,
                "instance type (\(name)) does not match any allowed primitive type (allowed: \(types.names))"
            )
        case (.uniqueItems, .array(let elements)) where elements.count > 1:
            var seen: Set<[UInt8]> = []
            for element in elements where !seen.insert(element.schemaCanonicalBytes).inserted {
                return self.fail(pointer, "array must not contain duplicate elements")
            }
        default:
            break
        }
    }

    private mutating func checkDependencies(
        _ dependencies: [(name: String, dependency: JSONSchemaNode.Dependency)],
        _ object: JSONObject,
        _ instance: JSONValue,
        pointer: String,
        depth: Int
    ) {
        for (name, dependency) in dependencies where object.contains(key: name) {
            switch dependency {
            case .properties(let required):
                let missing = required.filter { !object.contains(key: $0) }
                guard !missing.isEmpty else { continue }
                self.fail(
                    pointer,
                    "property \"\(name)\" of object has missing property dependencies "
                        + "(schema requires \(Self.list(required)); missing: \(Self.list(missing)))"
                )
            case .schema(let schema):
                self.validate(schema, instance, pointer: pointer, depth: depth + 1)
            }
            if self.isFinished { return }
        }
    }

    /// A JSON array of strings (`["a","b"]`).
    private static func list(_ names: [String]) -> String {
        "[" + names.map { JSONValue.quoted($0) }.joined(separator: ",") + "]"
    }
}
