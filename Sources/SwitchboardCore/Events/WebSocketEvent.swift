/// The `$context.eventType` of a WebSocket route invocation.
package enum WebSocketEventType: String, Sendable {
    /// The `$connect` route: the upgrade request.
    case connect = "CONNECT"
    /// A message routed by the route selection expression.
    case message = "MESSAGE"
    /// The `$disconnect` route, after the connection closed.
    case disconnect = "DISCONNECT"
}

/// Everything API Gateway tells an integration about one WebSocket route invocation.
///
/// ``lambdaProxyEvent()`` renders it as the Lambda proxy event AWS sends, with the same field names, order
/// and presence (reference `aws-websocket.md` §1.10).
package struct WebSocketEvent: Sendable {
    /// The selected route key, e.g. `$connect`, `$default` or `sendmessage`.
    package var routeKey: String
    /// The event type.
    package var eventType: WebSocketEventType
    /// The message id; rendered only for `MESSAGE` events.
    package var messageId: String?
    /// The request id, also rendered as `extendedRequestId`.
    package var requestId: String
    /// When the gateway received the request, in milliseconds since the Unix epoch.
    package var requestTimeEpochMillis: Int64
    /// The stage name.
    package var stage: String
    /// When the connection was established, in milliseconds since the Unix epoch.
    package var connectedAtEpochMillis: Int64
    /// The client's source IP.
    package var sourceIp: String
    /// The client's `User-Agent` from the upgrade request; rendered as `""` when `nil`.
    package var userAgent: String?
    /// The domain name clients connect to (also the `Host` of `DISCONNECT` events).
    package var domainName: String
    /// The connection id.
    package var connectionId: String
    /// The API id.
    package var apiId: String
    /// `CONNECT`: the upgrade request's headers in arrival order. Repeated names (matched case-insensitively,
    /// first spelling kept) are comma-joined in `headers` and listed one by one in `multiValueHeaders`.
    package var headers: [(name: String, value: String)]
    /// `CONNECT`: the decoded query parameters in order, or `nil` when the upgrade URL had no query string.
    /// A repeated name keeps its last value in `queryStringParameters` (as AWS does for REST proxy events)
    /// and all values in `multiValueQueryStringParameters`.
    package var queryString: [(name: String, value: String)]?
    /// `MESSAGE`: the message body (base64 when ``isBase64Encoded``).
    package var body: String?
    /// Whether ``body`` is base64 (binary frames).
    package var isBase64Encoded: Bool
    /// `DISCONNECT`: the WebSocket close code; rendered as 1005 (no status received) when `nil`.
    package var disconnectStatusCode: Int?
    /// `DISCONNECT`: the close reason; rendered as `""` when `nil`.
    package var disconnectReason: String?
    /// The Lambda authorizer's output (`principalId` plus `context` keys), appended to `requestContext` as
    /// `authorizer` when non-nil.
    package var authorizer: JSONObject?
    /// The stage variables; rendered as top-level `stageVariables` when non-empty.
    package var stageVariables: [(String, String)]?

    /// Creates an event.
    /// - Parameters:
    ///   - routeKey: The selected route key.
    ///   - eventType: The event type.
    ///   - messageId: The message id (`MESSAGE` only).
    ///   - requestId: The request id (also `extendedRequestId`).
    ///   - requestTimeEpochMillis: The request time, epoch milliseconds.
    ///   - stage: The stage name.
    ///   - connectedAtEpochMillis: The connection time, epoch milliseconds.
    ///   - sourceIp: The client's source IP.
    ///   - userAgent: The client's user agent.
    ///   - domainName: The API's domain name.
    ///   - connectionId: The connection id.
    ///   - apiId: The API id.
    ///   - headers: The upgrade request's headers (`CONNECT`).
    ///   - queryString: The upgrade URL's decoded query parameters, or `nil` (`CONNECT`).
    ///   - body: The message body (`MESSAGE`).
    ///   - isBase64Encoded: Whether the body is base64.
    ///   - disconnectStatusCode: The close code (`DISCONNECT`).
    ///   - disconnectReason: The close reason (`DISCONNECT`).
    ///   - authorizer: The authorizer output, or `nil`.
    ///   - stageVariables: The stage variables, or `nil`.
    package init(
        routeKey: String,
        eventType: WebSocketEventType,
        messageId: String? = nil,
        requestId: String,
        requestTimeEpochMillis: Int64,
        stage: String,
        connectedAtEpochMillis: Int64,
        sourceIp: String,
        userAgent: String? = nil,
        domainName: String,
        connectionId: String,
        apiId: String,
        headers: [(name: String, value: String)] = [],
        queryString: [(name: String, value: String)]? = nil,
        body: String? = nil,
        isBase64Encoded: Bool = false,
        disconnectStatusCode: Int? = nil,
        disconnectReason: String? = nil,
        authorizer: JSONObject? = nil,
        stageVariables: [(String, String)]? = nil
    ) {
        self.routeKey = routeKey
        self.eventType = eventType
        self.messageId = messageId
        self.requestId = requestId
        self.requestTimeEpochMillis = requestTimeEpochMillis
        self.stage = stage
        self.connectedAtEpochMillis = connectedAtEpochMillis
        self.sourceIp = sourceIp
        self.userAgent = userAgent
        self.domainName = domainName
        self.connectionId = connectionId
        self.apiId = apiId
        self.headers = headers
        self.queryString = queryString
        self.body = body
        self.isBase64Encoded = isBase64Encoded
        self.disconnectStatusCode = disconnectStatusCode
        self.disconnectReason = disconnectReason
        self.authorizer = authorizer
        self.stageVariables = stageVariables
    }
}
