internal import Crypto

/// Hashing of API key values: only the SHA-256 is kept in memory.
package enum APIKeyHash {
    /// The lower-case hex SHA-256 of a key value.
    package static func sha256Hex(_ value: String) -> String {
        let digest = SHA256.hash(data: Array(value.utf8))
        return String(unsafeUninitializedCapacity: 64) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = Self.hexDigits[Int(byte >> 4)]
                buffer[index + 1] = Self.hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
