/// One RESP2 reply, as decoded by ``RESPDecoder``.
///
/// RESP2's null bulk string (`$-1`) and null array (`*-1`) both decode to ``null``: hiredis does not tell them
/// apart, and no command gives them different meanings.
package enum RESPValue: Sendable, Hashable {
    /// A simple string (`+OK`).
    case simpleString(String)
    /// An error reply (`-ERR unknown command`); ``RedisConnection/send(_:timeout:)`` throws top-level ones as
    /// ``RedisError/server(_:)``, so this case is seen only inside arrays (for example in `EXEC` results).
    case error(String)
    /// An integer (`:42`).
    case integer(Int64)
    /// A binary-safe bulk string (`$3\r\nabc`).
    case bulkString([UInt8])
    /// An array (`*2\r\n...`).
    case array([RESPValue])
    /// A null bulk string or null array.
    case null
}

extension RESPValue {
    /// The bytes of a bulk or simple string; `nil` for every other case.
    package var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let string): Array(string.utf8)
        default: nil
        }
    }

    /// A bulk or simple string decoded as UTF-8 (invalid sequences repaired); `nil` for every other case.
    package var string: String? {
        switch self {
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .simpleString(let string): string
        default: nil
        }
    }

    /// An integer reply, or a bulk string that holds a decimal integer (as `GET` on a counter returns);
    /// `nil` otherwise.
    package var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply; `nil` for every other case.
    package var array: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the null reply.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension RESPValue: CustomStringConvertible {
    /// A short, redis-cli-like rendering for logs and test failures.
    package var description: String {
        switch self {
        case .simpleString(let string): return string
        case .error(let message): return "(error) \(message)"
        case .integer(let value): return "(integer) \(value)"
        case .bulkString(let bytes): return "\"\(String(decoding: bytes, as: UTF8.self))\""
        case .null: return "(nil)"
        case .array(let elements): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
