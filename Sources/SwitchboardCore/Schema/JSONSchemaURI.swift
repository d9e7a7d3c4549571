/// URI reference resolution (RFC 3986 §5.2) and JSON pointer fragments (RFC 6901 §6) for `id` and `$ref`.
enum JSONSchemaURI {
    private struct Components {
        var scheme: String?
        var authority: String?
        var path: Substring
        var query: Substring?
        var fragment: Substring?

        init(_ text: String) {
            var rest = Substring(text)
            if let hash = rest.firstIndex(of: "#") {
                self.fragment = rest[rest.index(after: hash)...]
                rest = rest[..<hash]
            }
            if let question = rest.firstIndex(of: "?") {
                self.query = rest[rest.index(after: question)...]
                rest = rest[..<question]
            }
            if let colon = rest.firstIndex(of: ":"), Self.isScheme(rest[..<colon]) {
                self.scheme = String(rest[..<colon])
                rest = rest[rest.index(after: colon)...]
            }
            if rest.hasPrefix("//") {
                let start = rest.index(rest.startIndex, offsetBy: 2)
                let end = rest[start...].firstIndex(of: "/") ?? rest.endIndex
                self.authority = String(rest[start..<end])
                rest = rest[end...]
            }
            self.path = rest
        }

        private static func isScheme(_ text: Substring) -> Bool {
            guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else {
                return false
            }
            return text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "+-.".unicodeScalars.contains(scalar))
            }
        }

        var text: String {
            var output = ""
            if let scheme { output += scheme + ":" }
            if let authority { output += "//" + authority }
            output += self.path
            if let query { output += "?" + query }
            if let fragment { output += "#" + fragment }
            return output
        }
    }

    // MARK: - Resolution

    /// Resolves `reference` against `base` (RFC 3986 §5.2.2, strict).
    ///
    /// - Parameters:
    ///   - reference: A URI reference (`"#/definitions/a"`, `"folder/x.json"`, `"http://h/x"`).
    ///   - base: The base URI; may be empty or itself relative, in which case the result is too.
    /// - Returns: The target URI.
    static func resolve(_ reference: String, against base: String) -> String {
        let ref = Components(reference)
        guard ref.scheme == nil else { return Self.withDotsRemoved(ref).text }
        let baseParts = Components(base)
        var target = ref
        target.scheme = baseParts.scheme
        if ref.authority == nil {
            target.authority = baseParts.authority
            if ref.path.isEmpty {
                target.path = baseParts.path
                target.query = ref.query ?? baseParts.query
            } else if !ref.path.hasPrefix("/") {
                target.path = Self.merge(base: baseParts, reference: ref.path)
            }
        }
        return Self.withDotsRemoved(target).text
    }

    /// Splits a URI at its first `#`.
    ///
    /// - Parameter uri: A URI.
    /// - Returns: The part before the fragment and the fragment (`nil` without `#`).
    static func split(_ uri: String) -> (base: String, fragment: String?) {
        guard let hash = uri.firstIndex(of: "#") else { return (uri, nil) }
        return (String(uri[..<hash]), String(uri[uri.index(after: hash)...]))
    }

    // MARK: - JSON pointers

    /// Decodes a URI fragment holding a JSON pointer (`/definitions/a~1b%25`) into its reference tokens.
    ///
    /// - Parameter fragment: The fragment, without `#`; empty for the whole document.
    /// - Returns: The unescaped tokens, or `nil` when the fragment is not a JSON pointer.
    static func pointerTokens(fromFragment fragment: String) -> [String]? {
        let decoded = Self.percentDecoded(fragment)
        guard !decoded.isEmpty else { return [] }
        guard decoded.hasPrefix("/") else { return nil }
        return decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            String(token.replacing("~1", with: "/").replacing("~0", with: "~"))
        }
    }

    /// Appends one reference token to a JSON pointer, escaping `~` and `/`.
    ///
    /// - Parameters:
    ///   - token: An object member name or array index.
    ///   - pointer: The pointer to extend.
    static func append(_ token: String, to pointer: inout String) {
        pointer += "/"
        for character in token {
            switch character {
            case "~": pointer += "~0"
            case "/": pointer += "~1"
            default: pointer.append(character)
            }
        }
    }

    /// Decodes `%XX` escapes (as UTF-8); malformed escapes are kept literally.
    private static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = Self.hexValue(utf8[index + 1]), let low = Self.hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: - RFC 3986 helpers

    private static func merge(base: Components, reference: Substring) -> Substring {
        if base.authority != nil, base.path.isEmpty { return "/" + reference }
        guard let slash = base.path.lastIndex(of: "/") else { return reference }
        return base.path[...slash] + reference
    }

    /// RFC 3986 §5.2.4 `remove_dot_segments`.
    private static func withDotsRemoved(_ components: Components) -> Components {
        guard components.path.contains(".") else { return components }
        var result = components
        var output: [Substring] = []
        let segments = components.path.split(separator: "/", omittingEmptySubsequences: false)
        let absolute = components.path.hasPrefix("/")
        for (position, segment) in segments.enumerated() {
            if position == 0, absolute { continue }
            switch segment {
            case ".":
                if position == segments.count - 1 { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if position == segments.count - 1 { output.append("") }
            default:
                output.append(segment)
            }
        }
        result.path = Substring((absolute ? "/" : "") + output.joined(separator: "/"))
        return result
    }
}
