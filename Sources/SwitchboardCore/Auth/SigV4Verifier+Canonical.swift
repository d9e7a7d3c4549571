/// The canonical request, built byte-for-byte as botocore's `SigV4Auth.canonical_request` builds it.
extension SigV4Verifier {
    /// Builds the canonical request:
    /// `METHOD\nURI\nQUERY\nheaders…\n\nsignedHeaders\npayloadHash`.
    ///
    /// - Parameters:
    ///   - request: The request as received.
    ///   - query: The parsed raw query.
    ///   - signedHeaders: The lowercase names from `SignedHeaders`, in their listed order.
    ///   - payloadHash: The payload-hash line.
    ///   - excludeSignatureParameter: Leaves `X-Amz-Signature` out of the query (presigned requests).
    /// - Returns: The canonical request text.
    static func canonicalRequest(
        _ request: SigV4Request,
        query: [QueryPair],
        signedHeaders: [String],
        payloadHash: String,
        excludeSignatureParameter: Bool
    ) -> String {
        var lines: [String] = []
        lines.append(request.method.uppercased())
        lines.append(Self.canonicalURI(request.rawPath))
        lines.append(Self.canonicalQuery(query, excludeSignatureParameter: excludeSignatureParameter))
        var headerBlock = ""
        for name in signedHeaders {
            headerBlock += name + ":" + request.headerValues(name).map(Self.trimAll).joined(separator: ",") + "\n"
        }
        lines.append(headerBlock)
        lines.append(signedHeaders.joined(separator: ";"))
        lines.append(payloadHash)
        return lines.joined(separator: "\n")
    }

    /// botocore's `quote(normalize_url_path(path), safe='/~')`: dot segments and empty segments removed,
    /// then every byte outside `A-Za-z0-9-_.~/` percent-encoded again (so `%3D` becomes `%253D`).
    /// - Parameter rawPath: The path as received, still percent-encoded.
    /// - Returns: The canonical URI.
    static func canonicalURI(_ rawPath: String) -> String {
        var out: [UInt8] = []
        Self.percentEncode(Self.normalizedPath(Array(rawPath.utf8)), keepSlash: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// botocore's `remove_dot_segments`: drops empty and `.` segments, resolves `..`, keeps a leading slash
    /// and (unless nothing is left) a trailing one. An empty path becomes `/`.
    static func normalizedPath(_ path: [UInt8]) -> [UInt8] {
        guard let first = path.first, let last = path.last else { return [UInt8(ascii: "/")] }
        var segments: [ArraySlice<UInt8>] = []
        for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if segment.elementsEqual([UInt8(ascii: ".")]) { continue }
            if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                _ = segments.popLast()
                continue
            }
            segments.append(segment)
        }
        var out: [UInt8] = first == UInt8(ascii: "/") ? [UInt8(ascii: "/")] : []
        for (index, segment) in segments.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "/")) }
            out.append(contentsOf: segment)
        }
        if last == UInt8(ascii: "/"), !segments.isEmpty { out.append(UInt8(ascii: "/")) }
        return out
    }

    /// Each name and value percent-decoded, re-encoded with only `A-Za-z0-9-_.~` left bare, then sorted by
    /// name and value (byte order) and joined with `&`.
    static func canonicalQuery(_ query: [QueryPair], excludeSignatureParameter: Bool) -> String {
        var pairs: [(name: [UInt8], value: [UInt8])] = []
        pairs.reserveCapacity(query.count)
        for pair in query {
            let name = Self.percentDecoded(pair.rawName.utf8)
            if excludeSignatureParameter, name.elementsEqual("X-Amz-Signature".utf8) { continue }
            var encodedName: [UInt8] = []
            var encodedValue: [UInt8] = []
            Self.percentEncode(name, keepSlash: false, into: &encodedName)
            Self.percentEncode(Self.percentDecoded(pair.rawValue.utf8), keepSlash: false, into: &encodedValue)
            pairs.append((encodedName, encodedValue))
        }
        pairs.sort { lhs, rhs in
            if lhs.name != rhs.name { return lhs.name.lexicographicallyPrecedes(rhs.name) }
            return lhs.value.lexicographicallyPrecedes(rhs.value)
        }
        var out: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            out.append(contentsOf: pair.name)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: pair.value)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Percent encoding

    /// Appends `bytes` with everything but unreserved characters (and `/` when `keepSlash`) as `%XX`.
    static func percentEncode(_ bytes: some Sequence<UInt8>, keepSlash: Bool, into out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if Self.isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is. `+` is not a space.
    static func percentDecoded(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
                let high = Self.hexValue(input[index + 1]), let low = Self.hexValue(input[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    static func percentDecodedString(_ text: Substring) -> String {
        String(decoding: Self.percentDecoded(text.utf8), as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: - Header values

    /// Python's `' '.join(value.split())`: trims whitespace and collapses inner runs to one space.
    static func trimAll(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if Self.isPythonWhitespace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// The characters Python's `str.split()` splits on.
    private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        (0x1C...0x1F).contains(scalar.value) || scalar.properties.isWhitespace
    }
}
