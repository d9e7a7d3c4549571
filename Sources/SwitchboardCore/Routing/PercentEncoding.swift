/// Percent-encoding (RFC 3986) for URLs that integrations build, and percent-decoding for request paths
/// and query strings.
package enum PercentEncoding {
    /// Encodes a query component (RFC 3986 unreserved characters stay).
    /// - Parameter text: the raw text.
    /// - Returns: the encoded text.
    package static func queryComponent(_ text: String) -> String {
        self.encode(text, keep: "")
    }

    /// Encodes pairs as a query string, `a=1&b=x%20y`, in order.
    /// - Parameter pairs: the raw names and values.
    /// - Returns: the encoded query (empty for no pairs).
    package static func queryString(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { self.queryComponent($0.name) + "=" + self.queryComponent($0.value) }.joined(separator: "&")
    }

    /// Appends an encoded query to a URL, after `?` or, when the URL has a query already, `&`.
    /// - Parameters:
    ///   - query: the encoded query; nothing is appended when it is empty.
    ///   - url: the URL.
    /// - Returns: the URL with the query.
    package static func appending(query: String, to url: String) -> String {
        guard !query.isEmpty else { return url }
        return url + (url.contains("?") ? "&" : "?") + query
    }

    /// Splits a raw query string into decoded pairs, in order, as API Gateway reads query strings: `&`-separated
    /// pieces split at their first `=` (a piece without `=` has the value `""`), empty pieces skipped, names and
    /// values percent-decoded with `+` as a space.
    /// - Parameter raw: the query string without `?`.
    /// - Returns: the pairs.
    package static func queryPairs(_ raw: String) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for piece in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = piece.firstIndex(of: "=") {
                pairs.append((self.decode(piece[..<equals]), self.decode(piece[piece.index(after: equals)...])))
            } else {
                pairs.append((self.decode(piece), ""))
            }
        }
        return pairs
    }

    /// Encodes a path segment.
    /// - Parameters:
    ///   - text: the raw text.
    ///   - keep: extra characters to leave as they are.
    /// - Returns: the encoded text.
    package static func encode(_ text: String, keep: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        let extra = Set(keep.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                if extra.contains(byte) {
                    out.append(byte)
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`, as in query strings).
    /// - Parameters:
    ///   - text: the encoded text.
    ///   - plusIsSpace: whether `+` means a space.
    /// - Returns: the decoded text (invalid UTF-8 repaired).
    package static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String {
        // Bytes, not Characters: this runs on every `@connections` path.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) })
        else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = Self.hex(iterator[iterator.startIndex]),
                let low = Self.hex(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
