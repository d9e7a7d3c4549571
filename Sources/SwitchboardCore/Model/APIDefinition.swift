/// An API's protocol (`protocolType`).
package enum ProtocolType: String, Sendable, Equatable, CaseIterable {
    /// A WebSocket API.
    case webSocket = "WEBSOCKET"
    /// An HTTP API (v2).
    case http = "HTTP"
    /// A REST API (v1).
    case rest = "REST"
}

/// One entry of `apis:`.
///
/// Keys: `id` (`[a-z0-9]+`), `protocolType` (`WEBSOCKET | HTTP | REST`), `routeSelectionExpression`
/// (WebSocket, e.g. `$request.body.action`), `managementApi` (``ManagementAPIConfig``), `stages`
/// (list of ``StageDefinition``), `routes` (map route key → ``RouteDefinition``), `authorizers`
/// (map name → ``AuthorizerDefinition``), `webSocket` (``WebSocketSettings``: limits and compression);
/// REST APIs: `resources` (``ResourceDefinition``), `models` (name → JSON Schema draft 4), `binaryMediaTypes`;
/// HTTP APIs: `corsConfiguration`; HTTP and REST: `gatewayResponses`.
package struct APIDefinition: Sendable, Equatable {
    /// The API id.
    package var id: String
    /// The protocol.
    package var protocolType: ProtocolType
    /// The route selection expression (WebSocket APIs).
    package var routeSelectionExpression: String?
    /// The `@connections` API settings.
    package var managementApi: ManagementAPIConfig
    /// Deployment stages.
    package var stages: [StageDefinition]
    /// Routes, in file order.
    package var routes: [RouteDefinition]
    /// Authorizers by name.
    package var authorizers: [String: AuthorizerDefinition]
    /// WebSocket limits and compression.
    package var webSocket: WebSocketSettings
    /// REST resources, in file order.
    package var resources: [ResourceDefinition] = []
    /// REST models by name (JSON Schema draft 4).
    package var models: [String: JSONValue] = [:]
    /// REST binary media types (`image/png`, `image/*`, `*/*`).
    package var binaryMediaTypes: [String] = []
    /// HTTP API CORS, answered by the gateway.
    package var corsConfiguration: CORSConfiguration?
    /// Customized gateway responses by type.
    package var gatewayResponses: [GatewayResponseType: GatewayResponseOverride] = [:]
    /// REST: where API keys come from, `HEADER` (`x-api-key`) or `AUTHORIZER` (`usageIdentifierKey`).
    package var apiKeySource: APIKeySource = .header
    /// REST: the resource policy (an IAM policy document), evaluated before the authorizer.
    package var policy: JSONValue?

    /// Creates an API definition.
    package init(
        id: String,
        protocolType: ProtocolType,
        routeSelectionExpression: String? = nil,
        managementApi: ManagementAPIConfig = .init(),
        stages: [StageDefinition] = [],
        routes: [RouteDefinition] = [],
        authorizers: [String: AuthorizerDefinition] = [:],
        webSocket: WebSocketSettings = .init()
    ) {
        self.id = id
        self.protocolType = protocolType
        self.routeSelectionExpression = routeSelectionExpression
        self.managementApi = managementApi
        self.stages = stages
        self.routes = routes
        self.authorizers = authorizers
        self.webSocket = webSocket
    }

    /// The stage with the given name.
    package func stage(named name: String) -> StageDefinition? {
        self.stages.first { $0.name == name }
    }

    /// The route with the given key.
    package func route(_ key: String) -> RouteDefinition? {
        self.routes.first { $0.routeKey == key }
    }
}

/// `managementApi:` — how the `@connections` API is authenticated.
///
/// Keys: `auth` (`NONE | AWS_IAM`, default `NONE`), `allowUnauthenticatedRemote` (bool, default false:
/// `auth: NONE` is refused when the listener is not on loopback unless this is true).
package struct ManagementAPIConfig: Sendable, Equatable {
    /// Authentication mode.
    package enum Auth: String, Sendable, Equatable {
        /// No authentication.
        case none = "NONE"
        /// SigV4 against `aws.credentials`.
        case awsIAM = "AWS_IAM"
    }
    /// The mode.
    package var auth: Auth
    /// Allow `NONE` on a non-loopback listener.
    package var allowUnauthenticatedRemote: Bool

    /// Creates management API settings.
    package init(auth: Auth = .none, allowUnauthenticatedRemote: Bool = false) {
        self.auth = auth
        self.allowUnauthenticatedRemote = allowUnauthenticatedRemote
    }
}

/// Where a REST API reads API keys from (`apiKeySource`); WebSocket APIs say the same with
/// `apiKeySelectionExpression` (`$request.header.x-api-key` or `$context.authorizer.usageIdentifierKey`).
package enum APIKeySource: String, Sendable, Equatable, CaseIterable {
    /// The `x-api-key` header.
    case header = "HEADER"
    /// The Lambda authorizer's `usageIdentifierKey`.
    case authorizer = "AUTHORIZER"
}

/// One entry of `stages:`.
///
/// Keys: `name` (`$default` or `[A-Za-z0-9_-]+`), `stageVariables` (map string → string); throttling as AWS
/// spells it per API type: WebSocket and HTTP APIs `defaultRouteSettings` and `routeSettings` (route key →
/// `{throttlingRateLimit, throttlingBurstLimit}`), REST APIs `methodSettings` (`*/*` or `/pets/GET` → the same).
package struct StageDefinition: Sendable, Equatable {
    /// Stage name.
    package var name: String
    /// Stage variables.
    package var stageVariables: [String: String]
    /// The stage's throttle for every route or method (`defaultRouteSettings`, REST `*/*`).
    package var defaultThrottle: ThrottleSettings?
    /// Per-route throttles, by our route key (`GET /pets` for REST methods, the route key otherwise).
    package var routeThrottles: [String: ThrottleSettings] = [:]

    /// Creates a stage.
    package init(name: String, stageVariables: [String: String] = [:]) {
        self.name = name
        self.stageVariables = stageVariables
    }
}

/// An entry of `authorizers:`, referenced by name from routes and methods (`authorizerId`).
///
/// Keys: `authorizerType` (`REQUEST | TOKEN | JWT`), `authorizerUri` (a Lambda ARN or invocation URI, called
/// through the Lambda Invoke API; or an `http(s)://` URL that receives the event as a JSON POST),
/// `identitySource` (list), `authorizerResultTtlInSeconds` (0–3600; default 300 on REST and HTTP APIs, 0 on
/// WebSocket APIs, where AWS does not cache), `identityValidationExpression` (TOKEN: a regex the token must
/// match), `authorizerPayloadFormatVersion` (HTTP APIs: `1.0 | 2.0`, default `2.0`), `enableSimpleResponses`
/// (HTTP APIs, 2.0), `jwtConfiguration` (``JWTConfiguration``, JWT).
package struct AuthorizerDefinition: Sendable, Equatable {
    /// `REQUEST`, `TOKEN` or `JWT`.
    package var authorizerType: String
    /// The authorizer function's URI.
    package var authorizerUri: String?
    /// Identity sources.
    package var identitySource: [String]
    /// Result cache TTL; `nil` means the API type's default.
    package var authorizerResultTtlInSeconds: Int?
    /// TOKEN: the token must match this regular expression, else 401 without invoking.
    package var identityValidationExpression: String?
    /// HTTP APIs: `1.0` or `2.0`.
    package var authorizerPayloadFormatVersion: String = "2.0"
    /// HTTP APIs (2.0): the function answers `{"isAuthorized": bool, "context": {...}}`.
    package var enableSimpleResponses: Bool = false
    /// JWT authorizers.
    package var jwtConfiguration: JWTConfiguration?

    /// Creates an authorizer definition.
    package init(authorizerType: String, authorizerUri: String? = nil, identitySource: [String] = []) {
        self.authorizerType = authorizerType
        self.authorizerUri = authorizerUri
        self.identitySource = identitySource
    }
}

/// `jwtConfiguration:` of a JWT authorizer.
///
/// Keys: `issuer` (required; also where `/.well-known/openid-configuration` is read from), `audience` (list;
/// the token's `aud` or `client_id` must be one of them), `jwksUri` (optional: skips discovery).
package struct JWTConfiguration: Sendable, Equatable {
    /// The `iss` a token must carry.
    package var issuer: String
    /// Accepted audiences.
    package var audience: [String]
    /// Where the signing keys are, when not discovered from the issuer.
    package var jwksUri: String?

    /// Creates a JWT configuration.
    package init(issuer: String, audience: [String] = [], jwksUri: String? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.jwksUri = jwksUri
    }
}
