/// Base64 encoding and decoding (RFC 4648) with the standard and URL-safe alphabets.
package enum Base64 {
    /// Which 64-character alphabet to use.
    package enum Alphabet: Sendable {
        /// `A-Z a-z 0-9 + /` (RFC 4648 section 4).
        case standard
        /// `A-Z a-z 0-9 - _` (RFC 4648 section 5).
        case url
    }

    /// Encodes bytes.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to encode.
    ///   - alphabet: The alphabet; `.standard` by default.
    ///   - padding: Whether to pad the output with `=` to a multiple of four characters; `true` by default.
    /// - Returns: The encoded text.
    package static func encode(
        _ bytes: some Collection<UInt8>,
        alphabet: Alphabet = .standard,
        padding: Bool = true
    ) -> String {
        let input = Array(bytes)
        let fullGroups = input.count / 3
        let remainder = input.count % 3
        let tailLength = remainder == 0 ? 0 : (padding ? 4 : remainder + 1)
        let outputLength = fullGroups * 4 + tailLength
        guard outputLength > 0 else { return "" }
        let table = Self.encodingTable(alphabet)
        return String(unsafeUninitializedCapacity: outputLength) { output in
            var out = 0
            var position = 0
            while position + 3 <= input.count {
                let chunk =
                    UInt32(input[position]) << 16 | UInt32(input[position + 1]) << 8 | UInt32(input[position + 2])
                output[out] = table[Int(chunk >> 18 & 0x3F)]
                output[out + 1] = table[Int(chunk >> 12 & 0x3F)]
                output[out + 2] = table[Int(chunk >> 6 & 0x3F)]
                output[out + 3] = table[Int(chunk & 0x3F)]
                position += 3
                out += 4
            }
            if remainder > 0 {
                let second = remainder == 2 ? UInt32(input[position + 1]) : 0
                let chunk = UInt32(input[position]) << 16 | second << 8
                output[out] = table[Int(chunk >> 18 & 0x3F)]
                output[out + 1] = table[Int(chunk >> 12 & 0x3F)]
                out += 2
                if remainder == 2 {
                    output[out] = table[Int(chunk >> 6 & 0x3F)]
                    out += 1
                } else if padding {
                    output[out] = UInt8(ascii: "=")
                    out += 1
                }
                if padding {
                    output[out] = UInt8(ascii: "=")
                    out += 1
                }
            }
            return out
        }
    }

    /// Decodes text. Padding is optional, but when present it must be correct; any character outside the
    /// alphabet (including whitespace) makes the input invalid.
    ///
    /// - Parameters:
    ///   - text: The encoded text.
    ///   - alphabet: The alphabet; `.standard` by default.
    /// - Returns: The decoded bytes, or `nil` when `text` is not valid Base64 in that alphabet.
    package static func decode(_ text: String, alphabet: Alphabet = .standard) -> [UInt8]? {
        var utf8 = Array(text.utf8)
        if utf8.count % 4 == 0, utf8.last == UInt8(ascii: "=") {
            utf8.removeLast()
            if utf8.last == UInt8(ascii: "=") { utf8.removeLast() }
        }
        guard utf8.count % 4 != 1 else { return nil }
        let table = Self.decodingTable(alphabet)
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in utf8 {
            let value = table[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    // MARK: - Tables

    private static let standardEncoding: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )
    private static let urlEncoding: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )
    private static let standardDecoding: [UInt8] = Self.makeDecodingTable(Self.standardEncoding)
    private static let urlDecoding: [UInt8] = Self.makeDecodingTable(Self.urlEncoding)

    /// The 64 characters of `alphabet`, indexed by 6-bit value.
    static func encodingTable(_ alphabet: Alphabet) -> [UInt8] {
        alphabet == .standard ? Self.standardEncoding : Self.urlEncoding
    }

    /// 256 entries mapping a byte to its 6-bit value, or `0xFF` for bytes outside `alphabet`.
    static func decodingTable(_ alphabet: Alphabet) -> [UInt8] {
        alphabet == .standard ? Self.standardDecoding : Self.urlDecoding
    }

    private static func makeDecodingTable(_ encoding: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in encoding.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }
}
