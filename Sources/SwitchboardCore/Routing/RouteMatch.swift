/// The route or resource a request matched, from ``HTTPRouteTable`` or ``RESTResourceTree``.
package struct RouteMatch: Sendable, Equatable, CustomStringConvertible {
    /// The position of the matched entry in the `routeKeys` (HTTP) or `resources` (REST) the matcher was built from.
    package var index: Int
    /// The matched route key (`GET /pets/{id}`, `$default`) or resource path (`/pets/{petId}`), as configured.
    package var key: String
    /// The method key that matched: an explicit method such as `GET`, or `ANY`. For an HTTP API `$default`
    /// route it is `$default`.
    package var methodKey: String
    /// The path variables in path order, greedy ones named without the `+` (`{proxy+}` gives `proxy`).
    ///
    /// Values are raw request text, not percent-decoded; a greedy value is the rest of the path, `/`-joined.
    package var pathParameters: [(name: String, value: String)]

    /// Creates a match.
    /// - Parameters:
    ///   - index: the position of the matched route key or resource.
    ///   - key: the route key or resource path.
    ///   - methodKey: the method key that matched (`GET`, `ANY`, `$default`).
    ///   - pathParameters: the path variables, in path order.
    package init(index: Int, key: String, methodKey: String, pathParameters: [(name: String, value: String)] = []) {
        self.index = index
        self.key = key
        self.methodKey = methodKey
        self.pathParameters = pathParameters
    }

    /// The raw value of a path variable.
    /// - Parameter name: the variable name, without braces or `+`.
    /// - Returns: the value, or `nil` when the route has no such variable.
    package func pathParameter(_ name: String) -> String? {
        for parameter in self.pathParameters where parameter.name == name {
            return parameter.value
        }
        return nil
    }

    /// Whether two matches are the same, parameters compared in order.
    /// - Parameters:
    ///   - lhs: a match.
    ///   - rhs: another match.
    /// - Returns: `true` when index, key, method key and every parameter are equal.
    package static func == (lhs: RouteMatch, rhs: RouteMatch) -> Bool {
        guard lhs.index == rhs.index, lhs.key == rhs.key, lhs.methodKey == rhs.methodKey,
            lhs.pathParameters.count == rhs.pathParameters.count
        else { return false }
        for (left, right) in zip(lhs.pathParameters, rhs.pathParameters)
        where left.name != right.name || left.value != right.value {
            return false
        }
        return true
    }

    /// A readable form for test failures, e.g. `#0 GET /pets/{id} via GET [id=7]`.
    package var description: String {
        let parameters = self.pathParameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        return "#\(self.index) \(self.key) via \(self.methodKey) [\(parameters)]"
    }
}

/// Why a route key or resource definition was rejected.
package struct RouteKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending route key or resource path, as configured.
    package var key: String
    /// What is wrong with it, e.g. `greedy path variable must be the last segment`.
    package var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - key: the route key or resource path.
    ///   - reason: what is wrong with it.
    package init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    /// A complete diagnostic sentence, for configuration error reports.
    package var message: String { "invalid route '\(self.key)': \(self.reason)" }

    /// The same as ``message``.
    package var description: String { self.message }
}
