package import SwitchboardCore

/// Calls the matched route's integration; a route without one answers 200 with an empty body.
package struct IntegrationStep: HTTPRequestStep {
    package var name: String { "integration" }

    /// Creates the step.
    package init() {}

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard let integration = exchange.route?.integration else {
            return .respond(HTTPGatewayResponse(status: 200, headers: [("Content-Type", "application/json")]))
        }
        var response = try await integration.invoke(exchange)
        if response.integrationStatus == nil { response.integrationStatus = response.status }
        return .respond(response)
    }
}
