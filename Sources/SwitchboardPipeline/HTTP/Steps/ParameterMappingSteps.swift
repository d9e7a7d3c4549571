import NIOCore
package import SwitchboardCore

/// HTTP API request parameter mapping (`append|overwrite|remove:header.N`, `…:querystring.N`,
/// `overwrite:path`) applied to what the integration receives.
package struct ParameterMappingStep: HTTPRequestStep {
    private let mappings: [String: HTTPParameterMapping]

    package var name: String { "parameterMapping" }

    /// Compiles the mappings of every route of an HTTP API.
    package init(api: APIDefinition) {
        var mappings: [String: HTTPParameterMapping] = [:]
        for route in api.routes {
            guard let integration = route.integration else { continue }
            let mapping = HTTPParameterMapping(
                requestParameters: integration.requestParameters,
                responseParameters: integration.responseParameters
            )
            if !mapping.isEmpty { mappings[route.routeKey] = mapping }
        }
        self.mappings = mappings
    }

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard let key = exchange.route?.routeKey, let mapping = self.mappings[key], !mapping.requestRules.isEmpty
        else { return .proceed }
        var request = MappableRequest(headers: exchange.headers, query: exchange.query, path: exchange.path)
        mapping.apply(to: &request, resolver: ExchangeResolver(exchange: exchange, response: nil))
        exchange.headers = request.headers
        exchange.query = request.query
        exchange.integrationQuery = request.query.isEmpty ? nil : PercentEncoding.queryString(request.query)
        if request.path != exchange.path { exchange.integrationPath = request.path }
        return .proceed
    }
}

/// HTTP API response parameter mapping, chosen by the integration's status code.
package struct ResponseParameterStep: HTTPResponseStep {
    private let mappings: [String: HTTPParameterMapping]

    /// Compiles the mappings of every route of an HTTP API.
    package init(api: APIDefinition) {
        var mappings: [String: HTTPParameterMapping] = [:]
        for route in api.routes {
            guard let integration = route.integration, !integration.responseParameters.isEmpty else { continue }
            mappings[route.routeKey] = HTTPParameterMapping(responseParameters: integration.responseParameters)
        }
        self.mappings = mappings
    }

    package func process(_ response: inout HTTPGatewayResponse, exchange: HTTPExchange) {
        guard let status = response.integrationStatus, let key = exchange.route?.routeKey,
            let mapping = self.mappings[key]
        else { return }
        var mappable = MappableResponse(headers: response.headers)
        response.status = mapping.apply(
            to: &mappable,
            statusCode: status,
            resolver: ExchangeResolver(exchange: exchange, response: response)
        )
        response.headers = mappable.headers
    }
}

/// The values parameter mappings read, from the original request and integration response.
struct ExchangeResolver: ParameterMappingResolver {
    let exchange: HTTPExchange
    let response: HTTPGatewayResponse?

    func requestHeader(_ name: String) -> String? {
        HTTPParameterMapping.headerValue(named: name, in: self.exchange.headers)
    }
    func requestQueryString(_ name: String) -> String? {
        HTTPParameterMapping.queryValue(named: name, in: self.exchange.query)
    }
    func requestBodyText() -> String? {
        self.exchange.hasBody ? String(buffer: self.exchange.body) : nil
    }
    func requestBodyJSON() -> JSONValue? {
        guard self.exchange.body.readableBytes <= HTTPParameterMapping.bodyJSONPathLimit else { return nil }
        return try? JSONValue.parse(self.exchange.body.readableBytesView)
    }
    func requestPath() -> String? { PercentEncoding.decode(self.exchange.path[...], plusIsSpace: false) }
    func requestPathParameter(_ name: String) -> String? { self.exchange.pathParameter(name) }
    func contextVariable(_ name: String) -> String? { self.exchange.contextVariable(name) }
    func stageVariable(_ name: String) -> String? { self.exchange.stageVariables[name] }
    func responseHeader(_ name: String) -> String? {
        self.response.flatMap { HTTPParameterMapping.headerValue(named: name, in: $0.headers) }
    }
    func responseBodyText() -> String? { self.response.map { String(buffer: $0.body) } }
    func responseBodyJSON() -> JSONValue? {
        self.response.flatMap { try? JSONValue.parse($0.body.readableBytesView) }
    }
}
