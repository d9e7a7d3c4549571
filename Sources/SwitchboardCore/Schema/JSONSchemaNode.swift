/// One compiled (sub)schema. Subschemas are referred to by their index in ``JSONSchema``'s node table, so
/// `$ref` cycles need no reference types.
struct JSONSchemaNode: Sendable {
    /// What an array allows past its tuple items, or an object past its named and pattern members.
    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(Int)
    }

    /// How `items` applies.
    enum Items: Sendable {
        /// No `items`: every element is valid.
        case none
        /// One schema for every element.
        case single(Int)
        /// One schema per position; `additionalItems` covers the rest.
        case tuple([Int])
    }

    /// A `minimum` or `maximum`.
    struct Bound: Sendable {
        var value: JSONSchemaNumber
        var text: String
        var exclusive: Bool
    }

    /// One entry of `dependencies`.
    enum Dependency: Sendable {
        case properties([String])
        case schema(Int)
    }

    /// The keywords that decide which subschemas apply to an array's elements.
    struct ArrayChildren: Sendable {
        var items: Items = .none
        var additionalItems: Additional = .allowed
    }

    /// The keywords that decide which subschemas apply to an object's members.
    struct ObjectChildren: Sendable {
        var properties: [String: Int] = [:]
        var patternProperties: [(pattern: JSONSchemaPattern, schema: Int)] = []
        var additionalProperties: Additional = .allowed

        /// `true` when `name` is covered by `properties` or `patternProperties`.
        func declares(_ name: String) -> Bool {
            self.properties[name] != nil || self.patternProperties.contains { $0.pattern.matches(name) }
        }
    }

    /// An assertion on the instance itself (not on its children), in keyword-name order as the Java validator
    /// runs them.
    enum Keyword: Sendable {
        /// `additionalItems: false` with tuple `items` of this many positions.
        case additionalItems(allowed: Int)
        /// `additionalProperties: false`.
        case additionalProperties(ObjectChildren)
        case allOf([Int])
        case anyOf([Int])
        case dependencies([(name: String, dependency: Dependency)])
        /// `enum`: the values' canonical texts and the values as written, for the message.
        case enumeration(Set<[UInt8]>, text: String)
        case format(JSONSchemaFormat)
        case maxItems(Int)
        case maxLength(Int)
        case maxProperties(Int)
        case maximum(Bound)
        case minItems(Int)
        case minLength(Int)
        case minProperties(Int)
        case minimum(Bound)
        case multipleOf(JSONSchemaNumber, text: String)
        case not(Int)
        case oneOf([Int])
        case pattern(JSONSchemaPattern)
        case required([String])
        case type(JSONSchemaTypes)
        case uniqueItems
    }

    /// `$ref`: when set, every other keyword is ignored (draft 4).
    var reference: Int?
    var keywords: [Keyword] = []
    var arrayChildren: ArrayChildren?
    var objectChildren: ObjectChildren?

    /// The subschemas validated against the same instance (not a child of it): a loop through these never
    /// terminates.
    var sameInstanceSubschemas: [Int] {
        if let reference = self.reference { return [reference] }
        var result: [Int] = []
        for keyword in self.keywords {
            switch keyword {
            case .allOf(let schemas), .anyOf(let schemas), .oneOf(let schemas):
                result += schemas
            case .not(let schema):
                result.append(schema)
            case .dependencies(let dependencies):
                for (_, dependency) in dependencies {
                    if case .schema(let schema) = dependency { result.append(schema) }
                }
            default:
                break
            }
        }
        return result
    }
}
