/// A set of draft 4 primitive types, as named by the `type` keyword.
struct JSONSchemaTypes: OptionSet, Sendable {
    let rawValue: UInt8

    static let array = JSONSchemaTypes(rawValue: 1 << 0)
    static let boolean = JSONSchemaTypes(rawValue: 1 << 1)
    static let integer = JSONSchemaTypes(rawValue: 1 << 2)
    static let null = JSONSchemaTypes(rawValue: 1 << 3)
    static let number = JSONSchemaTypes(rawValue: 1 << 4)
    static let object = JSONSchemaTypes(rawValue: 1 << 5)
    static let string = JSONSchemaTypes(rawValue: 1 << 6)

    /// Every type with its name, in the order the Java validator lists them.
    static let named: [(name: String, type: JSONSchemaTypes)] = [
        ("array", .array), ("boolean", .boolean), ("integer", .integer), ("null", .null), ("number", .number),
        ("object", .object), ("string", .string),
    ]

    /// Parses one type name.
    ///
    /// - Parameter name: `"string"`, `"integer"`, …
    /// - Returns: The type, or `nil` for an unknown name.
    static func named(_ name: String) -> JSONSchemaTypes? {
        Self.named.first { $0.name == name }?.type
    }

    /// The type names in the set, quoted and in order, as a JSON array (`["integer","string"]`).
    var names: String {
        let names = Self.named.filter { self.contains($0.type) }.map { JSONValue.quoted($0.name) }
        return "[" + names.joined(separator: ",") + "]"
    }

    /// `true` when `instance` has one of the types; `number` also admits integers.
    func admits(_ instance: JSONValue) -> Bool {
        let type = Self.of(instance)
        if self.contains(type) { return true }
        return type == .integer && self.contains(.number)
    }

    /// The type of an instance. A number is an `integer` only when its text has no fraction or exponent
    /// (`1`, `-20`), as in the draft 4 suite and the Java validator: `1.0` is a `number`.
    static func of(_ instance: JSONValue) -> JSONSchemaTypes {
        switch instance {
        case .null: return .null
        case .bool: return .boolean
        case .string: return .string
        case .array: return .array
        case .object: return .object
        case .number(let text):
            let utf8 = text.utf8
            let digits = utf8.first == UInt8(ascii: "-") ? utf8.dropFirst() : utf8[...]
            let isInteger =
                !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            return isInteger ? .integer : .number
        }
    }

    /// The name of an instance's type (`"integer"`, `"object"`, …).
    static func name(of instance: JSONValue) -> String {
        let type = Self.of(instance)
        return Self.named.first { $0.type == type }?.name ?? "number"
    }
}
