import SwitchboardCore
import Testing

/// AWS's worked example (AG:http-api-develop-routes).
private let awsRoutes = ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"]

/// (method, path, expected route key, expected parameters).
private let awsCases: [(String, String, String, [String])] = [
    ("GET", "/pets/dog/1", "GET /pets/dog/1", []),
    ("GET", "/pets/dog/2", "GET /pets/dog/{id}", ["id=2"]),
    ("GET", "/pets/cat/1", "GET /pets/{proxy+}", ["proxy=cat/1"]),
    ("POST", "/test/5", "ANY /{proxy+}", ["proxy=test/5"]),
    ("POST", "/pets/dog/1", "ANY /{proxy+}", ["proxy=pets/dog/1"]),
    ("GET", "/pets", "ANY /{proxy+}", ["proxy=pets"]),
    ("GET", "/", "$default", []),
    ("HEAD", "/pets/dog/1", "ANY /{proxy+}", ["proxy=pets/dog/1"]),
]

/// (route key, part of the expected reason).
private let invalidKeys: [(String, String)] = [
    ("GET /a/{p+}/b", "must be the last segment"),
    ("GET /{p+}/{q}", "must be the last segment"),
    ("FETCH /a", "unknown method 'FETCH'"),
    ("get /a", "unknown method 'get'"),
    ("any /a", "unknown method 'any'"),
    ("GET", "'$default' or 'METHOD /path'"),
    ("", "'$default' or 'METHOD /path'"),
    ("/pets", "'$default' or 'METHOD /path'"),
    ("GET pets", "must start with '/'"),
    ("GET  /pets", "must start with '/'"),
    ("GET /pets/", "must not end with '/'"),
    ("GET //", "must not end with '/'"),
    ("GET /a//b", "empty segment"),
    ("GET /a{b}", "whole segment"),
    ("GET /{a}b", "whole segment"),
    ("GET /{a", "whole segment"),
    ("GET /a}", "whole segment"),
    ("GET /{{a}}", "whole segment"),
    ("GET /{}", "invalid path variable name"),
    ("GET /{+}", "invalid path variable name"),
    ("GET /{a b}", "invalid path variable name"),
    ("GET /{a+b}", "invalid path variable name"),
    ("GET /{a}/{a}", "duplicate path variable name 'a'"),
    ("GET /{a}/{a+}", "duplicate path variable name 'a'"),
    ("GET /a b", "invalid character ' '"),
    ("GET /a?b=1", "invalid character '?'"),
    ("GET /a#b", "invalid character '#'"),
    ("GET /caf\u{E9}", "invalid character"),
    ("$connect", "only special route key"),
    ("$Default", "only special route key"),
]

private let validKeys = [
    "$default", "GET /", "ANY /", "GET /pets", "POST /pets/{petId}", "PUT /a/{b}/c/{d}", "PATCH /{proxy+}",
    "DELETE /a/{rest+}", "HEAD /v1.0/items_x-y", "OPTIONS /a/{b}/{c+}", "GET /a:b/c,d/~e/%20/$f/@g/'h'",
    "GET /{id.v2}/{x-y}", "GET /CaseSensitive",
]

struct HTTPRouteTableTests {
    private func match(_ table: HTTPRouteTable, _ method: String, _ path: String) -> String? {
        table.match(method: method, path: path)?.key
    }

    // MARK: - AWS's worked example

    @Test("matches AWS's worked example", arguments: awsCases)
    func awsExample(method: String, path: String, key: String, parameters: [String]) throws {
        let table = try HTTPRouteTable(routeKeys: awsRoutes)
        let match = try #require(table.match(method: method, path: path))
        #expect(match.key == key)
        #expect(match.index == awsRoutes.firstIndex(of: key))
        #expect(match.pathParameters.map { "\($0.name)=\($0.value)" } == parameters)
    }

    @Test("reports the index, key and method key")
    func matchFields() throws {
        let table = try HTTPRouteTable(routeKeys: awsRoutes)
        #expect(
            table.match(method: "GET", path: "/pets/dog/7")
                == RouteMatch(index: 1, key: "GET /pets/dog/{id}", methodKey: "GET", pathParameters: [("id", "7")])
        )
        #expect(
            table.match(method: "DELETE", path: "/x")
                == RouteMatch(index: 3, key: "ANY /{proxy+}", methodKey: "ANY", pathParameters: [("proxy", "x")])
        )
        #expect(table.match(method: "GET", path: "/") == RouteMatch(index: 4, key: "$default", methodKey: "$default"))
        #expect(table.match(method: "GET", path: "/pets/dog/7")?.pathParameter("id") == "7")
        #expect(table.match(method: "GET", path: "/pets/dog/7")?.pathParameter("proxy") == nil)
    }

    // MARK: - Tiers and specificity

    @Test("without $default an unmatched request gets nil")
    func noMatch() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets", "GET /pets/{id}", "POST /pets/{proxy+}"])
        #expect(self.match(table, "GET", "/cats") == nil)
        #expect(self.match(table, "GET", "/") == nil)
        #expect(self.match(table, "DELETE", "/pets") == nil)
        #expect(self.match(table, "GET", "/pets/1/toys") == nil)
        #expect(self.match(table, "POST", "/pets") == nil)
        #expect(try HTTPRouteTable(routeKeys: []).match(method: "GET", path: "/") == nil)
    }

    @Test("$default catches every method and path nothing else matches")
    func defaultRoute() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets", "$default"])
        #expect(self.match(table, "GET", "/pets") == "GET /pets")
        for (method, path) in [("POST", "/pets"), ("GET", "/"), ("get", "/pets"), ("TRACE", "/x/y"), ("", "")] {
            #expect(self.match(table, method, path) == "$default")
        }
        let onlyDefault = try HTTPRouteTable(routeKeys: ["$default"])
        #expect(onlyDefault.match(method: "PUT", path: "/any/thing")?.pathParameters.isEmpty == true)
    }

    @Test("a route without a greedy variable beats a more specific greedy one")
    func exactTierFirst() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets/{proxy+}", "GET /{a}/{b}/{c}", "GET /pets/dog/{x+}"])
        #expect(self.match(table, "GET", "/pets/dog/1") == "GET /{a}/{b}/{c}")
        #expect(self.match(table, "GET", "/pets/dog/1/2") == "GET /pets/dog/{x+}")
        #expect(self.match(table, "GET", "/pets/cat/1/2") == "GET /pets/{proxy+}")
    }

    @Test("a literal beats a variable, compared from the left")
    func literalBeatsVariable() throws {
        let table = try HTTPRouteTable(routeKeys: [
            "GET /{kind}/dog/toys", "GET /pets/{id}/toys", "GET /pets/{id}/{what}", "GET /{a}/{b}/{c}",
        ])
        #expect(self.match(table, "GET", "/pets/dog/toys") == "GET /pets/{id}/toys")
        #expect(self.match(table, "GET", "/pets/dog/food") == "GET /pets/{id}/{what}")
        #expect(self.match(table, "GET", "/cats/dog/toys") == "GET /{kind}/dog/toys")
        #expect(self.match(table, "GET", "/cats/cow/toys") == "GET /{a}/{b}/{c}")
    }

    @Test("the most specific greedy route wins")
    func greedySpecificity() throws {
        let table = try HTTPRouteTable(routeKeys: [
            "GET /{proxy+}", "GET /pets/{proxy+}", "GET /pets/{id}/{rest+}", "GET /pets/dog/{more+}",
        ])
        #expect(self.match(table, "GET", "/cats/1") == "GET /{proxy+}")
        #expect(self.match(table, "GET", "/pets/1") == "GET /pets/{proxy+}")
        #expect(self.match(table, "GET", "/pets/1/2") == "GET /pets/{id}/{rest+}")
        #expect(self.match(table, "GET", "/pets/dog/2") == "GET /pets/dog/{more+}")
        #expect(self.match(table, "GET", "/pets/dog") == "GET /pets/{proxy+}")
        #expect(self.match(table, "GET", "/pets") == "GET /{proxy+}")
    }

    @Test("backtracks out of a literal branch that fails deeper")
    func backtracking() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /a/b/c", "GET /a/{x}/d", "GET /{y}/b/e"])
        #expect(self.match(table, "GET", "/a/b/c") == "GET /a/b/c")
        #expect(self.match(table, "GET", "/a/b/d") == "GET /a/{x}/d")
        #expect(self.match(table, "GET", "/a/b/e") == "GET /{y}/b/e")
        #expect(self.match(table, "GET", "/a/b/f") == nil)
    }

    // MARK: - Methods

    @Test("an explicit method beats ANY on the same path, in both tiers")
    func explicitBeatsAny() throws {
        let table = try HTTPRouteTable(routeKeys: [
            "ANY /pets", "GET /pets", "ANY /files/{p+}", "PUT /files/{p+}",
        ])
        #expect(table.match(method: "GET", path: "/pets")?.methodKey == "GET")
        #expect(table.match(method: "POST", path: "/pets")?.methodKey == "ANY")
        #expect(table.match(method: "PUT", path: "/files/a")?.key == "PUT /files/{p+}")
        #expect(table.match(method: "GET", path: "/files/a")?.key == "ANY /files/{p+}")
    }

    @Test("the path is chosen before the method")
    func pathBeforeMethod() throws {
        let table = try HTTPRouteTable(routeKeys: ["ANY /pets/dog", "GET /pets/{id}", "POST /pets/cat"])
        #expect(self.match(table, "GET", "/pets/dog") == "ANY /pets/dog")
        // A path with routes for other methods only is passed over.
        #expect(self.match(table, "GET", "/pets/cat") == "GET /pets/{id}")
        #expect(self.match(table, "POST", "/pets/cat") == "POST /pets/cat")
        #expect(self.match(table, "POST", "/pets/cow") == nil)
    }

    @Test("HEAD is not GET")
    func headIsNotGet() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets"])
        #expect(self.match(table, "GET", "/pets") == "GET /pets")
        #expect(self.match(table, "HEAD", "/pets") == nil)
        let withHead = try HTTPRouteTable(routeKeys: ["GET /pets", "HEAD /pets"])
        #expect(self.match(withHead, "HEAD", "/pets") == "HEAD /pets")
    }

    @Test("methods are case-sensitive; ANY and $default match any method token")
    func methodCase() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets", "ANY /any"])
        #expect(self.match(table, "get", "/pets") == nil)
        #expect(self.match(table, "Get", "/pets") == nil)
        #expect(self.match(table, "get", "/any") == "ANY /any")
        #expect(self.match(table, "PROPFIND", "/any") == "ANY /any")
        #expect(self.match(table, "ANY", "/pets") == nil)
        #expect(self.match(table, "ANY", "/any") == "ANY /any")
    }

    @Test(
        "every explicit method matches only itself",
        arguments: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    )
    func eachMethod(method: String) throws {
        let all = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        let table = try HTTPRouteTable(routeKeys: all.map { "\($0) /r" })
        #expect(
            table.match(method: method, path: "/r")
                == RouteMatch(index: all.firstIndex(of: method) ?? -1, key: "\(method) /r", methodKey: method)
        )
        let single = try HTTPRouteTable(routeKeys: ["\(method) /r"])
        for other in all where other != method {
            #expect(single.match(method: other, path: "/r") == nil)
        }
    }

    // MARK: - Paths

    @Test("the root route matches /, the empty path and slashes only")
    func root() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /", "GET /{proxy+}"])
        for path in ["/", "", "//", "///"] {
            #expect(self.match(table, "GET", path) == "GET /")
        }
        #expect(self.match(table, "GET", "/a") == "GET /{proxy+}")
        let noRoot = try HTTPRouteTable(routeKeys: ["GET /{proxy+}", "GET /{id}"])
        #expect(self.match(noRoot, "GET", "/") == nil)
    }

    @Test("trailing slashes are ignored for matching and dropped from values")
    func trailingSlash() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets", "GET /pets/{id}", "GET /files/{path+}"])
        #expect(self.match(table, "GET", "/pets/") == "GET /pets")
        #expect(self.match(table, "GET", "/pets//") == "GET /pets")
        #expect(table.match(method: "GET", path: "/pets/7/")?.pathParameter("id") == "7")
        #expect(table.match(method: "GET", path: "/files/a/b/")?.pathParameter("path") == "a/b")
        #expect(self.match(table, "GET", "/files/") == nil)
    }

    @Test("a greedy variable needs at least one segment and takes the rest of the path")
    func greedyValues() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets/{proxy+}", "GET /{id}/x/{rest+}"])
        #expect(self.match(table, "GET", "/pets") == nil)
        #expect(table.match(method: "GET", path: "/pets/a")?.pathParameter("proxy") == "a")
        #expect(table.match(method: "GET", path: "/pets/a/b/c.json")?.pathParameter("proxy") == "a/b/c.json")
        #expect(table.match(method: "GET", path: "/pets/a//b")?.pathParameter("proxy") == "a//b")
        #expect(table.match(method: "GET", path: "/pets//b")?.pathParameter("proxy") == "/b")
        #expect(
            table.match(method: "GET", path: "/7/x/y/z")?.pathParameters.map { "\($0.name)=\($0.value)" }
                == ["id=7", "rest=y/z"]
        )
    }

    @Test("empty segments match no literal or {name}")
    func emptySegments() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /a/b", "GET /a/{id}/c", "GET /{x}", "$default"])
        #expect(self.match(table, "GET", "/a//b") == "$default")
        #expect(self.match(table, "GET", "/a//c") == "$default")
        #expect(self.match(table, "GET", "//a") == "$default")
        #expect(self.match(table, "GET", "/a") == "GET /{x}")
    }

    @Test("values are raw, not percent-decoded, and paths compare byte for byte")
    func rawValues() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /users/{name}", "GET /files/{p+}", "GET /caf%C3%A9", "GET /K"])
        #expect(table.match(method: "GET", path: "/users/a%20b")?.pathParameter("name") == "a%20b")
        #expect(table.match(method: "GET", path: "/users/a+b")?.pathParameter("name") == "a+b")
        #expect(table.match(method: "GET", path: "/users/%2F")?.pathParameter("name") == "%2F")
        #expect(table.match(method: "GET", path: "/files/a%2Fb/c")?.pathParameter("p") == "a%2Fb/c")
        #expect(table.match(method: "GET", path: "/users/caf\u{E9}")?.pathParameter("name") == "caf\u{E9}")
        #expect(self.match(table, "GET", "/caf%C3%A9") == "GET /caf%C3%A9")
        #expect(self.match(table, "GET", "/caf%c3%a9") == nil)
        #expect(self.match(table, "GET", "/\u{212A}") == nil)  // KELVIN SIGN is canonically "K"
        #expect(self.match(table, "GET", "/k") == nil)
    }

    @Test("a path without a leading slash is read as if it had one")
    func noLeadingSlash() throws {
        let table = try HTTPRouteTable(routeKeys: ["GET /pets/{id}"])
        #expect(table.match(method: "GET", path: "pets/1")?.pathParameter("id") == "1")
    }

    @Test("hostile paths never trap")
    func hostilePaths() throws {
        let table = try HTTPRouteTable(routeKeys: awsRoutes + ["GET /{a}/{b}/{c}/{d}"])
        let long = String(repeating: "/x", count: 10_000)
        for path in ["", "/", "//", "////", "?", "/%", "/\u{0}", "/\u{301}", "/a/\u{301}/b", "/🐶/🐱", long, "x/"] {
            #expect(table.match(method: "GET", path: path) != nil)
        }
        #expect(table.match(method: "GET", path: long)?.pathParameter("proxy")?.utf8.count == 19_999)
    }

    @Test("matches in a table of 300 routes")
    func manyRoutes() throws {
        var keys: [String] = []
        for index in 0..<100 {
            keys += ["GET /r\(index)", "POST /r\(index)/{id}", "ANY /r\(index)/{id}/{rest+}"]
        }
        let table = try HTTPRouteTable(routeKeys: keys)
        for index in stride(from: 0, to: 100, by: 7) {
            #expect(table.match(method: "GET", path: "/r\(index)")?.index == 3 * index)
            #expect(table.match(method: "POST", path: "/r\(index)/9")?.index == 3 * index + 1)
            #expect(table.match(method: "GET", path: "/r\(index)/9/a/b")?.index == 3 * index + 2)
            #expect(table.match(method: "GET", path: "/r\(index)/9") == nil)
        }
    }

    // MARK: - Validation

    @Test("rejects malformed route keys with a reason", arguments: invalidKeys)
    func invalidKey(key: String, reason: String) {
        let message = HTTPRouteTable.validate(routeKey: key)
        #expect(message?.contains(reason) == true, "\(key): \(message ?? "nil")")
        #expect(throws: RouteKeyError.self) { try HTTPRouteTable(routeKeys: ["GET /ok", key]) }
    }

    @Test("accepts well-formed route keys", arguments: validKeys)
    func validKey(key: String) throws {
        #expect(HTTPRouteTable.validate(routeKey: key) == nil)
        _ = try HTTPRouteTable(routeKeys: [key])
    }

    @Test("the error names the key and the reason")
    func errorMessage() {
        #expect(
            throws: RouteKeyError(key: "GET /a/{p+}/b", reason: "greedy path variable {p+} must be the last segment")
        ) {
            try HTTPRouteTable(routeKeys: ["GET /a/{p+}/b"])
        }
        let error = RouteKeyError(key: "FETCH /a", reason: "unknown method")
        #expect(error.message == "invalid route 'FETCH /a': unknown method")
        #expect(error.description == error.message)
    }

    @Test("rejects duplicate route keys and keys differing only in variable names")
    func duplicates() {
        #expect(throws: RouteKeyError(key: "GET /pets", reason: "duplicate route key")) {
            try HTTPRouteTable(routeKeys: ["GET /pets", "POST /pets", "GET /pets"])
        }
        #expect(throws: RouteKeyError(key: "$default", reason: "duplicate route key")) {
            try HTTPRouteTable(routeKeys: ["$default", "$default"])
        }
        #expect(
            throws: RouteKeyError(key: "GET /pets/{petId}", reason: "conflicts with route key 'GET /pets/{id}'")
        ) {
            try HTTPRouteTable(routeKeys: ["GET /pets/{id}", "GET /pets/{petId}"])
        }
        #expect(throws: RouteKeyError.self) { try HTTPRouteTable(routeKeys: ["ANY /{a+}", "ANY /{b+}"]) }
    }

    @Test("accepts the same path for different methods and different shapes for one method")
    func noFalseConflicts() throws {
        _ = try HTTPRouteTable(routeKeys: [
            "GET /pets/{id}", "ANY /pets/{id}", "POST /pets/{petId}", "GET /pets/{id}/{rest+}", "GET /pets/{p+}",
            "GET /pets/dog", "GET /pets", "GET /", "ANY /", "$default",
        ])
    }
}
