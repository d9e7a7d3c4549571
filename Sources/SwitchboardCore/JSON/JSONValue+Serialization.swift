extension JSONValue {
    /// The compact JSON text of the value (`{"a":1,"b":[true,null]}`): no insignificant whitespace, object
    /// members in order, numbers as their raw text, strings escaped per RFC 8259 (see ``quoted(_:)``).
    package var serialized: String {
        var output = ""
        self.serialize(into: &output)
        return output
    }

    /// Appends the compact JSON text of the value to `output`.
    ///
    /// - Parameter output: The string to append to.
    package func serialize(into output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .number(let raw):
            output += raw
        case .string(let value):
            Self.appendQuoted(value, to: &output)
        case .array(let elements):
            output += "["
            var first = true
            for element in elements {
                if !first { output += "," }
                first = false
                element.serialize(into: &output)
            }
            output += "]"
        case .object(let object):
            object.serialize(into: &output)
        }
    }

    /// A JSON string literal for `string`: quoted, with `"`, `\` and control characters escaped (`\n`, `\r`,
    /// `\t`, `\b`, `\f` in short form, others as `\u00XX`). `/` and non-ASCII characters are kept as is.
    ///
    /// - Parameter string: The raw string.
    /// - Returns: The quoted, escaped literal.
    package static func quoted(_ string: String) -> String {
        var output = ""
        self.appendQuoted(string, to: &output)
        return output
    }

    /// Appends the JSON string literal for `string` to `output` (see ``quoted(_:)``).
    ///
    /// - Parameters:
    ///   - string: The raw string.
    ///   - output: The string to append to.
    package static func appendQuoted(_ string: String, to output: inout String) {
        output += "\""
        let utf8 = string.utf8
        guard utf8.contains(where: Self.needsEscape) else {
            output += string
            output += "\""
            return
        }
        // Copy runs of safe characters as substrings; escapable bytes are ASCII, so run boundaries are
        // always character boundaries.
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if Self.needsEscape(byte) {
                output += string[runStart..<index]
                Self.appendEscape(for: byte, to: &output)
                index = utf8.index(after: index)
                runStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        output += string[runStart..<utf8.endIndex]
        output += "\""
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static let hexDigits: [Character] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
    ]

    private static func appendEscape(for byte: UInt8, to output: inout String) {
        switch byte {
        case UInt8(ascii: "\""): output += "\\\""
        case UInt8(ascii: "\\"): output += "\\\\"
        case 0x0A: output += "\\n"
        case 0x0D: output += "\\r"
        case 0x09: output += "\\t"
        case 0x08: output += "\\b"
        case 0x0C: output += "\\f"
        default:
            output += "\\u00"
            output.append(Self.hexDigits[Int(byte >> 4)])
            output.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    // MARK: - Selection strings

    /// The value as API Gateway stringifies it in a selection expression or parameter mapping: a string is
    /// its raw contents, a number its raw literal, a Boolean `true`/`false`, `null` the empty string, an
    /// array `[` + its elements' selection strings joined by `, ` + `]`, and an object its compact JSON.
    package var selectionString: String {
        switch self {
        case .null:
            return ""
        case .bool(let value):
            return value ? "true" : "false"
        case .number(let raw):
            return raw
        case .string(let value):
            return value
        case .array(let elements):
            var output = "["
            var first = true
            for element in elements {
                if !first { output += ", " }
                first = false
                output += element.selectionString
            }
            output += "]"
            return output
        case .object:
            return self.serialized
        }
    }
}

extension JSONObject {
    /// The compact JSON text of the object, members in order.
    package var serialized: String {
        var output = ""
        self.serialize(into: &output)
        return output
    }

    /// Appends the compact JSON text of the object to `output`.
    ///
    /// - Parameter output: The string to append to.
    package func serialize(into output: inout String) {
        output += "{"
        var first = true
        for (key, value) in self {
            if !first { output += "," }
            first = false
            JSONValue.appendQuoted(key, to: &output)
            output += ":"
            value.serialize(into: &output)
        }
        output += "}"
    }
}
