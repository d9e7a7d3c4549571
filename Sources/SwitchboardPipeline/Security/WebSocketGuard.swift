package import SwitchboardCore

/// The security of one WebSocket API: throttles for new connections and messages, and the `$connect`
/// authorization (IAM, a Lambda REQUEST authorizer, a JWT — a Switchboard extension — and API keys).
package struct WebSocketGuard: Sendable {
    private let settings: SecuritySettings
    private let apiId: String
    private let stages: [String: StageDefinition]
    private let newConnectionRate: ThrottleSettings?
    private let messageRate: ThrottleSettings?
    private let apiKeySource: APIKeySource
    /// How `$connect` is protected.
    package let connect: RouteAuthorization

    /// Compiles the guard of an API.
    package init(api: APIDefinition, connect: RouteAuthorization, settings: SecuritySettings) {
        self.settings = settings
        self.apiId = api.id
        var stages: [String: StageDefinition] = [:]
        for stage in api.stages { stages[stage.name] = stage }
        self.stages = stages
        self.newConnectionRate = api.webSocket.newConnectionRate
        self.messageRate = api.webSocket.messageRate
        self.apiKeySource = api.apiKeySource
        self.connect = connect
    }

    /// Whether `$connect` needs a task (an authorizer call or a quota count) before it can be decided.
    package var connectNeedsTask: Bool {
        self.connect.type == "CUSTOM" || self.connect.type == "JWT" || self.connect.apiKeyRequired
    }

    /// The throttles an upgrade passes before anything else: the account, the API's new-connection rate and the
    /// `$connect` route's stage limit. `nil` when admitted, else 429 `Too Many Requests`.
    package func admitConnection(stage: String) -> GatewayError? {
        guard self.settings.admitAccount() else { return .throttled }
        if let rate = self.newConnectionRate, !self.settings.admit("connect:" + self.apiId, rate) { return .throttled }
        if !self.admitRoute(stage: stage, routeKey: "$connect") { return .throttled }
        return nil
    }

    /// Whether a message may run its route: the account, the connection's message rate and the route's stage limit.
    package func admitMessage(connectionId: String, stage: String, routeKey: String) -> Bool {
        guard self.settings.admitAccount() else { return false }
        if let rate = self.messageRate, !self.settings.admit("message:" + connectionId, rate) { return false }
        return self.admitRoute(stage: stage, routeKey: routeKey)
    }

    /// Forgets a closed connection's message bucket.
    package func forget(connectionId: String) {
        guard self.messageRate != nil else { return }
        self.settings.traffic.throttles.remove("message:" + connectionId)
    }

    private func admitRoute(stage: String, routeKey: String) -> Bool {
        guard let definition = self.stages[stage],
            let limit = definition.routeThrottles[routeKey] ?? definition.defaultThrottle
        else { return true }
        return self.settings.admit("route:" + self.apiId + "/" + stage + "/" + routeKey, limit)
    }

    /// Verifies a SigV4-signed upgrade (`authorizationType: AWS_IAM`); headers or a presigned query string.
    package func verifyIAM(
        stage: String,
        rawPath: String,
        rawQuery: String?,
        headers: [(name: String, value: String)],
        sourceIp: String?
    ) -> GatewayError? {
        guard self.connect.type == "AWS_IAM" else { return nil }
        guard let verifier = self.settings.iamVerifier else { return .missingAuthenticationToken }
        let request = SigV4Request(
            method: "GET",
            rawPath: rawPath,
            rawQuery: rawQuery,
            headers: headers,
            payloadSHA256Hex: SigV4Verifier.emptyPayloadSHA256Hex
        )
        switch verifier.verify(request, nowEpochMillis: self.settings.traffic.nowMillis()) {
        case .success(let principal):
            let arn = self.settings.arnPrefix(apiId: self.apiId) + stage + "/$connect"
            do throws(GatewayError) {
                _ = try self.settings.authorizeIAMCaller(
                    accessKeyId: principal.accessKeyId,
                    arn: arn,
                    sourceIp: sourceIp
                )
                return nil
            } catch {
                return error
            }
        case .failure(let failure):
            return failure.gatewayError
        }
    }

    /// Runs the `$connect` authorizer and the API key check.
    /// - Parameter exchange: the CONNECT exchange (headers, query string, stage variables, connection).
    /// - Returns: `$context.authorizer` for the connection's later events, or `nil` when no authorizer ran.
    /// - Throws: 401, 403, 429 or 500 as AWS answers the handshake.
    package func authorizeConnect(_ exchange: Exchange) async throws(GatewayError) -> JSONObject? {
        var context: JSONObject?
        var usageIdentifierKey: String?
        if let authorizer = self.connect.authorizer, self.connect.type == "CUSTOM" || self.connect.type == "JWT" {
            if authorizer.kind == .jwt {
                let token = authorizer.sources.first.flatMap { Self.identityValue($0, exchange) }
                context = try await authorizer.authorizeJWT(identity: token, requiredScopes: self.connect.scopes)
                    .jwtContext
            } else {
                guard let identity = authorizer.identity({ Self.identityValue($0, exchange) }) else {
                    throw .unauthorized
                }
                let arn = self.settings.arnPrefix(apiId: self.apiId) + exchange.connection.stage + "/$connect"
                let grant = try await authorizer.authorize(
                    identity: identity,
                    arn: arn,
                    simple: false,
                    invoker: self.settings.invoker,
                    nowMillis: self.settings.traffic.nowMillis
                ) { AuthorizerEvents.webSocketConnect(exchange.webSocketEvent.lambdaProxyEvent(), methodArn: arn) }
                context = grant.result?.flattened(integrationLatencyMillis: grant.latencyMillis)
                usageIdentifierKey = grant.result?.usageIdentifierKey
            }
        }
        if self.connect.apiKeyRequired {
            let value = self.apiKeySource == .header ? exchange.header("x-api-key") : usageIdentifierKey
            _ = try await UsagePlanMeter(settings: self.settings).meter(
                keyValue: value,
                api: self.apiId,
                stage: exchange.connection.stage,
                routeKey: "$connect"
            )
        }
        return context
    }

    private static func identityValue(_ source: IdentitySource, _ exchange: Exchange) -> String? {
        switch source.kind {
        case .header: return exchange.header(source.name)
        case .queryString: return exchange.queryString?.last { $0.name == source.name }?.value
        case .stageVariable: return exchange.stageVariables[source.name]
        case .context: return exchange.contextVariable(source.name)
        }
    }
}
