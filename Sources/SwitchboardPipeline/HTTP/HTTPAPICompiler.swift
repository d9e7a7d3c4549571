package import AsyncHTTPClient
package import SwitchboardCore

/// Compiles HTTP and REST APIs from a configuration snapshot: the matcher, each route's integration, the
/// models, CORS, gateway responses and the step lists, once, so the data plane only looks things up.
package struct HTTPAPICompiler: Sendable {
    /// Why an API did not compile (the config loader reports these first, with positions).
    package struct Failure: Error, Sendable {
        /// What went wrong.
        package var message: String
    }

    private let client: HTTPClient
    private let aws: AWSConfig
    private let signer: (any AWSRequestSigner)?
    private let accountId: String
    private let pool: UpstreamConnectionPool?
    private let security: SecuritySettings

    /// Creates a compiler.
    /// - Parameter security: API keys, usage plans, throttles and authorizer plumbing; `nil` for a configuration
    ///   with none (AWS's account throttle and real clocks).
    package init(
        client: HTTPClient,
        aws: AWSConfig,
        signer: (any AWSRequestSigner)?,
        accountId: String,
        pool: UpstreamConnectionPool? = nil,
        security: SecuritySettings? = nil
    ) {
        self.client = client
        self.pool = pool
        self.security =
            security
            ?? SecuritySettings(
                config: GatewayConfig(aws: aws),
                traffic: .system(nowMillis: { WallClock.nowMillis() }),
                client: client,
                signer: signer
            )
        self.aws = aws
        self.signer = signer
        self.accountId = accountId
    }

    /// Compiles one HTTP or REST API.
    package func compile(_ api: APIDefinition) throws(Failure) -> CompiledHTTPAPI {
        var models: [String: JSONSchema] = [:]
        var remotes: [String: JSONValue] = [:]
        for (name, schema) in api.models { remotes[JSONSchema.modelURI(apiId: api.id, name: name)] = schema }
        for (name, schema) in api.models {
            do {
                models[name] = try JSONSchema(schema, remotes: remotes)
            } catch {
                throw Failure(message: "model \(name): \(error.message)")
            }
        }
        let isREST = api.protocolType == .rest
        var authorizers: [String: CompiledAuthorizer] = [:]
        for (name, definition) in api.authorizers {
            authorizers[name] = CompiledAuthorizer(
                name: name,
                definition: definition,
                defaultTtlSeconds: 300,
                settings: self.security,
                client: self.client
            )
        }
        var routes: [CompiledHTTPRoute] = []
        var resourceMethods: [[String: CompiledHTTPRoute]] = []
        let matcher: CompiledHTTPAPI.Matcher
        do {
            if isREST {
                for resource in api.resources {
                    var methods: [String: CompiledHTTPRoute] = [:]
                    for method in resource.methods {
                        methods[method.httpMethod] = CompiledHTTPRoute(
                            routeKey: "\(method.httpMethod) \(resource.path)",
                            resourcePath: resource.path,
                            resourceId: Self.resourceId(resource.path),
                            integration: method.integration.map {
                                self.integration($0, routeKey: resource.path, api: api)
                            },
                            method: method,
                            authorization: RouteAuthorization(
                                type: method.authorizationType,
                                authorizer: method.authorizerId.flatMap { authorizers[$0] },
                                scopes: [],
                                apiKeyRequired: method.apiKeyRequired
                            ),
                            payloadFormatVersion: "1.0"
                        )
                    }
                    resourceMethods.append(methods)
                }
                matcher = .resources(
                    try RESTResourceTree(resources: api.resources.map { ($0.path, $0.methods.map(\.httpMethod)) })
                )
            } else {
                for route in api.routes {
                    let path = route.routeKey.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "$default"
                    routes.append(
                        CompiledHTTPRoute(
                            routeKey: route.routeKey,
                            resourcePath: path,
                            resourceId: Self.resourceId(route.routeKey),
                            integration: route.integration.map {
                                self.integration($0, routeKey: route.routeKey, api: api)
                            },
                            method: nil,
                            authorization: RouteAuthorization(
                                type: route.authorizationType,
                                authorizer: route.authorizerId.flatMap { authorizers[$0] },
                                scopes: route.authorizationScopes,
                                apiKeyRequired: false
                            ),
                            payloadFormatVersion: route.integration?.payloadFormatVersion ?? "1.0"
                        )
                    )
                }
                matcher = .routes(try HTTPRouteTable(routeKeys: api.routes.map(\.routeKey)))
            }
        } catch {
            throw Failure(message: error.message)
        }
        let cors = api.corsConfiguration.map { CORSPolicy($0) }
        var requestSteps: [any HTTPRequestStep] = []
        var responseSteps: [any HTTPResponseStep] = []
        if let cors { requestSteps.append(CORSPreflightStep(policy: cors)) }
        requestSteps.append(RouteMatchStep())
        requestSteps.append(ThrottlingStep(api: api, settings: self.security))
        if isREST, let policy = ResourcePolicyStep(api: api, settings: self.security) { requestSteps.append(policy) }
        requestSteps.append(AuthorizerStep(api: api, settings: self.security))
        if isREST {
            requestSteps.append(APIKeyStep(api: api, settings: self.security))
            requestSteps.append(RequestValidationStep())
        } else {
            requestSteps.append(ParameterMappingStep(api: api))
        }
        requestSteps.append(IntegrationStep())
        if !isREST { responseSteps.append(ResponseParameterStep(api: api)) }
        if let cors { responseSteps.append(CORSResponseStep(policy: cors)) }
        return CompiledHTTPAPI(
            definition: api,
            accountId: self.accountId,
            matcher: matcher,
            routes: routes,
            resourceMethods: resourceMethods,
            models: models,
            gatewayResponses: GatewayResponses(api.gatewayResponses),
            requestSteps: requestSteps,
            responseSteps: responseSteps
        )
    }

    private func integration(
        _ definition: IntegrationDefinition,
        routeKey: String,
        api: APIDefinition
    )
        -> any HTTPIntegration
    {
        let isREST = api.protocolType == .rest
        switch definition.type {
        case .httpProxy:
            return HTTPProxyForwarder(
                definition: definition,
                routeKey: routeKey,
                isREST: isREST,
                client: self.client,
                pool: self.pool
            )
        case .awsProxy:
            let format: LambdaHTTPProxy.Format =
                isREST ? .rest : (definition.payloadFormatVersion == "2.0" ? .httpV2 : .httpV1)
            return LambdaHTTPProxy(
                definition: definition,
                format: format,
                binaryMediaTypes: api.binaryMediaTypes,
                aws: self.aws,
                client: self.client,
                signer: self.signer
            )
        case .mock, .broadcast:
            return RESTNonProxyIntegration(
                definition: definition,
                backend: .mock,
                client: self.client,
                signer: nil,
                requiresIntegrationResponses: isREST
            )
        case .http:
            let method = definition.integrationMethod.uppercased()
            return RESTNonProxyIntegration(
                definition: definition,
                backend: .http(uri: definition.uri ?? "", method: method == "ANY" ? nil : method),
                client: self.client,
                signer: nil,
                requiresIntegrationResponses: isREST
            )
        case .aws:
            guard let target = AWSServiceTarget(uri: definition.uri ?? "", endpoints: self.aws.endpoints) else {
                return RESTNonProxyIntegration(
                    definition: definition,
                    backend: .mock,
                    client: self.client,
                    signer: nil,
                    requiresIntegrationResponses: isREST
                )
            }
            return RESTNonProxyIntegration(
                definition: definition,
                backend: .aws(target),
                client: self.client,
                signer: self.signer,
                requiresIntegrationResponses: isREST
            )
        }
    }

    /// A short, stable id for a resource or route (`$context.resourceId`): 6 base-36 characters of an FNV-1a hash.
    static func resourceId(_ path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var id = ""
        for _ in 0..<6 {
            id.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        return id
    }
}
