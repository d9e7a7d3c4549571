// ASCII case helpers for header names, origins and methods.

extension StringProtocol {
    /// The string with ASCII `A`–`Z` lower-cased and every other byte unchanged.
    var asciiLowercased: String {
        var bytes = Array(self.utf8)
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A {
            bytes[index] |= 0x20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ASCII case-insensitive equality, for header names.
    /// - Parameter other: The string to compare with.
    /// - Returns: `true` when both are equal ignoring ASCII case.
    package func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { Self.asciiLower($0) == Self.asciiLower($1) }
    }

    /// ASCII case-insensitive prefix test.
    /// - Parameter prefix: The prefix, in any case.
    /// - Returns: `true` when the string starts with `prefix` ignoring ASCII case.
    func hasPrefixIgnoringASCIICase(_ prefix: some StringProtocol) -> Bool {
        let bytes = self.utf8
        let prefixBytes = prefix.utf8
        guard bytes.count >= prefixBytes.count else { return false }
        return zip(bytes, prefixBytes).allSatisfy { Self.asciiLower($0) == Self.asciiLower($1) }
    }

    /// Splits a comma-separated header value into trimmed, non-empty elements.
    var commaSeparatedElements: [Substring] {
        self.split(separator: ",").compactMap { element in
            let trimmed = element.drop { $0 == " " || $0 == "\t" }
            guard let last = trimmed.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return nil }
            return Substring(trimmed[...last])
        }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
