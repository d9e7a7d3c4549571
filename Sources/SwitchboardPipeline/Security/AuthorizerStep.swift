import NIOCore
package import SwitchboardCore

/// Authorizes HTTP and REST API requests by the matched route's `authorizationType`: `AWS_IAM` (SigV4 against
/// the configured credentials, service `execute-api`), `CUSTOM` (a Lambda TOKEN or REQUEST authorizer, cached
/// by identity) or `JWT`. The authorizer's output goes to `requestContext.authorizer` in the shape each payload
/// format has, and to `$context.authorizer.*`.
package struct AuthorizerStep: HTTPRequestStep {
    package var name: String { "authorizer" }
    private let settings: SecuritySettings
    private let arnPrefix: String

    /// Creates the step for an API.
    package init(api: APIDefinition, settings: SecuritySettings) {
        self.settings = settings
        self.arnPrefix = settings.arnPrefix(apiId: api.id)
    }

    /// `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}` for the request.
    func methodArn(_ exchange: HTTPExchange) -> String {
        exchange.methodArn(prefix: self.arnPrefix)
    }

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard let authorization = exchange.route?.authorization else { return .proceed }
        switch authorization.type {
        case "AWS_IAM":
            try self.verifySignature(&exchange)
        case "CUSTOM", "JWT":
            guard let authorizer = authorization.authorizer else { throw GatewayError(.authorizerConfigurationError) }
            if authorizer.kind == .jwt {
                try await self.runJWT(authorizer, scopes: authorization.scopes, &exchange)
            } else {
                try await self.runLambda(authorizer, &exchange)
            }
        case "NONE":
            break
        default:
            throw GatewayError(.authorizerConfigurationError)
        }
        return .proceed
    }

    private func verifySignature(_ exchange: inout HTTPExchange) throws(GatewayError) {
        guard let verifier = self.settings.iamVerifier else { throw .missingAuthenticationToken }
        let payloadHash = exchange.body.withUnsafeReadableBytes { SigV4Verifier.sha256Hex($0) }
        let request = SigV4Request(
            method: exchange.method,
            rawPath: exchange.contextPath,
            rawQuery: exchange.rawQuery,
            headers: exchange.headers,
            payloadSHA256Hex: payloadHash
        )
        switch verifier.verify(request, nowEpochMillis: self.settings.traffic.nowMillis()) {
        case .success(let principal):
            exchange.callerArn = try self.settings.authorizeIAMCaller(
                accessKeyId: principal.accessKeyId,
                arn: self.methodArn(exchange),
                sourceIp: exchange.sourceIp
            )
            exchange.callerAccessKey = principal.accessKeyId
            // AWS drops the SigV4 Authorization header before the integration.
            exchange.headers.removeAll { $0.name.caseInsensitiveEquals("Authorization") }
        case .failure(let failure):
            throw failure.gatewayError
        }
    }

    private func identityValue(_ source: IdentitySource, _ exchange: HTTPExchange) -> String? {
        switch source.kind {
        case .header: return exchange.header(source.name)
        case .queryString: return exchange.queryValue(source.name)
        case .stageVariable: return exchange.stageVariables[source.name]
        case .context: return exchange.contextVariable(source.name)
        }
    }

    private func runJWT(
        _ authorizer: CompiledAuthorizer,
        scopes: [String],
        _ exchange: inout HTTPExchange
    ) async throws(GatewayError) {
        let token = authorizer.sources.first.flatMap { self.identityValue($0, exchange) }
        let jwt = try await authorizer.authorizeJWT(identity: token, requiredScopes: scopes).jwtContext
        let isV2 = exchange.route?.payloadFormatVersion == "2.0"
        exchange.authorizer = isV2 ? JSONObject([("jwt", .object(jwt))]) : jwt
        exchange.authorizerContext = jwt
    }

    private func runLambda(_ authorizer: CompiledAuthorizer, _ exchange: inout HTTPExchange) async throws(GatewayError)
    {
        let snapshot = exchange
        guard let identity = authorizer.identity({ self.identityValue($0, snapshot) }) else { throw .unauthorized }
        let arn = self.methodArn(exchange)
        let isREST = exchange.api.isREST
        let version = authorizer.definition.authorizerPayloadFormatVersion
        let simple = !isREST && version == "2.0" && authorizer.definition.enableSimpleResponses
        let grant = try await authorizer.authorize(
            identity: identity,
            arn: arn,
            simple: simple,
            invoker: self.settings.invoker,
            nowMillis: self.settings.traffic.nowMillis
        ) {
            if authorizer.kind == .token { return AuthorizerEvents.token(identity[0], methodArn: arn) }
            if isREST {
                return AuthorizerEvents.restRequest(
                    ProxyEvent.restV1(snapshot.proxyRequest(isBase64Body: false)),
                    methodArn: arn
                )
            }
            if version == "2.0" {
                return AuthorizerEvents.httpV2(
                    ProxyEvent.httpV2(snapshot.proxyRequest(isBase64Body: false)),
                    routeArn: arn,
                    identity: identity
                )
            }
            return AuthorizerEvents.httpV1(
                ProxyEvent.httpV1(snapshot.proxyRequest(isBase64Body: false)),
                routeArn: arn,
                identity: identity
            )
        }
        guard let result = grant.result else { return }
        let flat = result.flattened(integrationLatencyMillis: grant.latencyMillis)
        exchange.authorizerContext = flat
        exchange.usageIdentifierKey = result.usageIdentifierKey
        if !isREST && exchange.route?.payloadFormatVersion == "2.0" {
            exchange.authorizer = JSONObject([("lambda", .object(result.context))])
        } else {
            exchange.authorizer = flat
        }
    }
}
