package import AsyncHTTPClient
package import SwitchboardCore

/// Compiles WebSocket APIs from a configuration snapshot: selection expressions parsed and integrations
/// built once, so the data plane only looks things up.
package struct RouteCompiler: Sendable {
    private let client: HTTPClient
    private let pool: UpstreamConnectionPool?
    private let aws: AWSConfig
    private let signer: (any AWSRequestSigner)?
    private let messenger: any ConnectionMessenger
    private let security: SecuritySettings?

    /// Creates a compiler.
    /// - Parameters:
    ///   - client: shared HTTP client for HTTP and Lambda integrations.
    ///   - pool: keep-alive upstream connections per event loop, for plain-HTTP `HTTP_PROXY` messages; `nil`:
    ///     every call goes through `client`.
    ///   - aws: AWS settings.
    ///   - signer: SigV4 signer for AWS calls, when credentials are configured.
    ///   - messenger: delivery for BROADCAST integrations.
    ///   - security: throttles, API keys and authorizers; `nil` compiles APIs without them (tests).
    package init(
        client: HTTPClient,
        pool: UpstreamConnectionPool? = nil,
        aws: AWSConfig,
        signer: (any AWSRequestSigner)?,
        messenger: any ConnectionMessenger,
        security: SecuritySettings? = nil
    ) {
        self.security = security
        self.client = client
        self.pool = pool
        self.aws = aws
        self.signer = signer
        self.messenger = messenger
    }

    /// Compiles one WebSocket API.
    /// - Parameter api: the API (validated by the config loader).
    /// - Returns: the compiled API.
    /// - Throws: ``SelectionExpressionError`` when the route selection expression does not parse.
    package func compile(_ api: APIDefinition) throws(SelectionExpressionError) -> CompiledWebSocketAPI {
        let selection = try SelectionExpression(parsing: api.routeSelectionExpression ?? "$request.body.action")
        var routes: [String: CompiledRoute] = [:]
        for route in api.routes {
            routes[route.routeKey] = CompiledRoute(definition: route, invoker: route.integration.map(self.invoker))
        }
        var security: WebSocketGuard?
        if let settings = self.security {
            var connect = RouteAuthorization.none
            if let route = api.route("$connect") {
                // AWS does not cache WebSocket authorizer results (TTL 0 unless the file sets one).
                let authorizer = route.authorizerId.flatMap { name in
                    api.authorizers[name].map {
                        CompiledAuthorizer(
                            name: name,
                            definition: $0,
                            defaultTtlSeconds: 0,
                            settings: settings,
                            client: self.client
                        )
                    }
                }
                connect = RouteAuthorization(
                    type: route.authorizationType,
                    authorizer: authorizer,
                    scopes: route.authorizationScopes,
                    apiKeyRequired: route.apiKeyRequired
                )
            }
            security = WebSocketGuard(api: api, connect: connect, settings: settings)
        }
        return CompiledWebSocketAPI(definition: api, routeSelection: selection, routes: routes, security: security)
    }

    private func invoker(_ integration: IntegrationDefinition) -> any IntegrationInvoker {
        switch integration.type {
        case .mock:
            MockIntegration(definition: integration)
        case .httpProxy, .http:
            HTTPProxyIntegration(definition: integration, client: self.client, pool: self.pool)
        case .awsProxy, .aws:
            LambdaProxyIntegration(definition: integration, aws: self.aws, client: self.client, signer: self.signer)
        case .broadcast:
            BroadcastIntegration(definition: integration, messenger: self.messenger)
        }
    }
}
