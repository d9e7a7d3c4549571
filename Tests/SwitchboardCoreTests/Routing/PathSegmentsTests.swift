import SwitchboardCore
import Testing

struct PathSegmentsTests {
    @Test(
        "non-empty segments, as String.split on Character would give them for URL paths",
        arguments: [
            ("/", [String]()), ("", []), ("///", []), ("/dev", ["dev"]), ("dev", ["dev"]),
            ("/dev/@connections/abc=", ["dev", "@connections", "abc="]), ("/a//b/", ["a", "b"]),
            ("//a/b//c", ["a", "b", "c"]), ("/caf%C3%A9/ü/日本", ["caf%C3%A9", "ü", "日本"]),
        ]
    )
    func splits(_ path: String, _ expected: [String]) {
        #expect(PathSegments.nonEmpty(of: path).map(String.init) == expected)
        #expect(PathSegments.nonEmpty(of: path[...]).map(String.init) == expected)
        #expect(PathSegments.nonEmpty(of: path).map(String.init) == path.split(separator: "/").map(String.init))
    }

    @Test("a / followed by a combining mark still splits (bytes, not graphemes)")
    func combiningMark() {
        #expect(PathSegments.nonEmpty(of: "/a/\u{301}b").map(String.init) == ["a", "\u{301}b"])
    }

    @Test("segments of a substring stay within it")
    func substring() {
        let full = "/skip/dev/items"
        let tail = full.dropFirst(5)
        #expect(PathSegments.nonEmpty(of: tail).map(String.init) == ["dev", "items"])
    }

    @Test(
        "all segments keep the empty ones between, before and after slashes",
        arguments: [("", [""]), ("a", ["a"]), ("a//b", ["a", "", "b"]), ("/a/", ["", "a", ""]), ("/", ["", ""])]
    )
    func all(_ path: String, _ expected: [String]) {
        #expect(PathSegments.all(of: path[...]).map(String.init) == expected)
        #expect(
            PathSegments.all(of: path[...]).map(String.init)
                == path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        )
    }
}
