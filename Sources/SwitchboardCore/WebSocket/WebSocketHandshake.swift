internal import Crypto

/// Pure pieces of the RFC 6455 opening handshake.
package enum WebSocketHandshake {
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The `Sec-WebSocket-Accept` value for a client key.
    /// - Parameter key: the `Sec-WebSocket-Key` header value.
    /// - Returns: base64(SHA-1(key + GUID)).
    package static func acceptValue(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + self.guid).utf8))
        return Base64.encode(Array(digest))
    }

    /// Whether a `Sec-WebSocket-Key` is well formed: base64 of 16 bytes.
    /// - Parameter key: the header value.
    /// - Returns: whether it decodes to 16 bytes.
    package static func isValidKey(_ key: String) -> Bool {
        key.utf8.count == 24 && Base64.decode(key)?.count == 16
    }
}
