package import SwitchboardCore

/// A route of an HTTP API (route key) or a method of a REST API (resource path and method), compiled.
package struct CompiledHTTPRoute: Sendable {
    /// `GET /pets/{id}` or `$default` (HTTP APIs); `GET /pets/{petId}` style for REST, for logs.
    package let routeKey: String
    /// The REST resource path (`/pets/{petId}`) or the HTTP API route's path (`/pets/{id}`, `$default`).
    package let resourcePath: String
    /// A stable short id for `$context.resourceId`.
    package let resourceId: String
    /// The integration; `nil` answers 200 with no body.
    package let integration: (any HTTPIntegration)?
    /// The REST method definition (validation, API keys, authorization); `nil` for HTTP APIs.
    package let method: MethodDefinition?
    /// How the route is protected.
    package let authorization: RouteAuthorization
    /// The integration's payload format version (`1.0` or `2.0`), which shapes `requestContext.authorizer`.
    package let payloadFormatVersion: String

    /// Creates a compiled route.
    package init(
        routeKey: String,
        resourcePath: String,
        resourceId: String,
        integration: (any HTTPIntegration)?,
        method: MethodDefinition?,
        authorization: RouteAuthorization = .none,
        payloadFormatVersion: String = "1.0"
    ) {
        self.routeKey = routeKey
        self.resourcePath = resourcePath
        self.resourceId = resourceId
        self.integration = integration
        self.method = method
        self.authorization = authorization
        self.payloadFormatVersion = payloadFormatVersion
    }
}

/// An HTTP or REST API compiled for serving: its matcher, routes, and the step lists the runner drives.
package final class CompiledHTTPAPI: Sendable {
    /// How requests are matched.
    package enum Matcher: Sendable {
        /// HTTP API route keys.
        case routes(HTTPRouteTable)
        /// REST resource tree.
        case resources(RESTResourceTree)
    }

    /// The API as configured.
    package let definition: APIDefinition
    /// The account id in ARNs and events.
    package let accountId: String
    /// The matcher.
    package let matcher: Matcher
    /// HTTP API routes by the route table's index.
    package let routes: [CompiledHTTPRoute]
    /// REST methods by the resource tree's index, then method key (`GET`, `ANY`).
    package let resourceMethods: [[String: CompiledHTTPRoute]]
    /// Stage variables by stage name.
    package let stageVariables: [String: [String: String]]
    /// Compiled models by name (REST).
    package let models: [String: JSONSchema]
    /// The API's gateway responses.
    package let gatewayResponses: GatewayResponses
    /// Steps run before the integration, in order.
    package let requestSteps: [any HTTPRequestStep]
    /// Steps run on the response, in order.
    package let responseSteps: [any HTTPResponseStep]

    /// Whether this is a REST API (else an HTTP API).
    package var isREST: Bool { self.definition.protocolType == .rest }

    /// Creates a compiled API.
    package init(
        definition: APIDefinition,
        accountId: String,
        matcher: Matcher,
        routes: [CompiledHTTPRoute],
        resourceMethods: [[String: CompiledHTTPRoute]],
        models: [String: JSONSchema],
        gatewayResponses: GatewayResponses,
        requestSteps: [any HTTPRequestStep],
        responseSteps: [any HTTPResponseStep]
    ) {
        self.definition = definition
        self.accountId = accountId
        self.matcher = matcher
        self.routes = routes
        self.resourceMethods = resourceMethods
        var variables: [String: [String: String]] = [:]
        for stage in definition.stages {
            variables[stage.name] = stage.stageVariables
        }
        self.stageVariables = variables
        self.models = models
        self.gatewayResponses = gatewayResponses
        self.requestSteps = requestSteps
        self.responseSteps = responseSteps
    }

    /// Matches a request to a route.
    /// - Parameters:
    ///   - method: the request method.
    ///   - path: the raw path below the stage.
    /// - Returns: the route and its raw path parameters, or `nil`.
    package func match(method: String, path: String) -> (CompiledHTTPRoute, [(name: String, value: String)])? {
        switch self.matcher {
        case .routes(let table):
            guard let found = table.match(method: method, path: path), self.routes.indices.contains(found.index)
            else { return nil }
            return (self.routes[found.index], found.pathParameters)
        case .resources(let tree):
            guard let found = tree.match(method: method, path: path),
                self.resourceMethods.indices.contains(found.index),
                let route = self.resourceMethods[found.index][found.methodKey]
            else { return nil }
            return (route, found.pathParameters)
        }
    }
}
