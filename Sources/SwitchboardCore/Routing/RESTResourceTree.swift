/// The resource matcher of a REST API (v1), compiled once from its resources and their methods.
///
/// Resource paths are `/` or `/`-separated segments: literals of `A-Z a-z 0-9 _ - . , :`, `{name}` (one whole
/// segment) or a final greedy `{name+}` (a proxy resource, which cannot have children). As in AWS, a resource
/// has at most one variable child: `/pets/{id}` beside `/pets/{petId}` or `/pets/{proxy+}` is rejected.
///
/// Matching: at each level a literal child beats the variable child, which beats a proxy child, with
/// backtracking (with `/a/b` and `/{proxy+}`, `/a/c` falls to the proxy). A resource matches only when it has
/// the request method or `ANY`, so a more specific resource that lacks the method is passed over for a less
/// specific one that has it; no match at all means `403 {"message":"Missing Authentication Token"}`. On one
/// resource an explicit method beats `ANY`. `ANY` stands for exactly `DELETE GET HEAD OPTIONS PATCH POST PUT`
/// (case-sensitive); `GET` does not match `HEAD`. Trailing slashes are ignored, empty segments from `//` match
/// no literal or `{name}` but are kept in proxy values, and `/{proxy+}` does not match `/`.
package struct RESTResourceTree: Sendable {
    private let paths: [String]
    private let patterns: [RoutePattern]
    private let trie: RouteTrie

    /// Compiles resources.
    /// - Parameter resources: each resource path with its method keys (`GET` … `OPTIONS`, `ANY`);
    ///   ``RouteMatch/index`` refers to positions in this array. Parent resources need not be listed.
    /// - Throws: ``RouteKeyError`` for an invalid path (see ``validate(resourcePath:)``), a duplicate path, a
    ///   second variable child of one resource, or an unknown or duplicate method.
    package init(resources: [(path: String, methods: [String])]) throws(RouteKeyError) {
        var trie = RouteTrie(precedence: .restAPI)
        var patterns: [RoutePattern] = []
        var indexByPath: [String: Int] = [:]
        var variableChild: [String: String] = [:]  // parent template → its variable segment, e.g. "/pets" → "{id}"
        for (index, resource) in resources.enumerated() {
            let pattern: RoutePattern
            do {
                pattern = try RoutePattern(parsing: resource.path[...], dialect: .restResource)
            } catch {
                throw RouteKeyError(key: resource.path, reason: error.reason)
            }
            guard indexByPath.updateValue(index, forKey: resource.path) == nil else {
                throw RouteKeyError(key: resource.path, reason: "duplicate resource path")
            }
            var parent = ""
            for segment in pattern.segments {
                let text = Self.text(of: segment)
                switch segment {
                case .literal:
                    break
                case .variable, .greedy:
                    if let sibling = variableChild[parent], sibling != text {
                        throw RouteKeyError(
                            key: resource.path,
                            reason: "A sibling (\(sibling)) of this resource already has a variable path part -- "
                                + "only one is allowed"
                        )
                    }
                    variableChild[parent] = text
                }
                parent += "/" + text
            }
            for method in resource.methods {
                guard let slot = RouteTrie.keySlot(method) else {
                    throw RouteKeyError(
                        key: resource.path,
                        reason: "unknown method '\(method)' (expected GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS "
                            + "or ANY)"
                    )
                }
                guard trie.insert(pattern, methodSlot: slot, route: index) == nil else {
                    throw RouteKeyError(key: resource.path, reason: "duplicate method '\(method)'")
                }
            }
            patterns.append(pattern)
        }
        self.paths = resources.map(\.path)
        self.patterns = patterns
        self.trie = trie
    }

    /// Checks one resource path on its own (sibling conflicts need the whole tree: ``init(resources:)``).
    /// - Parameter resourcePath: the resource path.
    /// - Returns: `nil` when valid, else why not, e.g. `a proxy resource ({proxy+}) cannot have children`.
    package static func validate(resourcePath: String) -> String? {
        do {
            _ = try RoutePattern(parsing: resourcePath[...], dialect: .restResource)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Finds the resource and method for a request.
    /// - Parameters:
    ///   - method: the request method, case-sensitive.
    ///   - path: the raw (not percent-decoded) path below the stage, starting with `/`, without the query.
    /// - Returns: the resource, the method key that matched (`GET` or `ANY`) and the raw path parameters, or
    ///   `nil` (answer `403 {"message":"Missing Authentication Token"}`).
    package func match(method: String, path: String) -> RouteMatch? {
        let segments = RouteTrie.segments(of: path)
        guard let hit = self.trie.match(segments, methodSlot: RouteTrie.requestSlot(method)),
            self.paths.indices.contains(hit.route)
        else { return nil }
        return RouteMatch(
            index: hit.route,
            key: self.paths[hit.route],
            methodKey: hit.viaAny ? "ANY" : method,
            pathParameters: self.patterns[hit.route].parameters(in: segments, path: path)
        )
    }

    private static func text(of segment: RoutePattern.Segment) -> String {
        switch segment {
        case .literal(let text): String(text)
        case .variable(let name): "{\(name)}"
        case .greedy(let name): "{\(name)+}"
        }
    }
}
