/// Splits request paths on `/` bytes. `String.split(separator: "/")` walks Characters (grapheme breaking on every
/// step), which made path splitting a tenth of a local `@connections` post's CPU; a `/` byte in UTF-8 is always
/// a scalar boundary, so splitting the bytes gives the same segments a URL path has.
package enum PathSegments {
    /// The non-empty segments of a path: `/a//b/` → `["a", "b"]`.
    package static func nonEmpty(of path: some StringProtocol) -> [Substring] {
        self.split(Substring(path), keepingEmpty: false)
    }

    /// Every segment between `/` bytes, empty ones included: `a//b` → `["a", "", "b"]`, `""` → `[""]`.
    package static func all(of path: Substring) -> [Substring] {
        self.split(path, keepingEmpty: true)
    }

    private static func split(_ text: Substring, keepingEmpty: Bool) -> [Substring] {
        let slash = UInt8(ascii: "/")
        let utf8 = text.utf8
        var result: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == slash {
                if keepingEmpty || index > start { result.append(text[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if keepingEmpty || start < utf8.endIndex { result.append(text[start..<utf8.endIndex]) }
        return result
    }
}
