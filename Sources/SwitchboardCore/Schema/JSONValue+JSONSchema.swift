extension JSONValue {
    /// Values nested deeper than this compare by their serialized text below the cut-off level.
    private static let canonicalDepthLimit = 512

    /// A byte form that is equal for values that JSON Schema considers equal: numbers compare numerically
    /// (`1 == 1.0`), object members compare regardless of order, and strings compare by code point (unlike
    /// `String`'s `==`, which treats canonically equivalent strings as equal).
    var schemaCanonicalBytes: [UInt8] {
        var output: [UInt8] = []
        self.appendCanonical(to: &output, depth: 0)
        return output
    }

    private func appendCanonical(to output: inout [UInt8], depth: Int) {
        switch self {
        case .null:
            output.append(UInt8(ascii: "n"))
        case .bool(let value):
            output.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .string(let value):
            Self.appendCanonical(value, to: &output)
        case .number(let text):
            output.append(UInt8(ascii: "#"))
            output += (JSONSchemaNumber(text)?.canonical ?? text).utf8
            output.append(UInt8(ascii: ";"))
        case .array(let elements):
            guard depth < Self.canonicalDepthLimit else {
                output += self.serialized.utf8
                return
            }
            output.append(UInt8(ascii: "["))
            for element in elements {
                element.appendCanonical(to: &output, depth: depth + 1)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard depth < Self.canonicalDepthLimit else {
                output += self.serialized.utf8
                return
            }
            output.append(UInt8(ascii: "{"))
            for (key, value) in object.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                Self.appendCanonical(key, to: &output)
                value.appendCanonical(to: &output, depth: depth + 1)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// A string as `"` + its length + `:` + its UTF-8 bytes, so no content can be mistaken for structure.
    private static func appendCanonical(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        output += String(string.utf8.count).utf8
        output.append(UInt8(ascii: ":"))
        output += string.utf8
    }
}
