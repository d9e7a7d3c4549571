import Logging
import NIOCore
import NIOHTTP1
import SwitchboardCore
import SwitchboardPipeline

/// A WebSocket upgrade accepted so far by validation, waiting for `$connect`.
struct PendingUpgrade: Sendable {
    var api: CompiledWebSocketAPI
    var info: ConnectionInfo
    var stageVariables: [String: String]
    var requestId: String
    var requestTimeMillis: Int64
    var headers: [(name: String, value: String)]
    var queryString: [(name: String, value: String)]?
    var clientKey: String
    var deflate: DeflateParameters?
}

/// The outcome of validating an upgrade request.
enum UpgradePreparation: Sendable {
    /// Valid: run `$connect`.
    case ready(PendingUpgrade)
    /// Invalid: answer with this response.
    case rejected(HTTPResponseValue)
}

/// What `$connect` decided.
enum UpgradeDecision: Sendable {
    /// Write 101 with these extra headers and start the session.
    case accept(PendingUpgrade, extraHeaders: [(name: String, value: String)])
    /// Answer the handshake with this response.
    case reject(HTTPResponseValue)
}

extension Gateway {
    // MARK: - $connect

    /// Validates an upgrade request and selects its API. Runs on the event loop; no I/O.
    func prepareUpgrade(
        head: HTTPRequestHead,
        selection: APISelector.Selection,
        remoteAddress: SocketAddress?
    ) -> UpgradePreparation {
        guard let api = self.snapshot.webSocketAPIs[selection.apiId], selection.remainingPath == "/" else {
            return .rejected(.error(.forbidden))
        }
        guard head.method == .GET, head.version == .http1_1 else {
            return .rejected(.json(400, #"{"message":"WebSocket upgrades need GET over HTTP/1.1"}"#))
        }
        guard head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "upgrade" }) else {
            return .rejected(.json(400, #"{"message":"Missing Connection: Upgrade"}"#))
        }
        guard head.headers.first(name: "Sec-WebSocket-Version") == "13" else {
            return .rejected(
                HTTPResponseValue(
                    status: 426,
                    headers: [("Sec-WebSocket-Version", "13"), ("Content-Type", "application/json")],
                    body: ByteBuffer(string: #"{"message":"Unsupported Sec-WebSocket-Version"}"#)
                )
            )
        }
        guard let key = head.headers.first(name: "Sec-WebSocket-Key"), WebSocketHandshake.isValidKey(key) else {
            return .rejected(.json(400, #"{"message":"Missing or invalid Sec-WebSocket-Key"}"#))
        }
        let now = self.nowMillis()
        let settings = api.definition.webSocket
        var deflate: DeflateParameters?
        switch settings.compression.mode {
        case .off:
            deflate = nil
        case .noContextTakeover:
            deflate = DeflateNegotiation.negotiate(
                headerValues: head.headers["Sec-WebSocket-Extensions"],
                policy: .noContextTakeover
            )
        case .contextTakeover:
            deflate = DeflateNegotiation.negotiate(
                headerValues: head.headers["Sec-WebSocket-Extensions"],
                policy: .contextTakeover(windowBits: settings.compression.windowBits)
            )
        }
        let host = head.headers.first(name: "Host") ?? "localhost"
        let info = ConnectionInfo(
            connectionId: self.ids.next(),
            apiId: api.definition.id,
            stage: selection.stage,
            domainName: Self.hostWithoutPort(host),
            sourceIp: remoteAddress?.ipAddress ?? "",
            userAgent: head.headers.first(name: "User-Agent"),
            connectedAtMillis: now
        )
        let query = Self.queryPairs(head.uri)
        if let security = api.security {
            if let error = security.admitConnection(stage: selection.stage) { return .rejected(.error(error)) }
            let rawPath = String(head.uri.prefix { $0 != "?" })
            let rawQuery = head.uri.firstIndex(of: "?").map { String(head.uri[head.uri.index(after: $0)...]) }
            let headers = head.headers.map { (name: $0.name, value: $0.value) }
            if let error = security.verifyIAM(
                stage: selection.stage,
                rawPath: rawPath,
                rawQuery: rawQuery,
                headers: headers,
                sourceIp: remoteAddress?.ipAddress
            ) {
                return .rejected(.error(error))
            }
        }
        return .ready(
            PendingUpgrade(
                api: api,
                info: info,
                stageVariables: api.stageVariables[selection.stage] ?? [:],
                requestId: self.ids.next(),
                requestTimeMillis: now,
                headers: head.headers.map { ($0.name, $0.value) },
                queryString: query,
                clientKey: key,
                deflate: deflate
            )
        )
    }

    private func connectExchange(_ pending: PendingUpgrade, route: CompiledRoute) -> Exchange {
        Exchange(
            route: route,
            stageVariables: pending.stageVariables,
            connection: pending.info,
            eventType: .connect,
            requestId: pending.requestId,
            requestTimeMillis: pending.requestTimeMillis,
            headers: pending.headers,
            queryString: pending.queryString
        )
    }

    /// Decides the upgrade without I/O when `$connect` is absent or a MOCK; `nil` when it needs a task.
    func connectImmediately(_ pending: PendingUpgrade) -> UpgradeDecision? {
        if pending.api.security?.connectNeedsTask == true { return nil }
        guard let route = pending.api.connectRoute, let invoker = route.invoker else {
            return .accept(pending, extraHeaders: [])
        }
        guard let result = invoker.invokeImmediately(self.connectExchange(pending, route: route)) else { return nil }
        return self.decide(pending, result)
    }

    /// Runs the `$connect` integration and decides the upgrade.
    func runConnect(_ pending: PendingUpgrade) async -> UpgradeDecision {
        var pending = pending
        if let security = pending.api.security, security.connectNeedsTask {
            let route =
                pending.api.connectRoute
                ?? CompiledRoute(definition: RouteDefinition(routeKey: "$connect"), invoker: nil)
            do throws(GatewayError) {
                pending.info.authorizer = try await security.authorizeConnect(
                    self.connectExchange(pending, route: route)
                )
            } catch {
                return .reject(.error(error))
            }
        }
        guard let route = pending.api.connectRoute, let invoker = route.invoker else {
            return .accept(pending, extraHeaders: [])
        }
        let exchange = self.connectExchange(pending, route: route)
        do throws(IntegrationError) {
            return self.decide(pending, .success(try await invoker.invoke(exchange)))
        } catch {
            return self.decide(pending, .failure(error))
        }
    }

    private func decide(
        _ pending: PendingUpgrade,
        _ result: Result<IntegrationResult, IntegrationError>
    ) -> UpgradeDecision {
        switch result {
        case .success(let result) where result.isSuccess:
            var headers: [(name: String, value: String)] = []
            if let subprotocol = result.header("Sec-WebSocket-Protocol") {
                headers.append(("Sec-WebSocket-Protocol", subprotocol))
            }
            return .accept(pending, extraHeaders: headers)
        case .success(let result):
            var headers = result.headers.filter { !Self.handshakeHopByHop.contains($0.name.lowercased()) }
            if !headers.contains(where: { $0.name.caseInsensitiveEquals("content-type") }),
                result.body.readableBytes > 0
            {
                headers.append(("Content-Type", "application/json"))
            }
            return .reject(HTTPResponseValue(status: result.statusCode, headers: headers, body: result.body))
        case .failure(let error):
            self.logger.warning(
                "$connect integration failed",
                metadata: [
                    "sb.connection.id": .string(pending.info.connectionId), "sb.error.type": .string(error.description),
                ]
            )
            let gatewayError = error.kind == .timeout ? GatewayError.integrationTimeout : GatewayError.badGateway
            var response = HTTPResponseValue.error(gatewayError)
            response.status = error.handshakeStatus
            return .reject(response)
        }
    }

    private static let handshakeHopByHop: Set<String> = [
        "content-length", "transfer-encoding", "connection", "upgrade", "keep-alive",
    ]

    // MARK: - Connection lifecycle

    /// Called by the session once the 101 is written and the session handlers are installed.
    func connectionOpened(_ connection: WebSocketConnection) {
        self.table.insert(connection)
        if let cluster = self.cluster {
            self.work.submit { await cluster.register(connection) }
        }
        self.logger.debug("connected", metadata: ["sb.connection.id": .string(connection.id)])
    }

    /// Called exactly once when a session's socket closes: forget it and run `$disconnect`.
    /// `accepted` is the API definition the connection was accepted with: its `$disconnect` runs when a reload
    /// removed the API since.
    func connectionClosed(
        _ connection: WebSocketConnection,
        code: Int,
        reason: String,
        accepted: CompiledWebSocketAPI? = nil
    ) {
        self.table.remove(connection.id)
        (self.snapshot.webSocketAPIs[connection.info.apiId] ?? accepted)?.security?.forget(connectionId: connection.id)
        if let cluster = self.cluster {
            let id = connection.id
            self.work.submit { await cluster.unregister(id) }
        }
        self.runDisconnect(connection.info, code: code, reason: reason, accepted: accepted)
    }

    /// A survivor swept a dead node's connection: deliver its `$disconnect` (1006, abnormal closure).
    func disconnectSwept(_ record: ConnectionRecord) {
        let info = ConnectionInfo(
            connectionId: record.connectionId,
            apiId: record.apiId,
            stage: record.stage,
            domainName: record.domainName,
            sourceIp: record.sourceIp,
            userAgent: record.userAgent,
            connectedAtMillis: record.connectedAtMillis,
            authorizer: record.authorizer
        )
        self.runDisconnect(info, code: 1006, reason: "")
    }

    /// The client left while `$connect` was running: the backend accepted it, so it hears `$disconnect`.
    func abandonedAfterConnect(_ pending: PendingUpgrade) {
        self.runDisconnect(pending.info, code: 1006, reason: "", accepted: pending.api)
    }

    /// Runs `$disconnect` as currently configured for the connection's API, else as configured when the
    /// connection was accepted (`accepted`, when a reload removed the API).
    private func runDisconnect(
        _ info: ConnectionInfo,
        code: Int,
        reason: String,
        accepted: CompiledWebSocketAPI? = nil
    ) {
        guard let api = self.snapshot.webSocketAPIs[info.apiId] ?? accepted,
            let route = api.disconnectRoute, let invoker = route.invoker
        else { return }
        let exchange = Exchange(
            route: route,
            stageVariables: api.stageVariables[info.stage] ?? [:],
            connection: info,
            eventType: .disconnect,
            requestId: self.ids.next(),
            requestTimeMillis: self.nowMillis(),
            disconnectStatusCode: code,
            disconnectReason: reason
        )
        if invoker.invokeImmediately(exchange) != nil { return }
        let logger = self.logger
        // At most 64 of an API's `$disconnect` calls at once: a mass disconnect queues here, not in the HTTP client.
        self.work.submit(lane: "$disconnect " + info.apiId, limit: 64) {
            do throws(IntegrationError) {
                _ = try await invoker.invoke(exchange)
            } catch {
                logger.warning(
                    "$disconnect integration failed",
                    metadata: [
                        "sb.connection.id": .string(exchange.connection.connectionId),
                        "sb.error.type": .string(error.description),
                    ]
                )
            }
        }
    }

    // MARK: - Messages

    /// Routes a complete client message and runs its integration.
    ///
    /// The message is routed with the current definition of the connection's API, so a reload's routes apply
    /// to new messages on established connections (as an AWS redeployment does); `accepted` — the definition
    /// the connection was accepted with — is used when a reload removed the API.
    func handleMessage(
        on connection: WebSocketConnection,
        api accepted: CompiledWebSocketAPI,
        payload: ByteBuffer,
        isBinary: Bool
    ) {
        let api = self.snapshot.webSocketAPIs[accepted.definition.id] ?? accepted
        let now = self.nowMillis()
        connection.touch(now)
        let requestId = self.ids.next()
        guard let route = api.selectRoute(body: payload.readableBytesView) else {
            self.sendErrorFrame(to: connection, message: "Forbidden", requestId: requestId)
            return
        }
        if let security = api.security,
            !security.admitMessage(
                connectionId: connection.id,
                stage: connection.info.stage,
                routeKey: route.definition.routeKey
            )
        {
            self.sendErrorFrame(to: connection, message: "Too Many Requests", requestId: requestId)
            return
        }
        guard let invoker = route.invoker else { return }
        let exchange = Exchange(
            route: route,
            stageVariables: api.stageVariables[connection.info.stage] ?? [:],
            connection: connection.info,
            eventType: .message,
            requestId: requestId,
            messageId: self.ids.next(),
            requestTimeMillis: now,
            body: payload,
            isBinary: isBinary,
            eventLoop: connection.eventLoop
        )
        if let immediate = invoker.invokeImmediately(exchange) {
            self.deliver(immediate, of: exchange, to: connection)
            return
        }
        // On the connection's own loop: an HTTP_PROXY call then uses that loop's upstream connections and its
        // answer is written without a thread hand-off.
        self.work.submit(on: self.taskExecutor(for: connection.eventLoop)) {
            let result: Result<IntegrationResult, IntegrationError>
            do throws(IntegrationError) {
                result = .success(try await invoker.invoke(exchange))
            } catch {
                result = .failure(error)
            }
            self.deliver(result, of: exchange, to: connection)
        }
    }

    private func deliver(
        _ result: Result<IntegrationResult, IntegrationError>,
        of exchange: Exchange,
        to connection: WebSocketConnection
    ) {
        switch result {
        case .success(let result):
            guard exchange.route.isTwoWay else { return }
            _ = connection.send(result.body, isBinary: result.isBinary)
        case .failure(let error):
            self.logger.warning(
                "integration failed",
                metadata: [
                    "sb.connection.id": .string(connection.id),
                    "sb.route.key": .string(exchange.route.definition.routeKey),
                    "sb.error.type": .string(error.description),
                ]
            )
            self.sendErrorFrame(to: connection, message: "Internal server error", requestId: exchange.requestId)
        }
    }

    /// Sends AWS's error frame, byte for byte: `{"message": "Forbidden", "connectionId":"…", "requestId":"…"}`.
    func sendErrorFrame(to connection: WebSocketConnection, message: String, requestId: String) {
        let text =
            "{\"message\": \"\(message)\", \"connectionId\":\"\(connection.id)\", \"requestId\":\"\(requestId)\"}"
        _ = connection.send(ByteBuffer(string: text), isBinary: false)
    }

    // MARK: - Helpers

    static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[...close]) }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    /// Query pairs of a request URI, percent-decoded; `nil` when there is no query string.
    static func queryPairs(_ uri: String) -> [(name: String, value: String)]? {
        guard let mark = uri.firstIndex(of: "?") else { return nil }
        let query = uri[uri.index(after: mark)...]
        guard !query.isEmpty else { return nil }
        return query.split(separator: "&").map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (
                    PercentEncoding.decode(pair[..<equals]), PercentEncoding.decode(pair[pair.index(after: equals)...])
                )
            }
            return (PercentEncoding.decode(pair), "")
        }
    }
}
