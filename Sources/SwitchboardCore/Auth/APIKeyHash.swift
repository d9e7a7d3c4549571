internal import Crypto

/// Hashing of API key values: only the SHA-256 is kept in memory.
package enum APIKeyHash {
    /// The lower-case hex SHA-256 of a key value.
    package static func sha256Hex(_ value: String) -> String {
        SHA256.hash(data: Array(value.utf8)).map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }
}
