package import NIOCore
package import SwitchboardCore

/// What the pipeline knows about one WebSocket connection.
package struct ConnectionInfo: Sendable {
    /// The connection id.
    package var connectionId: String
    /// The API id.
    package var apiId: String
    /// The stage name.
    package var stage: String
    /// The domain name clients used (the `Host` header, without port).
    package var domainName: String
    /// The client's address.
    package var sourceIp: String
    /// The client's `User-Agent`.
    package var userAgent: String?
    /// When the connection was accepted (epoch ms).
    package var connectedAtMillis: Int64
    /// The authorizer's result (`principalId` and context), when an authorizer ran on `$connect`.
    package var authorizer: JSONObject?

    /// Creates connection info.
    package init(
        connectionId: String,
        apiId: String,
        stage: String,
        domainName: String,
        sourceIp: String,
        userAgent: String?,
        connectedAtMillis: Int64,
        authorizer: JSONObject? = nil
    ) {
        self.connectionId = connectionId
        self.apiId = apiId
        self.stage = stage
        self.domainName = domainName
        self.sourceIp = sourceIp
        self.userAgent = userAgent
        self.connectedAtMillis = connectedAtMillis
        self.authorizer = authorizer
    }
}

/// One request through the pipeline: the matched route, the connection, and the event's data.
///
/// Every step reads and writes only this value, so timing, logging and error mapping live in the runner.
package struct Exchange: Sendable {
    /// The route being run.
    package var route: CompiledRoute
    /// The stage's variables.
    package var stageVariables: [String: String]
    /// The connection.
    package var connection: ConnectionInfo
    /// CONNECT, MESSAGE or DISCONNECT.
    package var eventType: WebSocketEventType
    /// The request id (also the extended request id).
    package var requestId: String
    /// The message id (MESSAGE only).
    package var messageId: String?
    /// When the request arrived (epoch ms).
    package var requestTimeMillis: Int64
    /// The message body (MESSAGE only).
    package var body: ByteBuffer?
    /// Whether the message arrived as a binary frame.
    package var isBinary: Bool
    /// The upgrade request's headers (CONNECT only).
    package var headers: [(name: String, value: String)]
    /// The upgrade request's query string pairs, `nil` when there was none (CONNECT only).
    package var queryString: [(name: String, value: String)]?
    /// The close code (DISCONNECT only).
    package var disconnectStatusCode: Int?
    /// The close reason (DISCONNECT only).
    package var disconnectReason: String?
    /// The connection's event loop, where the integration runs (MESSAGE): a plain-HTTP `HTTP_PROXY` then uses that
    /// loop's keep-alive upstream connections. `nil` elsewhere.
    package var eventLoop: (any EventLoop)?

    /// Creates an exchange.
    package init(
        route: CompiledRoute,
        stageVariables: [String: String],
        connection: ConnectionInfo,
        eventType: WebSocketEventType,
        requestId: String,
        messageId: String? = nil,
        requestTimeMillis: Int64,
        body: ByteBuffer? = nil,
        isBinary: Bool = false,
        headers: [(name: String, value: String)] = [],
        queryString: [(name: String, value: String)]? = nil,
        disconnectStatusCode: Int? = nil,
        disconnectReason: String? = nil,
        eventLoop: (any EventLoop)? = nil
    ) {
        self.route = route
        self.stageVariables = stageVariables
        self.connection = connection
        self.eventType = eventType
        self.requestId = requestId
        self.messageId = messageId
        self.requestTimeMillis = requestTimeMillis
        self.body = body
        self.isBinary = isBinary
        self.headers = headers
        self.queryString = queryString
        self.disconnectStatusCode = disconnectStatusCode
        self.disconnectReason = disconnectReason
        self.eventLoop = eventLoop
    }

    /// The body as a string (UTF-8, lossy for binary).
    package var bodyString: String {
        guard let body else { return "" }
        return String(buffer: body)
    }

    /// The first value of a request header, case-insensitively.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Resolves a `$context` variable name (`connectionId`, `routeKey`, `authorizer.principalId`, ...).
    /// - Parameter name: the name after `context.`.
    /// - Returns: the value, or `nil` when unknown.
    package func contextVariable(_ name: String) -> String? {
        switch name {
        case "connectionId": return self.connection.connectionId
        case "connectedAt": return String(self.connection.connectedAtMillis)
        case "domainName": return self.connection.domainName
        case "eventType": return self.eventType.rawValue
        case "messageId": return self.messageId
        case "routeKey": return self.route.definition.routeKey
        case "requestId", "extendedRequestId": return self.requestId
        case "apiId": return self.connection.apiId
        case "stage": return self.connection.stage
        case "requestTime": return Timestamp.clf(epochMillis: self.requestTimeMillis)
        case "requestTimeEpoch": return String(self.requestTimeMillis)
        case "messageDirection": return "IN"
        case "identity.sourceIp": return self.connection.sourceIp
        case "identity.userAgent": return self.connection.userAgent
        case "disconnectStatusCode": return self.disconnectStatusCode.map { String($0) }
        case "disconnectReason": return self.disconnectReason
        default:
            if name.hasPrefix("authorizer."), let authorizer = self.connection.authorizer {
                return JSONValue.object(authorizer).lookup(dottedPath: name.dropFirst("authorizer.".count))?
                    .selectionString
            }
            return nil
        }
    }

    /// The Lambda proxy event for this exchange.
    package var webSocketEvent: WebSocketEvent {
        WebSocketEvent(
            routeKey: self.route.definition.routeKey,
            eventType: self.eventType,
            messageId: self.messageId,
            requestId: self.requestId,
            requestTimeEpochMillis: self.requestTimeMillis,
            stage: self.connection.stage,
            connectedAtEpochMillis: self.connection.connectedAtMillis,
            sourceIp: self.connection.sourceIp,
            userAgent: self.connection.userAgent,
            domainName: self.connection.domainName,
            connectionId: self.connection.connectionId,
            apiId: self.connection.apiId,
            headers: self.headers,
            queryString: self.queryString,
            body: self.eventType == .message ? self.bodyString : nil,
            isBase64Encoded: false,
            disconnectStatusCode: self.disconnectStatusCode,
            disconnectReason: self.disconnectReason,
            authorizer: self.connection.authorizer,
            stageVariables: self.stageVariables.isEmpty ? nil : self.stageVariables.sorted { $0.key < $1.key }
        )
    }
}
