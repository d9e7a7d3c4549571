import NIOCore
import NIOHTTP1
import SwitchboardCore
import SwitchboardPipeline

/// A `@connections` (or `@broadcast`) request, parsed from the path below the stage or mapping.
struct ManagementRequest: Sendable {
    enum Target: Sendable, Equatable {
        /// `/@connections/{id}` — AWS's management API.
        case connection(String)
        /// `/@broadcast` — Switchboard extension: every connection of the stage.
        case broadcast
    }
    var target: Target
    var method: HTTPMethod
    var rawPath: String
    var rawQuery: String?
    var headers: [(name: String, value: String)]
    var body: ByteBuffer
    var apiId: String
    var stage: String

    /// Parses the management target from the path below the stage; `nil` when it is not a management path.
    static func target(remainingPath: String) -> Target? {
        let segments = PathSegments.nonEmpty(of: remainingPath)
        guard let first = segments.first else { return nil }
        let head = PercentEncoding.decode(first, plusIsSpace: false)
        if head == "@connections", segments.count == 2 {
            return .connection(PercentEncoding.decode(segments[1], plusIsSpace: false))
        }
        if head == "@broadcast", segments.count == 1 {
            return .broadcast
        }
        return nil
    }
}

extension Gateway {
    /// Largest `PostToConnection` payload, as AWS (`Data` max 131072).
    static let maxPostBytes = 131_072

    /// How a management request is answered once ``startManagement(_:on:)`` has checked it.
    enum ManagementStart {
        /// Right away (a denial, a bad request).
        case now(HTTPResponseValue)
        /// When an operation completes: on a connection of this node, forwarded to the node that owns it (no task
        /// when the owner is known), or a broadcast handed to every connection.
        case future(EventLoopFuture<HTTPResponseValue>)
    }

    /// Serves the `@connections` API (POST: send, GET: status, DELETE: disconnect, with AWS's errors), first its
    /// synchronous part: the API, the account throttle, the caller's authorization
    /// and the request's shape, then the operation itself when the connection is this node's.
    /// - Parameters:
    ///   - request: the request.
    ///   - eventLoop: the caller's loop, where a forwarded call's answer completes.
    func startManagement(_ request: ManagementRequest, on eventLoop: any EventLoop) -> ManagementStart {
        let snapshot = self.snapshot
        guard let api = snapshot.webSocketAPIs[request.apiId] else { return .now(.error(.forbidden)) }
        // Callback calls count against the account throttle, as in AWS; botocore retries the 429.
        guard snapshot.security.admitAccount() else {
            return .now(.error(.limitExceeded))
        }
        if let denied = self.authorizeManagement(
            request,
            auth: api.definition.managementApi.auth,
            verifier: snapshot.managementVerifier
        ) {
            return .now(denied)
        }
        switch request.target {
        case .broadcast:
            guard request.method == .POST else { return .now(.error(.forbidden)) }
            guard request.body.readableBytes <= Self.maxPostBytes else { return .now(.error(.payloadTooLarge)) }
            return .future(self.broadcast(request, on: eventLoop))
        case .connection(let id):
            if request.method == .POST, request.body.readableBytes > Self.maxPostBytes {
                return .now(.error(.payloadTooLarge))
            }
            if let local = self.localConnectionOperation(
                method: request.method,
                id: id,
                apiId: request.apiId,
                stage: request.stage,
                body: request.body
            ) {
                return .future(local)
            }
            guard [.POST, .GET, .DELETE].contains(request.method) else { return .now(.error(.forbidden)) }
            guard let cluster = self.cluster else { return .now(.error(.gone)) }
            return .future(
                cluster.forward(
                    method: request.method,
                    connectionId: id,
                    apiId: request.apiId,
                    stage: request.stage,
                    body: request.body,
                    on: eventLoop
                )
            )
        }
    }

    /// `@broadcast`: to the other nodes (one Redis message) and to this node's connections; the answer counts this
    /// node's deliveries (`delivered`) and, in cluster mode, the other nodes reached (`nodes`).
    private func broadcast(
        _ request: ManagementRequest,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<HTTPResponseValue> {
        let nodes = self.cluster?.broadcast(
            apiId: request.apiId,
            stage: request.stage,
            payload: Array(request.body.readableBytesView),
            isBinary: false,
            on: eventLoop
        )
        let sends = LocalMessenger(table: self.table).send(
            apiId: request.apiId,
            stage: request.stage,
            payload: request.body,
            isBinary: false
        )
        let delivered = EventLoopFuture.reduce(0, sends, on: eventLoop, +)
        guard let nodes else { return delivered.map { .json(200, "{\"delivered\":\($0)}") } }
        return delivered.and(nodes).map { delivered, nodes in
            .json(200, "{\"delivered\":\(delivered),\"nodes\":\(nodes)}")
        }
    }

    /// POST / GET / DELETE on a connection this node owns, without suspending (the cluster inbox calls it on its
    /// event loop); `nil` when this node does not own the connection.
    func localConnectionOperation(
        method: HTTPMethod,
        id: String,
        apiId: String,
        stage: String,
        body: ByteBuffer
    ) -> EventLoopFuture<HTTPResponseValue>? {
        guard let connection = self.table.lookup(id), connection.info.apiId == apiId, connection.info.stage == stage
        else { return nil }
        switch method {
        case .POST:
            return connection.send(body, isBinary: false).map { outcome in
                switch outcome {
                case .queued: return HTTPResponseValue(status: 200)
                case .queueFull: return .error(.limitExceeded)
                case .gone: return .error(.gone)
                }
            }
        case .GET:
            return connection.eventLoop.makeSucceededFuture(.json(200, Self.connectionStatusJSON(connection)))
        case .DELETE:
            connection.close(code: 1000, reason: "")
            return connection.eventLoop.makeSucceededFuture(HTTPResponseValue(status: 204))
        default:
            return connection.eventLoop.makeSucceededFuture(.error(.forbidden))
        }
    }

    /// `GetConnection`'s body: `{"connectedAt":…,"identity":{"sourceIp":…,"userAgent":…},"lastActiveAt":…}`.
    static func connectionStatusJSON(_ connection: WebSocketConnection) -> String {
        let value: JSONValue = .object([
            "connectedAt": .string(Timestamp.iso8601(epochMillis: connection.info.connectedAtMillis)),
            "identity": .object([
                "sourceIp": .string(connection.info.sourceIp),
                "userAgent": .string(connection.info.userAgent ?? ""),
            ]),
            "lastActiveAt": .string(Timestamp.iso8601(epochMillis: connection.lastActiveMillis)),
        ])
        return value.serialized
    }

    /// Checks `managementApi.auth`; returns the error response when the caller is not allowed.
    private func authorizeManagement(
        _ request: ManagementRequest,
        auth: ManagementAPIConfig.Auth,
        verifier: SigV4Verifier?
    ) -> HTTPResponseValue? {
        switch auth {
        case .none:
            return nil
        case .awsIAM:
            guard let verifier else { return .error(.forbidden) }
            let payloadHash = request.body.withUnsafeReadableBytes { SigV4Verifier.sha256Hex($0) }
            let signed = SigV4Request(
                method: request.method.rawValue,
                rawPath: request.rawPath,
                rawQuery: request.rawQuery,
                headers: request.headers,
                payloadSHA256Hex: payloadHash
            )
            switch verifier.verify(signed, nowEpochMillis: self.nowMillis()) {
            case .success:
                return nil
            case .failure(let failure):
                if failure.kind == .missingAuthenticationToken { return .error(.missingAuthenticationToken) }
                return .error(
                    GatewayError(type: nil, status: 403, errorType: "ForbiddenException", message: failure.message)
                )
            }
        }
    }
}
