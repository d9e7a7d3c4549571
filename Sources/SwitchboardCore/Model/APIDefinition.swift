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

/// One entry of `stages:`.
///
/// Keys: `name` (`$default` or `[A-Za-z0-9_-]+`), `stageVariables` (map string → string).
package struct StageDefinition: Sendable, Equatable {
    /// Stage name.
    package var name: String
    /// Stage variables.
    package var stageVariables: [String: String]

    /// Creates a stage.
    package init(name: String, stageVariables: [String: String] = [:]) {
        self.name = name
        self.stageVariables = stageVariables
    }
}

/// An entry of `authorizers:` (used from issue 5 on; parsed and validated now).
///
/// Keys: `authorizerType` (`REQUEST | TOKEN | JWT`), `authorizerUri`, `identitySource` (list).
package struct AuthorizerDefinition: Sendable, Equatable {
    /// `REQUEST`, `TOKEN` or `JWT`.
    package var authorizerType: String
    /// The authorizer function's URI.
    package var authorizerUri: String?
    /// Identity sources.
    package var identitySource: [String]

    /// Creates an authorizer definition.
    package init(authorizerType: String, authorizerUri: String? = nil, identitySource: [String] = []) {
        self.authorizerType = authorizerType
        self.authorizerUri = authorizerUri
        self.identitySource = identitySource
    }
}
