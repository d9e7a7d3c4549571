package import NIOCore
package import SwitchboardCore

/// A response the pipeline sends back: from the integration, a step, or a gateway response.
package struct HTTPGatewayResponse: Sendable {
    /// The status code.
    package var status: Int
    /// Headers, in order; names may repeat (`Set-Cookie`).
    package var headers: [(name: String, value: String)]
    /// The body.
    package var body: ByteBuffer
    /// The status the integration answered with, when the response came from the integration.
    package var integrationStatus: Int?

    /// Creates a response.
    package init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        body: ByteBuffer = ByteBuffer(),
        integrationStatus: Int? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.integrationStatus = integrationStatus
    }

    /// The first value of a header, case-insensitively.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Removes every header with this name, case-insensitively.
    package mutating func removeHeader(_ name: String) {
        self.headers.removeAll { $0.name.caseInsensitiveEquals(name) }
    }
}

/// What a request step decided.
package enum HTTPStepOutcome: Sendable {
    /// Run the next step.
    case proceed
    /// Stop and answer with this response (the response steps still run).
    case respond(HTTPGatewayResponse)
}

/// One unit of the HTTP/REST request phase. Holds only immutable, pre-compiled configuration.
package protocol HTTPRequestStep: Sendable {
    /// The step's name, for logs and timing.
    var name: String { get }
    /// Processes the exchange.
    /// - Parameter exchange: the request, updated in place.
    /// - Returns: `.proceed`, or `.respond` to short-circuit.
    /// - Throws: a ``GatewayError``, rendered as the API's gateway response.
    func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome
}

/// One unit of the response phase; runs on every response, including gateway responses.
package protocol HTTPResponseStep: Sendable {
    /// Processes the response.
    func process(_ response: inout HTTPGatewayResponse, exchange: HTTPExchange)
}

/// An integration of an HTTP or REST API route.
package protocol HTTPIntegration: Sendable {
    /// Calls the backend (or answers from templates) for the exchange.
    /// - Returns: the response for the client (before response steps).
    /// - Throws: a ``GatewayError`` (timeouts, unreachable backends, malformed results).
    func invoke(_ exchange: HTTPExchange) async throws(GatewayError) -> HTTPGatewayResponse
}
