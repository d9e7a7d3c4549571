package import SwitchboardCore

/// Matches the request to a route: HTTP APIs answer 404 `Not Found` when nothing matches, REST APIs
/// 403 `Missing Authentication Token` (for an unknown resource and for a known resource without the method).
package struct RouteMatchStep: HTTPRequestStep {
    package var name: String { "route" }

    /// Creates the step.
    package init() {}

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard let (route, parameters) = exchange.api.match(method: exchange.method, path: exchange.path) else {
            throw exchange.api.isREST ? .missingAuthenticationToken : .notFound
        }
        exchange.route = route
        exchange.pathParameters = parameters
        return .proceed
    }
}
