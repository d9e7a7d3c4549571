import NIOCore
package import SwitchboardCore

/// Drives an HTTP or REST API request through its compiled steps: a flat loop over the request steps
/// (the first `.respond` or thrown ``GatewayError`` ends the phase), the API's gateway responses for errors,
/// then every response step. Timing, logging and error mapping belong here, not in the steps.
package enum HTTPPipelineRunner {
    /// Runs the pipeline.
    /// - Parameter exchange: the request; steps update it.
    /// - Returns: the response for the client.
    package static func run(_ exchange: inout HTTPExchange) async -> HTTPGatewayResponse {
        var response: HTTPGatewayResponse?
        do {
            for step in exchange.api.requestSteps {
                if case .respond(let answer) = try await step.process(&exchange) {
                    response = answer
                    break
                }
            }
        } catch {
            response = Self.gatewayResponse(error, exchange: exchange)
        }
        var final = response ?? HTTPGatewayResponse(status: 200)
        for step in exchange.api.responseSteps {
            step.process(&final, exchange: exchange)
        }
        return final
    }

    /// Renders a gateway error with the API's customized gateway responses.
    package static func gatewayResponse(_ error: GatewayError, exchange: HTTPExchange) -> HTTPGatewayResponse {
        let rendered = exchange.api.gatewayResponses.render(error, context: ExchangeErrorContext(exchange: exchange))
        return HTTPGatewayResponse(
            status: rendered.status,
            headers: rendered.headers,
            body: ByteBuffer(bytes: rendered.body)
        )
    }
}

/// The request-side values gateway response templates and header mappings read.
struct ExchangeErrorContext: GatewayResponseContext {
    let exchange: HTTPExchange

    var requestId: String { self.exchange.requestId }
    var validationErrorString: String? { self.exchange.validationErrorString }
    func contextVariable(_ name: String) -> String? { self.exchange.contextVariable(name) }
    func stageVariable(_ name: String) -> String? { self.exchange.stageVariables[name] }
    func requestHeader(_ name: String) -> String? { self.exchange.header(name) }
    func requestQueryString(_ name: String) -> String? { self.exchange.queryValue(name) }
    func requestPathParameter(_ name: String) -> String? { self.exchange.pathParameter(name) }
}
