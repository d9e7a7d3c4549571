package import SwitchboardCore

/// HTTP API CORS preflight: with `corsConfiguration`, the gateway answers `OPTIONS` preflights itself
/// (204 with the allow headers), before route matching, as AWS does.
package struct CORSPreflightStep: HTTPRequestStep {
    let policy: CORSPolicy

    package var name: String { "cors" }

    /// Creates the step.
    package init(policy: CORSPolicy) {
        self.policy = policy
    }

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard let headers = self.policy.preflightResponse(method: exchange.method, headers: exchange.headers) else {
            return .proceed
        }
        return .respond(HTTPGatewayResponse(status: CORSPolicy.preflightStatus, headers: headers))
    }
}

/// HTTP API CORS on responses: the backend's CORS headers are ignored and the gateway's added when the
/// request's `Origin` is allowed.
package struct CORSResponseStep: HTTPResponseStep {
    let policy: CORSPolicy

    /// Creates the step.
    package init(policy: CORSPolicy) {
        self.policy = policy
    }

    package func process(_ response: inout HTTPGatewayResponse, exchange: HTTPExchange) {
        // A preflight answered by the gateway already carries its headers.
        if exchange.route == nil && response.status == CORSPolicy.preflightStatus && exchange.method == "OPTIONS" {
            return
        }
        response.headers.removeAll { CORSPolicy.isCORSHeader($0.name) }
        response.headers += self.policy.responseHeaders(requestHeaders: exchange.headers)
    }
}
