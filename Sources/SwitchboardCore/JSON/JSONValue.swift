/// A JSON value as defined by RFC 8259.
///
/// Numbers keep their raw literal text (`"1"`, `"-2.5e3"`), so values pass through the gateway without
/// precision loss or reformatting. Objects keep their members in insertion order (see ``JSONObject``).
package enum JSONValue: Sendable, Equatable {
    /// The `null` literal.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its raw literal text, for example `"1"` or `"-2.5e3"`.
    case number(String)
    /// A string, already unescaped.
    case string(String)
    /// An array of values.
    case array([JSONValue])
    /// An object with ordered members.
    case object(JSONObject)

    /// Makes a number value from an integer.
    ///
    /// - Parameter value: The integer.
    /// - Returns: `.number` holding the decimal text of `value`.
    package static func integer(_ value: Int) -> JSONValue {
        .number(String(value))
    }

    // MARK: - Accessors

    /// The contents of a `.string`, otherwise `nil`.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members of an `.object`, otherwise `nil`.
    package var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements of an `.array`, otherwise `nil`.
    package var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The value of a `.bool`, otherwise `nil`.
    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// `true` when the value is `.null`.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The integer value of a `.number` that is integral and fits in `Int` (`1`, `-3`, `2.0`, `1e2`),
    /// otherwise `nil`.
    package var intValue: Int? {
        guard case .number(let raw) = self else { return nil }
        if let exact = Int(raw) { return exact }
        guard let double = Double(raw), double.rounded(.towardZero) == double,
            double >= -9.223_372_036_854_775_808e18, double < 9.223_372_036_854_775_808e18
        else { return nil }
        return Int(double)
    }

    /// The value of a `.number` as a `Double` (rounded to the nearest representable value), otherwise `nil`.
    package var doubleValue: Double? {
        guard case .number(let raw) = self else { return nil }
        return Double(raw)
    }

    /// Looks up a member of an `.object`.
    ///
    /// - Parameter key: The member name.
    /// - Returns: The member's value, or `nil` when the value is not an object or has no such member.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// Looks up an element of an `.array`.
    ///
    /// - Parameter index: The zero-based element index.
    /// - Returns: The element, or `nil` when the value is not an array or the index is out of range.
    package subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral {
    /// Makes a `.string` from a string literal.
    ///
    /// - Parameter value: The literal.
    package init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Makes a `.bool` from a Boolean literal.
    ///
    /// - Parameter value: The literal.
    package init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Makes a `.number` from an integer literal.
    ///
    /// - Parameter value: The literal.
    package init(integerLiteral value: Int) {
        self = .number(String(value))
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Makes an `.array` from an array literal.
    ///
    /// - Parameter elements: The elements.
    package init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Makes an `.object` from a dictionary literal, keeping the literal's order (a repeated key keeps its
    /// first position and its last value).
    ///
    /// - Parameter elements: The members.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue {
    /// The value at a dotted path of object keys (`claims.sub`); a key that itself holds dots is tried whole
    /// first, so `$context.authorizer.claims.cognito:groups` style names work.
    package func lookup(dottedPath path: Substring) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        if let whole = object[String(path)] { return whole }
        guard let dot = path.firstIndex(of: ".") else { return nil }
        return object[String(path[..<dot])]?.lookup(dottedPath: path[path.index(after: dot)...])
    }
}
