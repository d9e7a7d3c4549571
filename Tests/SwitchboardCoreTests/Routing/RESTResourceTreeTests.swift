import SwitchboardCore
import Testing

/// The proxy layout from AG:api-gateway-method-settings-method-request, with static siblings and a root.
private let proxyResources: [(path: String, methods: [String])] = [
    ("/", ["GET"]),
    ("/{proxy+}", ["ANY"]),
    ("/parent", ["GET"]),
    ("/parent/{child}", ["GET", "DELETE"]),
    ("/parent/{child}/{proxy+}", ["ANY", "POST"]),
    ("/pets", ["GET", "POST"]),
    ("/pets/{petId}", ["GET"]),
    ("/pets/{petId}/toys", ["GET"]),
]

/// (method, path, resource, method key, parameters) against ``proxyResources``.
private let proxyCases: [(String, String, String, String, [String])] = [
    ("GET", "/", "/", "GET", []),
    ("GET", "/anything", "/{proxy+}", "ANY", ["proxy=anything"]),
    ("PUT", "/a/b/c", "/{proxy+}", "ANY", ["proxy=a/b/c"]),
    ("GET", "/parent", "/parent", "GET", []),
    ("GET", "/parent/kid", "/parent/{child}", "GET", ["child=kid"]),
    ("DELETE", "/parent/kid", "/parent/{child}", "DELETE", ["child=kid"]),
    ("GET", "/parent/kid/x", "/parent/{child}/{proxy+}", "ANY", ["child=kid", "proxy=x"]),
    ("POST", "/parent/kid/x/y", "/parent/{child}/{proxy+}", "POST", ["child=kid", "proxy=x/y"]),
    ("GET", "/pets", "/pets", "GET", []),
    ("POST", "/pets", "/pets", "POST", []),
    ("GET", "/pets/7", "/pets/{petId}", "GET", ["petId=7"]),
    ("GET", "/pets/7/toys", "/pets/{petId}/toys", "GET", ["petId=7"]),
    // A static sibling of the proxy that fails deeper falls back to the proxy.
    ("GET", "/pets/7/food", "/{proxy+}", "ANY", ["proxy=pets/7/food"]),
    ("GET", "/pets/7/toys/1", "/{proxy+}", "ANY", ["proxy=pets/7/toys/1"]),
    // A more specific resource without the method is passed over.
    ("DELETE", "/pets", "/{proxy+}", "ANY", ["proxy=pets"]),
    ("PUT", "/parent/kid", "/{proxy+}", "ANY", ["proxy=parent/kid"]),
    ("HEAD", "/pets/7", "/{proxy+}", "ANY", ["proxy=pets/7"]),
]

/// (resource path, part of the expected reason).
private let invalidPaths: [(String, String)] = [
    ("/{proxy+}/child", "cannot have children"),
    ("/parent/{proxy+}/{child}", "cannot have children"),
    ("/parent/{child}/{proxy+}/{grandchild+}", "cannot have children"),
    ("/resource{p}", "whole segment"),
    ("/{p}resource", "whole segment"),
    ("/{p", "whole segment"),
    ("/{}", "invalid path variable name"),
    ("/{a}/{a}", "duplicate path variable name"),
    ("pets", "must start with '/'"),
    ("", "must start with '/'"),
    ("/pets/", "must not end with '/'"),
    ("/a//b", "empty segment"),
    ("/a b", "invalid character ' '"),
    ("/a*", "invalid character '*'"),
    ("/a~b", "invalid character '~'"),
    ("/a%20", "invalid character '%'"),
    ("/a+", "invalid character '+'"),
    ("/$a", "invalid character '$'"),
]

struct RESTResourceTreeTests {
    private func match(_ tree: RESTResourceTree, _ method: String, _ path: String) -> String? {
        tree.match(method: method, path: path)?.key
    }

    @Test("matches proxy resources, their static siblings and the root", arguments: proxyCases)
    func proxyLayout(method: String, path: String, resource: String, methodKey: String, parameters: [String]) throws {
        let tree = try RESTResourceTree(resources: proxyResources)
        let match = try #require(tree.match(method: method, path: path))
        #expect(match.key == resource)
        #expect(match.index == proxyResources.firstIndex { $0.path == resource })
        #expect(match.methodKey == methodKey)
        #expect(match.pathParameters.map { "\($0.name)=\($0.value)" } == parameters)
    }

    @Test("reports the index, resource path and method key")
    func matchFields() throws {
        let tree = try RESTResourceTree(resources: proxyResources)
        #expect(
            tree.match(method: "GET", path: "/pets/9")
                == RouteMatch(index: 6, key: "/pets/{petId}", methodKey: "GET", pathParameters: [("petId", "9")])
        )
        #expect(tree.match(method: "GET", path: "/") == RouteMatch(index: 0, key: "/", methodKey: "GET"))
    }

    @Test("a proxy matches its children only, never its own path")
    func proxyNeedsChild() throws {
        let tree = try RESTResourceTree(resources: [("/{proxy+}", ["ANY"]), ("/parent/{proxy+}", ["GET"])])
        #expect(self.match(tree, "GET", "/") == nil)
        #expect(self.match(tree, "GET", "/parent") == "/{proxy+}")
        #expect(self.match(tree, "GET", "/parent/a") == "/parent/{proxy+}")
        #expect(tree.match(method: "GET", path: "/parent/a/b")?.pathParameter("proxy") == "a/b")
        #expect(self.match(tree, "POST", "/parent/a") == "/{proxy+}")
    }

    @Test("a literal child beats the variable child, with backtracking")
    func literalBeatsVariable() throws {
        let tree = try RESTResourceTree(resources: [
            ("/a/b/c", ["GET"]), ("/a/{id}/d", ["GET"]), ("/a/{id}", ["GET"]), ("/a/b", ["POST"]),
        ])
        #expect(self.match(tree, "GET", "/a/b/c") == "/a/b/c")
        #expect(self.match(tree, "GET", "/a/b/d") == "/a/{id}/d")
        #expect(self.match(tree, "GET", "/a/b") == "/a/{id}")
        #expect(self.match(tree, "POST", "/a/b") == "/a/b")
        #expect(self.match(tree, "GET", "/a/b/e") == nil)
        #expect(self.match(tree, "GET", "/a") == nil)
    }

    @Test("specific beats generic level by level, greedy or not")
    func levelByLevel() throws {
        // Unlike an HTTP API, a greedy resource under a literal beats a non-greedy one under a variable.
        let tree = try RESTResourceTree(resources: [("/{a}/{b}/{c}", ["GET"]), ("/pets/{proxy+}", ["GET"])])
        #expect(self.match(tree, "GET", "/pets/dog/1") == "/pets/{proxy+}")
        #expect(self.match(tree, "GET", "/cats/dog/1") == "/{a}/{b}/{c}")
    }

    @Test("an explicit method beats ANY on the same resource")
    func explicitBeatsAny() throws {
        let tree = try RESTResourceTree(resources: [("/pets", ["ANY", "GET"]), ("/{proxy+}", ["GET", "ANY"])])
        #expect(tree.match(method: "GET", path: "/pets")?.methodKey == "GET")
        #expect(tree.match(method: "PATCH", path: "/pets")?.methodKey == "ANY")
        #expect(tree.match(method: "GET", path: "/x")?.methodKey == "GET")
        #expect(tree.match(method: "OPTIONS", path: "/x")?.methodKey == "ANY")
    }

    @Test(
        "ANY stands for exactly the seven methods, case-sensitive",
        arguments: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    )
    func anyCoversSeven(method: String) throws {
        let tree = try RESTResourceTree(resources: [("/r", ["ANY"])])
        #expect(tree.match(method: method, path: "/r") == RouteMatch(index: 0, key: "/r", methodKey: "ANY"))
        #expect(tree.match(method: method.lowercased(), path: "/r") == nil)
    }

    @Test("ANY does not cover other method tokens")
    func anyExcludesOthers() throws {
        let tree = try RESTResourceTree(resources: [("/r", ["ANY"]), ("/{proxy+}", ["ANY"])])
        for method in ["TRACE", "CONNECT", "PROPFIND", "ANY", "get", ""] {
            #expect(tree.match(method: method, path: "/r") == nil)
            #expect(tree.match(method: method, path: "/x") == nil)
        }
    }

    @Test("GET does not match HEAD, and methods are case-sensitive")
    func headIsNotGet() throws {
        let tree = try RESTResourceTree(resources: [("/pets", ["GET"])])
        #expect(self.match(tree, "HEAD", "/pets") == nil)
        #expect(self.match(tree, "get", "/pets") == nil)
        #expect(tree.match(method: "GET", path: "/pets")?.methodKey == "GET")
    }

    @Test("resources without methods, and unlisted parents, never match")
    func noMethods() throws {
        let tree = try RESTResourceTree(resources: [("/pets", []), ("/pets/{petId}/toys", ["GET"])])
        #expect(self.match(tree, "GET", "/pets") == nil)
        #expect(self.match(tree, "GET", "/pets/1") == nil)
        #expect(self.match(tree, "GET", "/") == nil)
        #expect(self.match(tree, "GET", "/pets/1/toys") == "/pets/{petId}/toys")
        #expect(try RESTResourceTree(resources: []).match(method: "GET", path: "/") == nil)
    }

    @Test("trailing slashes are ignored; empty segments match no literal or {name}")
    func slashes() throws {
        let tree = try RESTResourceTree(resources: [
            ("/", ["GET"]), ("/pets", ["GET"]), ("/pets/{petId}", ["GET"]), ("/files/{path+}", ["GET"]),
        ])
        #expect(self.match(tree, "GET", "/pets/") == "/pets")
        #expect(self.match(tree, "GET", "/pets///") == "/pets")
        #expect(tree.match(method: "GET", path: "/pets/3/")?.pathParameter("petId") == "3")
        #expect(self.match(tree, "GET", "//") == "/")
        #expect(self.match(tree, "GET", "") == "/")
        #expect(self.match(tree, "GET", "/pets//3") == nil)
        #expect(self.match(tree, "GET", "//pets") == nil)
        #expect(tree.match(method: "GET", path: "/files/a//b/")?.pathParameter("path") == "a//b")
        #expect(self.match(tree, "GET", "/files/") == nil)
    }

    @Test("path parameter values are raw")
    func rawValues() throws {
        let tree = try RESTResourceTree(resources: [("/users/{name}", ["GET"]), ("/{proxy+}", ["ANY"])])
        #expect(tree.match(method: "GET", path: "/users/a%20b")?.pathParameter("name") == "a%20b")
        #expect(tree.match(method: "GET", path: "/users/%C3%A9")?.pathParameter("name") == "%C3%A9")
        #expect(tree.match(method: "GET", path: "/x/a%2Fb")?.pathParameter("proxy") == "x/a%2Fb")
    }

    @Test("hostile paths never trap")
    func hostilePaths() throws {
        let tree = try RESTResourceTree(resources: proxyResources)
        let long = String(repeating: "/pets", count: 5_000)
        for path in ["?", "/%", "/\u{0}", "/\u{301}", "/pets/\u{301}/toys", "/🐶", long, "pets/1"] {
            #expect(tree.match(method: "GET", path: path) != nil)
        }
        #expect(tree.match(method: "GET", path: long)?.key == "/{proxy+}")
    }

    // MARK: - Validation

    @Test("rejects malformed resource paths with a reason", arguments: invalidPaths)
    func invalidPath(path: String, reason: String) {
        let message = RESTResourceTree.validate(resourcePath: path)
        #expect(message?.contains(reason) == true, "\(path): \(message ?? "nil")")
        #expect(throws: RouteKeyError.self) { try RESTResourceTree(resources: [("/ok", ["GET"]), (path, ["GET"])]) }
    }

    @Test(
        "accepts well-formed resource paths",
        arguments: ["/", "/pets", "/{proxy+}", "/parent/{proxy+}", "/parent/{child}/{proxy+}", "/a_b-c.d,e:f/{id}"]
    )
    func validPath(path: String) throws {
        #expect(RESTResourceTree.validate(resourcePath: path) == nil)
        _ = try RESTResourceTree(resources: [(path, ["ANY"])])
    }

    @Test("a resource has at most one variable child, as in AWS")
    func oneVariableChild() throws {
        let sibling = "A sibling ({bizId}) of this resource already has a variable path part -- only one is allowed"
        #expect(throws: RouteKeyError(key: "/user/{userId}/fans", reason: sibling)) {
            try RESTResourceTree(resources: [("/user/{bizId}/complaint", ["POST"]), ("/user/{userId}/fans", ["GET"])])
        }
        #expect(throws: RouteKeyError.self) {
            try RESTResourceTree(resources: [("/{uid}", ["GET"]), ("/{proxy+}", ["ANY"])])
        }
        #expect(throws: RouteKeyError.self) {
            try RESTResourceTree(resources: [("/a/{proxy+}", ["GET"]), ("/a/{path+}", ["GET"])])
        }
        // The same variable part under one parent, and variables under different parents, are fine.
        _ = try RESTResourceTree(resources: [
            ("/user/{bizId}/complaint", ["POST"]), ("/user/{bizId}/fans", ["GET"]), ("/user/{bizId}", ["GET"]),
            ("/shop/{id}", ["GET"]), ("/user/{bizId}/fans/{fanId}", ["GET"]), ("/user/{bizId}/x/{fanId}", ["GET"]),
        ])
    }

    @Test("rejects duplicate paths, unknown methods and duplicate methods")
    func definitionErrors() {
        #expect(throws: RouteKeyError(key: "/pets", reason: "duplicate resource path")) {
            try RESTResourceTree(resources: [("/pets", ["GET"]), ("/pets", ["POST"])])
        }
        #expect(throws: RouteKeyError(key: "/pets", reason: "duplicate method 'GET'")) {
            try RESTResourceTree(resources: [("/pets", ["GET", "POST", "GET"])])
        }
        for method in ["get", "TRACE", "", "$default", "GET "] {
            #expect(throws: RouteKeyError.self) { try RESTResourceTree(resources: [("/pets", [method])]) }
        }
        #expect(throws: RouteKeyError(key: "/a/{p+}/b", reason: "a proxy resource ({p+}) cannot have children")) {
            try RESTResourceTree(resources: [("/a/{p+}/b", ["GET"])])
        }
    }
}
