package import AsyncHTTPClient
import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// REST non-proxy integrations — `MOCK`, `HTTP` and `AWS` (service actions and paths, SigV4-signed) — with
/// mapping templates and integration responses:
/// 1. the request template is chosen by `Content-Type` (absent: `application/json`), with AWS's
///    passthrough behaviours (`WHEN_NO_MATCH`, `WHEN_NO_TEMPLATES`, `NEVER` → 415);
/// 2. `requestParameters` fill the backend request's headers, query string and path;
/// 3. the backend is called (a MOCK's "status" is the `statusCode` its request template renders);
/// 4. the integration response whose `selectionPattern` matches the status (else the default one) gives
///    the method status, `responseParameters` headers and the response template (chosen by `Accept`).
package struct RESTNonProxyIntegration: HTTPIntegration {
    /// Where the request goes.
    package enum Backend: Sendable {
        /// Templates only.
        case mock
        /// An HTTP endpoint.
        case http(uri: String, method: String?)
        /// An AWS service.
        case aws(AWSServiceTarget)
    }

    // `Regex` is an immutable value but not yet marked Sendable; it is only ever read after init.
    private struct Response: @unchecked Sendable {
        var pattern: Regex<AnyRegexOutput>?
        var isDefault: Bool
        var statusCode: Int
        var templates: [String: MappingTemplate]
        var parameters: [(header: String, source: String)]
    }

    private let backend: Backend
    private let requestTemplates: [String: MappingTemplate]
    private let passthrough: String
    private let parameters: RESTParameterMapping
    private let responses: [Response]
    private let client: HTTPClient
    private let signer: (any AWSRequestSigner)?
    private let timeoutMillis: Int64
    private let requiresIntegrationResponses: Bool

    /// Compiles the integration.
    /// - Parameters:
    ///   - definition: the integration.
    ///   - backend: where the request goes.
    ///   - client: the shared HTTP client.
    ///   - signer: signs AWS service requests.
    ///   - requiresIntegrationResponses: whether an integration without integration responses is a configuration
    ///     error (500), as on REST APIs; otherwise (the HTTP API MOCK extension) the backend's answer passes
    ///     through and a MOCK answers 200.
    package init(
        definition: IntegrationDefinition,
        backend: Backend,
        client: HTTPClient,
        signer: (any AWSRequestSigner)?,
        requiresIntegrationResponses: Bool = false
    ) {
        self.requiresIntegrationResponses = requiresIntegrationResponses
        self.backend = backend
        self.client = client
        self.signer = signer
        self.timeoutMillis = Int64(definition.timeoutInMillis)
        self.passthrough = definition.passthroughBehavior
        self.parameters = RESTParameterMapping(definition.requestParameters)
        var templates: [String: MappingTemplate] = [:]
        for (key, source) in definition.requestTemplates { templates[key.lowercased()] = MappingTemplate(source) }
        self.requestTemplates = templates
        self.responses = definition.integrationResponses.map { response in
            let pattern = response.selectionPattern.flatMap { $0.isEmpty ? nil : try? Regex($0) }
            var responseTemplates: [String: MappingTemplate] = [:]
            for (key, source) in response.responseTemplates {
                responseTemplates[key.lowercased()] = MappingTemplate(source)
            }
            return Response(
                pattern: pattern,
                isDefault: pattern == nil,
                statusCode: response.statusCode.flatMap { Int($0) } ?? 200,
                templates: responseTemplates,
                parameters: response.responseParameters.sorted { $0.key < $1.key }.compactMap { key, value in
                    guard key.hasPrefix("method.response.header.") else { return nil }
                    return (String(key.dropFirst("method.response.header.".count)), value)
                }
            )
        }
    }

    package func invoke(_ exchange: HTTPExchange) async throws(GatewayError) -> HTTPGatewayResponse {
        let input = String(buffer: exchange.body)
        let requestBody = try self.renderRequest(exchange, input: input)
        let backendResponse: HTTPGatewayResponse
        switch self.backend {
        case .mock:
            let status = (try? JSONValue.parse(requestBody.utf8))?["statusCode"]?.intValue ?? 200
            backendResponse = HTTPGatewayResponse(status: status, body: exchange.body)
        case .http(let uri, let method):
            let mapped = self.parameters.resolve(exchange)
            var url = StageVariableSubstitution.apply(uri, exchange.stageVariables)
            url = HTTPProxyForwarder.substitutePathParameters(url, mapped.path)
            var request = HTTPClientRequest(
                url: PercentEncoding.appending(query: PercentEncoding.queryString(mapped.query), to: url)
            )
            request.method = HTTPMethod(rawValue: method ?? exchange.method)
            for (name, value) in mapped.headers { request.headers.add(name: name, value: value) }
            if !request.headers.contains(name: "Content-Type") {
                // The client's Content-Type unless mapped (AWS sets it on requests that may carry a body), else
                // API Gateway's default.
                let clientType =
                    ["GET", "HEAD", "OPTIONS"].contains(exchange.method) ? nil : exchange.header("Content-Type")
                request.headers.add(name: "Content-Type", value: clientType ?? "application/json")
            }
            request.body = .bytes(ByteBuffer(string: requestBody))
            backendResponse = try await self.call(request)
        case .aws(let target):
            let mapped = self.parameters.resolve(exchange)
            var prepared = target.request(
                body: Array(requestBody.utf8),
                query: mapped.query,
                headers: mapped.headers,
                method: exchange.method
            )
            prepared.url = HTTPProxyForwarder.substitutePathParameters(prepared.url, mapped.path)
            var headers = prepared.headers
            if let signer = self.signer {
                headers += signer.signatureHeaders(
                    method: prepared.method,
                    url: prepared.url,
                    headers: headers,
                    body: prepared.body,
                    service: target.signingName
                )
            }
            var request = HTTPClientRequest(url: prepared.url)
            request.method = HTTPMethod(rawValue: prepared.method)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: prepared.body))
            backendResponse = try await self.call(request)
        }
        return try self.respond(exchange, backend: backendResponse)
    }

    private func call(_ request: HTTPClientRequest) async throws(GatewayError) -> HTTPGatewayResponse {
        try await HTTPUpstream.call(request, client: self.client, timeoutMillis: self.timeoutMillis) {
            response,
            body in
            HTTPGatewayResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: body
            )
        }
    }

    /// Renders the request template for the request's content type, or passes the body through.
    private func renderRequest(_ exchange: HTTPExchange, input: String) throws(GatewayError) -> String {
        let contentType = Self.mediaType(exchange.header("Content-Type")) ?? "application/json"
        guard let template = self.requestTemplates[contentType] else {
            switch self.passthrough {
            case "NEVER": throw GatewayError(.unsupportedMediaType)
            case "WHEN_NO_TEMPLATES" where !self.requestTemplates.isEmpty: throw GatewayError(.unsupportedMediaType)
            default: return input
            }
        }
        return Self.render(template, exchange, input: input)
    }

    /// Picks the integration response, renders the body and headers.
    private func respond(
        _ exchange: HTTPExchange,
        backend: HTTPGatewayResponse
    ) throws(GatewayError)
        -> HTTPGatewayResponse
    {
        let status = String(backend.status)
        let chosen =
            self.responses.first { response in
                guard let pattern = response.pattern else { return false }
                return (try? pattern.wholeMatch(in: status)) != nil
            } ?? self.responses.first { $0.isDefault }
        guard let chosen else {
            // AWS: "No match for output mapping and no default output mapping configured" is a 500, also when
            // there are no integration responses at all. The HTTP API MOCK extension passes through instead.
            if self.requiresIntegrationResponses || !self.responses.isEmpty {
                throw GatewayError(.apiConfigurationError)
            }
            if case .mock = self.backend { return HTTPGatewayResponse(status: 200, headers: Self.jsonType) }
            return backend
        }
        let backendText = String(buffer: backend.body)
        var body = backend.body
        if !chosen.templates.isEmpty {
            let accept = Self.mediaType(exchange.header("Accept")) ?? "application/json"
            let template =
                chosen.templates[accept] ?? chosen.templates["application/json"]
                ?? chosen.templates.sorted { $0.key < $1.key }.first?.value
            if let template { body = ByteBuffer(string: Self.render(template, exchange, input: backendText)) }
        } else if case .mock = self.backend {
            body = ByteBuffer()
        }
        var headers: [(name: String, value: String)] = []
        for (header, source) in chosen.parameters {
            if let value = Self.responseValue(source, backend: backend, backendText: backendText, exchange: exchange) {
                headers.append((header, value))
            }
        }
        if !headers.contains(where: { $0.name.caseInsensitiveEquals("Content-Type") }) {
            headers += Self.jsonType
        }
        return HTTPGatewayResponse(
            status: chosen.statusCode,
            headers: headers,
            body: body,
            integrationStatus: backend.status
        )
    }

    private static let jsonType: [(name: String, value: String)] = [("Content-Type", "application/json")]

    /// A `method.response.header` source: `'static'`, `integration.response.header.X`,
    /// `integration.response.body[.PATH]`, `context.X`, `stageVariables.X`.
    static func responseValue(
        _ source: String,
        backend: HTTPGatewayResponse,
        backendText: String,
        exchange: HTTPExchange
    ) -> String? {
        if source.count >= 2, source.hasPrefix("'"), source.hasSuffix("'") {
            return String(source.dropFirst().dropLast())
        }
        if source.hasPrefix("integration.response.header.") {
            return backend.header(String(source.dropFirst("integration.response.header.".count)))
        }
        if source == "integration.response.body" { return backendText }
        if source.hasPrefix("integration.response.body.") {
            let path = "$." + source.dropFirst("integration.response.body.".count)
            guard let json = try? JSONValue.parse(backendText.utf8), let compiled = try? JSONPath(parsing: path) else {
                return nil
            }
            return compiled.evaluate(on: json)?.selectionString
        }
        if source.hasPrefix("context.") { return exchange.contextVariable(String(source.dropFirst("context.".count))) }
        if source.hasPrefix("stageVariables.") {
            return exchange.stageVariables[String(source.dropFirst("stageVariables.".count))]
        }
        return nil
    }

    static func render(_ template: MappingTemplate, _ exchange: HTTPExchange, input: String) -> String {
        let json = template.needsJSONInput ? try? JSONValue.parse(input.utf8) : nil
        return template.render(
            context: { exchange.contextVariable($0) },
            stageVariables: exchange.stageVariables,
            input: input,
            inputJSON: json,
            parameters: { name in
                exchange.pathParameter(name) ?? exchange.queryValue(name) ?? exchange.header(name)
            }
        )
    }

    /// The media type of a `Content-Type` / first `Accept` value, lower-cased, without parameters.
    static func mediaType(_ value: String?) -> String? {
        guard let value else { return nil }
        let first = value.split(separator: ",").first ?? ""
        let type = (first.split(separator: ";").first ?? "").trimmingSpaces().lowercased()
        return type.isEmpty || type == "*/*" ? nil : type
    }

}
