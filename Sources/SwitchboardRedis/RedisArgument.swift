/// One binary-safe argument of a Redis command: `["SET", .string(key), .bytes(payload), "PX", .integer(ms)]`.
package struct RedisArgument: Sendable, Hashable {
    /// The argument's bytes, sent verbatim.
    package var bytes: [UInt8]

    /// Creates an argument from raw bytes.
    /// - Parameter bytes: sent verbatim; may contain `\r\n` and NUL.
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Creates an argument from a string's UTF-8 bytes.
    /// - Parameter string: the text.
    package init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// An argument holding `string`'s UTF-8 bytes.
    /// - Parameter string: the text.
    /// - Returns: the argument.
    package static func string(_ string: String) -> RedisArgument {
        RedisArgument(string)
    }

    /// An argument holding raw bytes.
    /// - Parameter bytes: sent verbatim.
    /// - Returns: the argument.
    package static func bytes(_ bytes: [UInt8]) -> RedisArgument {
        RedisArgument(bytes: bytes)
    }

    /// An argument holding an integer in decimal, as Redis expects for counts, TTLs and indexes.
    /// - Parameter value: the integer.
    /// - Returns: the argument.
    package static func integer(_ value: some BinaryInteger) -> RedisArgument {
        RedisArgument(String(value))
    }
}

extension RedisArgument: ExpressibleByStringLiteral {
    /// Creates an argument from a literal, so commands read `["GET", .string(key)]`.
    /// - Parameter value: the literal.
    package init(stringLiteral value: String) {
        self.init(value)
    }
}

extension RedisArgument: ExpressibleByIntegerLiteral {
    /// Creates an argument from an integer literal, sent in decimal.
    /// - Parameter value: the literal.
    package init(integerLiteral value: Int) {
        self.init(String(value))
    }
}
