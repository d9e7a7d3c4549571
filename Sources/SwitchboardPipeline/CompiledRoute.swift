package import SwitchboardCore

/// A route with its integration compiled once from the configuration snapshot.
package struct CompiledRoute: Sendable {
    /// The route as configured.
    package let definition: RouteDefinition
    /// The integration; `nil` when the route has none (it accepts and does nothing).
    package let invoker: (any IntegrationInvoker)?

    /// Creates a compiled route.
    package init(definition: RouteDefinition, invoker: (any IntegrationInvoker)?) {
        self.definition = definition
        self.invoker = invoker
    }

    /// Whether the integration's result goes back to the client.
    package var isTwoWay: Bool { self.definition.isTwoWay }
}

/// A WebSocket API compiled for serving: its route selection expression and routes by key.
package struct CompiledWebSocketAPI: Sendable {
    /// The API as configured.
    package let definition: APIDefinition
    /// The parsed route selection expression.
    package let routeSelection: SelectionExpression
    /// Routes by key.
    package let routes: [String: CompiledRoute]
    /// Stage variables by stage name.
    package let stageVariables: [String: [String: String]]
    /// Throttles and `$connect` authorization; `nil` when compiled without security settings (tests).
    package let security: WebSocketGuard?

    /// Creates a compiled API.
    package init(
        definition: APIDefinition,
        routeSelection: SelectionExpression,
        routes: [String: CompiledRoute],
        security: WebSocketGuard? = nil
    ) {
        self.definition = definition
        self.routeSelection = routeSelection
        self.routes = routes
        self.security = security
        var variables: [String: [String: String]] = [:]
        for stage in definition.stages {
            variables[stage.name] = stage.stageVariables
        }
        self.stageVariables = variables
    }

    /// The `$connect` route, if configured.
    package var connectRoute: CompiledRoute? { self.routes["$connect"] }
    /// The `$disconnect` route, if configured.
    package var disconnectRoute: CompiledRoute? { self.routes["$disconnect"] }

    /// Selects the route for a message, as API Gateway does: evaluate the expression on the JSON body
    /// (non-JSON goes to `$default`), match a route key exactly, else `$default`, else nothing.
    /// - Parameters:
    ///   - body: the message bytes.
    /// - Returns: the route, or `nil` when nothing matches and there is no `$default` route.
    package func selectRoute(body: some Collection<UInt8>) -> CompiledRoute? {
        let key: String
        if let staticValue = self.routeSelection.staticValue {
            key = staticValue
        } else if self.routeSelection.referencesRequestBody {
            guard let json = try? JSONValue.parse(body) else { return self.routes["$default"] }
            key = self.routeSelection.evaluate(body: json)
        } else {
            key = self.routeSelection.evaluate(body: nil)
        }
        if !key.hasPrefix("$") || key == "$default", let route = self.routes[key] {
            return route
        }
        return self.routes["$default"]
    }
}
