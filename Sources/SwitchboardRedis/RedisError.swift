/// Every failure the Redis client reports. The gateway maps all of them to a 5xx for cross-node operations.
package enum RedisError: Error, Sendable, Hashable {
    /// The client is not connected (Redis down or reconnecting): the command was not sent.
    case unavailable
    /// No reply arrived within the command's timeout. The connection was closed, because a late reply would
    /// otherwise be matched with the next command; the client reconnects.
    case timeout(Duration)
    /// The connection closed before the reply arrived (server gone, or another command on it timed out).
    case connectionClosed
    /// The server answered with an error reply (`-ERR ...`, `-WRONGPASS ...`).
    case server(String)
    /// The bytes from the server are not valid RESP; the connection was closed.
    case protocolError(String)
    /// The command cannot be encoded (no arguments, or out of memory).
    case invalidCommand(String)
    /// The Redis URL is malformed.
    case invalidURL(String)
}

extension RedisError: CustomStringConvertible {
    /// A sentence fit for logs and for a 5xx body's log line.
    package var description: String {
        switch self {
        case .unavailable:
            return "Redis is unavailable (not connected)"
        case .timeout(let duration):
            return "Redis command timed out after \(duration); the connection was closed"
        case .connectionClosed:
            return "Redis connection closed before the reply arrived"
        case .server(let message):
            return "Redis error reply: \(message)"
        case .protocolError(let message):
            return "Redis protocol error: \(message)"
        case .invalidCommand(let message):
            return "invalid Redis command: \(message)"
        case .invalidURL(let message):
            return "invalid Redis URL: \(message)"
        }
    }
}

extension RedisError {
    /// A short, bounded label for the `sb.error.type` log key (never the server's message).
    var errorType: String {
        switch self {
        case .unavailable: "redis_unavailable"
        case .timeout: "redis_timeout"
        case .connectionClosed: "redis_connection_closed"
        case .server: "redis_server_error"
        case .protocolError: "redis_protocol_error"
        case .invalidCommand: "redis_invalid_command"
        case .invalidURL: "redis_invalid_url"
        }
    }
}
