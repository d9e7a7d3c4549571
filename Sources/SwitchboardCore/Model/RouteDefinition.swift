/// One entry of `routes:` — keyed by its route key (`$connect`, `$disconnect`, `$default`, or a custom key).
///
/// Keys: `integration` (``IntegrationDefinition``), `routeResponseSelectionExpression` (only `$default`:
/// makes the route two-way), `authorizationType` (`NONE | AWS_IAM | CUSTOM | JWT`), `authorizerId`,
/// `apiKeyRequired` (bool), `authorizationScopes` (JWT).
package struct RouteDefinition: Sendable, Equatable {
    /// The route key.
    package var routeKey: String
    /// The integration; `nil` means the route accepts and does nothing.
    package var integration: IntegrationDefinition?
    /// `$default` makes the route two-way.
    package var routeResponseSelectionExpression: String?
    /// Authorization type.
    package var authorizationType: String
    /// The authorizer name, for `CUSTOM` / `JWT`.
    package var authorizerId: String?
    /// Whether an API key is required.
    package var apiKeyRequired: Bool
    /// JWT authorizers: the token's `scope` / `scp` must hold one of these.
    package var authorizationScopes: [String] = []

    /// Creates a route.
    package init(
        routeKey: String,
        integration: IntegrationDefinition? = nil,
        routeResponseSelectionExpression: String? = nil,
        authorizationType: String = "NONE",
        authorizerId: String? = nil,
        apiKeyRequired: Bool = false
    ) {
        self.routeKey = routeKey
        self.integration = integration
        self.routeResponseSelectionExpression = routeResponseSelectionExpression
        self.authorizationType = authorizationType
        self.authorizerId = authorizerId
        self.apiKeyRequired = apiKeyRequired
    }

    /// Whether the integration's result is sent back to the client.
    package var isTwoWay: Bool {
        self.routeResponseSelectionExpression == "$default"
    }
}

/// An integration type (`integration.type`).
package enum IntegrationType: String, Sendable, Equatable, CaseIterable {
    /// Answers from templates, no backend.
    case mock = "MOCK"
    /// Forwards to an HTTP endpoint.
    case httpProxy = "HTTP_PROXY"
    /// HTTP with mapping templates.
    case http = "HTTP"
    /// Lambda proxy through the Lambda Invoke API.
    case awsProxy = "AWS_PROXY"
    /// AWS service integration.
    case aws = "AWS"
    /// Switchboard extension: send the (templated) message to every connection of the API stage.
    case broadcast = "BROADCAST"
}

/// `integration:` on a route.
///
/// Keys: `type` (``IntegrationType``), `uri` (HTTP URL, Lambda ARN or invocation URL; may use
/// `${stageVariables.x}`), `integrationMethod` (HTTP method, default `POST`), `timeoutInMillis`
/// (50–29000, default 29000), `requestParameters` (map `integration.request.header.X` →
/// `context.x | stageVariables.x | route.request.header.X | route.request.querystring.X |
/// route.request.body.x | 'static'`), `requestTemplates` (map content type / `$default` → template),
/// `templateSelectionExpression`, `integrationResponses` (list of ``IntegrationResponseDefinition``),
/// `payloadFormatVersion` (`1.0 | 2.0`).
package struct IntegrationDefinition: Sendable, Equatable {
    /// The type.
    package var type: IntegrationType
    /// Target URI.
    package var uri: String?
    /// HTTP method used towards the backend.
    package var integrationMethod: String
    /// Timeout in milliseconds.
    package var timeoutInMillis: Int
    /// Request parameter mappings, target → source.
    package var requestParameters: [String: String]
    /// Request templates by key.
    package var requestTemplates: [String: String]
    /// Template selection expression.
    package var templateSelectionExpression: String?
    /// Integration responses.
    package var integrationResponses: [IntegrationResponseDefinition]
    /// Payload format version for proxy integrations.
    package var payloadFormatVersion: String
    /// HTTP API response parameter mappings, by the integration's status code (`"200"` → key → value).
    package var responseParameters: [String: [String: String]] = [:]
    /// Non-proxy passthrough when no request template matches: `WHEN_NO_MATCH` (default),
    /// `WHEN_NO_TEMPLATES` or `NEVER`.
    package var passthroughBehavior: String = "WHEN_NO_MATCH"
    /// `CONVERT_TO_TEXT` or `CONVERT_TO_BINARY` (REST non-proxy).
    package var contentHandling: String?

    /// The default and maximum integration timeout, as AWS.
    package static let maxTimeoutInMillis = 29_000
    /// The minimum integration timeout, as AWS.
    package static let minTimeoutInMillis = 50

    /// Creates an integration.
    package init(
        type: IntegrationType,
        uri: String? = nil,
        integrationMethod: String = "POST",
        timeoutInMillis: Int = IntegrationDefinition.maxTimeoutInMillis,
        requestParameters: [String: String] = [:],
        requestTemplates: [String: String] = [:],
        templateSelectionExpression: String? = nil,
        integrationResponses: [IntegrationResponseDefinition] = [],
        payloadFormatVersion: String = "1.0"
    ) {
        self.type = type
        self.uri = uri
        self.integrationMethod = integrationMethod
        self.timeoutInMillis = timeoutInMillis
        self.requestParameters = requestParameters
        self.requestTemplates = requestTemplates
        self.templateSelectionExpression = templateSelectionExpression
        self.integrationResponses = integrationResponses
        self.payloadFormatVersion = payloadFormatVersion
    }
}

/// One entry of `integrationResponses:`.
///
/// Keys: `integrationResponseKey` (`$default` or `/regex/` on the status code), `statusCode` (REST),
/// `responseTemplates` (map key → template), `templateSelectionExpression`.
package struct IntegrationResponseDefinition: Sendable, Equatable {
    /// The selection key.
    package var integrationResponseKey: String
    /// Status code (REST form).
    package var statusCode: String?
    /// Response templates.
    package var responseTemplates: [String: String]
    /// Template selection expression.
    package var templateSelectionExpression: String?
    /// REST: regular expression matched against the backend status (HTTP, AWS) or the Lambda error message.
    package var selectionPattern: String?
    /// REST: `method.response.header.X` → `integration.response.header.Y | integration.response.body… | 'static'`.
    package var responseParameters: [String: String] = [:]

    /// Creates an integration response.
    package init(
        integrationResponseKey: String = "$default",
        statusCode: String? = nil,
        responseTemplates: [String: String] = [:],
        templateSelectionExpression: String? = nil
    ) {
        self.integrationResponseKey = integrationResponseKey
        self.statusCode = statusCode
        self.responseTemplates = responseTemplates
        self.templateSelectionExpression = templateSelectionExpression
    }
}
