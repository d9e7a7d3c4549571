/// The route matcher of an HTTP API (v2), compiled once from its route keys.
///
/// Route keys are `$default` or `METHOD /path`, with `METHOD` one of `GET POST PUT PATCH DELETE HEAD OPTIONS
/// ANY`, and path segments literal, `{name}` (one whole segment) or a final greedy `{name+}`.
///
/// Priority, as AWS documents it: (1) a route without a greedy variable, (2) a route with one, (3)
/// `$default`. Within a tier the most specific path wins, compared segment by segment from the left (a
/// literal beats `{name}`, which beats `{name+}`), and for the same path an explicit method beats `ANY`. So
/// the path is chosen before the method: `ANY /pets/dog` beats `GET /pets/{id}` for `GET /pets/dog`, while a
/// path that has routes only for other methods is passed over.
///
/// Matching is case-sensitive for methods and paths; `ANY` and `$default` match every method token,
/// including lower-case or non-standard ones, which never match an explicit method. Trailing slashes are
/// ignored, empty segments from `//` match no literal or `{name}` but are kept in greedy values, and a greedy
/// variable needs at least one segment (`/pets/{proxy+}` does not match `/pets`).
package struct HTTPRouteTable: Sendable {
    private let keys: [String]
    private let methodKeys: [String]
    private let patterns: [RoutePattern?]
    private let trie: RouteTrie
    private let defaultRoute: Int?

    /// Compiles route keys.
    /// - Parameter routeKeys: the route keys; ``RouteMatch/index`` refers to positions in this array.
    /// - Throws: ``RouteKeyError`` for the first invalid key (see ``validate(routeKey:)``), a duplicate key, or
    ///   a key that differs from an earlier one only in variable names (`GET /pets/{id}`, `GET /pets/{petId}`).
    package init(routeKeys: [String]) throws(RouteKeyError) {
        var trie = RouteTrie(precedence: .httpAPI)
        var methodKeys: [String] = []
        var patterns: [RoutePattern?] = []
        var defaultRoute: Int?
        for (index, key) in routeKeys.enumerated() {
            let parsed: Parsed
            do {
                parsed = try Self.parse(key)
            } catch {
                throw RouteKeyError(key: key, reason: error.reason)
            }
            switch parsed {
            case .defaultRoute:
                if let first = defaultRoute { throw Self.conflict(key, with: routeKeys[first]) }
                defaultRoute = index
                methodKeys.append(key)
                patterns.append(nil)
            case .route(let slot, let method, let pattern):
                if let first = trie.insert(pattern, methodSlot: slot, route: index) {
                    throw Self.conflict(key, with: routeKeys[first])
                }
                methodKeys.append(String(method))
                patterns.append(pattern)
            }
        }
        self.keys = routeKeys
        self.methodKeys = methodKeys
        self.patterns = patterns
        self.trie = trie
        self.defaultRoute = defaultRoute
    }

    /// Checks one route key on its own (duplicates need the whole table: ``init(routeKeys:)``).
    /// - Parameter routeKey: the route key.
    /// - Returns: `nil` when valid, else why not, e.g. `unknown method 'get' (…)`.
    package static func validate(routeKey: String) -> String? {
        do {
            _ = try self.parse(routeKey)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Finds the route for a request.
    /// - Parameters:
    ///   - method: the request method, case-sensitive.
    ///   - path: the raw (not percent-decoded) path below the stage, starting with `/`, without the query.
    /// - Returns: the route with its raw path parameters, or `nil` (answer `404 {"message":"Not Found"}`).
    package func match(method: String, path: String) -> RouteMatch? {
        let segments = RouteTrie.segments(of: path)
        guard let hit = self.trie.match(segments, methodSlot: RouteTrie.requestSlot(method)) else {
            guard let index = self.defaultRoute else { return nil }
            return RouteMatch(index: index, key: self.keys[index], methodKey: self.methodKeys[index])
        }
        let index = hit.route
        guard self.keys.indices.contains(index), let pattern = self.patterns[index] else { return nil }
        return RouteMatch(
            index: index,
            key: self.keys[index],
            methodKey: self.methodKeys[index],
            pathParameters: pattern.parameters(in: segments, path: path)
        )
    }

    // MARK: - Parsing

    private enum Parsed {
        case defaultRoute
        case route(slot: Int, method: Substring, pattern: RoutePattern)
    }

    private static func parse(_ key: String) throws(RoutePattern.Invalid) -> Parsed {
        if key == "$default" { return .defaultRoute }
        if key.hasPrefix("$") {
            throw RoutePattern.Invalid(reason: "'$default' is the only special route key of an HTTP API")
        }
        guard let space = key.firstIndex(of: " ") else {
            throw RoutePattern.Invalid(reason: "a route key is '$default' or 'METHOD /path'")
        }
        let method = key[..<space]
        guard let slot = RouteTrie.keySlot(method) else {
            throw RoutePattern.Invalid(
                reason: "unknown method '\(method)' (expected GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY)"
            )
        }
        let pattern = try RoutePattern(parsing: key[key.index(after: space)...], dialect: .httpRoute)
        return .route(slot: slot, method: method, pattern: pattern)
    }

    private static func conflict(_ key: String, with earlier: String) -> RouteKeyError {
        RouteKeyError(
            key: key,
            reason: key == earlier ? "duplicate route key" : "conflicts with route key '\(earlier)'"
        )
    }
}
