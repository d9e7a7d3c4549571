/// A message published to a channel that a ``RedisSubscriber`` listens to.
package struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    package var channel: String
    /// The pattern that matched, for `PSUBSCRIBE` subscriptions; `nil` for `SUBSCRIBE`.
    package var pattern: String?
    /// The published bytes.
    package var payload: [UInt8]

    /// Creates a message.
    /// - Parameters:
    ///   - channel: the channel.
    ///   - pattern: the matching pattern, or `nil`.
    ///   - payload: the bytes.
    package init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// Recognises a RESP2 push: `["message", channel, payload]` or `["pmessage", pattern, channel, payload]`.
    /// - Parameter value: a reply read on a subscribed connection.
    /// - Returns: the message, or `nil` when `value` is a command reply (such as a `subscribe` confirmation).
    init?(push value: RESPValue) {
        guard case .array(let elements) = value, let kind = elements.first?.string else { return nil }
        switch (kind, elements.count) {
        case ("message", 3):
            guard let channel = elements[1].string, let payload = elements[2].bytes else { return nil }
            self.init(channel: channel, payload: payload)
        case ("pmessage", 4):
            guard let pattern = elements[1].string, let channel = elements[2].string,
                let payload = elements[3].bytes
            else { return nil }
            self.init(channel: channel, pattern: pattern, payload: payload)
        default:
            return nil
        }
    }
}
