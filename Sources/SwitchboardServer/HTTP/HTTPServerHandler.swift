import NIOCore
import NIOHTTP1
import NIOWebSocket
import SwitchboardCore
import SwitchboardPipeline

/// Serves HTTP/1.1 on a connection until it upgrades: WebSocket handshakes (holding the 101 until `$connect`
/// decides), the `@connections` management API, and the health endpoint. It also answers what the request
/// decoder rejects: 431 for a head over `server.maxHeaderBytes`, 400 for anything else malformed.
final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Largest request body read, as AWS's 10 MB payload limit.
    static let maxBodyBytes = 10 * 1024 * 1024

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        case discarding
        case processing
        case upgrading
    }

    private let gateway: Gateway
    private let httpHandlers: [any RemovableChannelHandler]
    private var state = State.idle
    /// Closes a connection whose request head does not arrive in time (slowloris): `headDeadline` is set after
    /// each keep-alive response and cleared while a request is handled; one timer checks it and re-schedules itself
    /// for a later deadline, so a request costs no timer cancel and schedule (two heap operations on the loop).
    private var headTimer: Scheduled<Void>?
    private var headDeadline: NIODeadline?

    /// - Parameters:
    ///   - gateway: the data plane.
    ///   - httpHandlers: the HTTP codec handlers to remove on upgrade (the request decoder last).
    init(gateway: Gateway, httpHandlers: [any RemovableChannelHandler]) {
        self.gateway = gateway
        self.httpHandlers = httpHandlers
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.armHeadTimer(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.headTimer?.cancel()
        self.headTimer = nil
    }

    private func armHeadTimer(_ context: ChannelHandlerContext) {
        let timeout = TimeAmount.milliseconds(Int64(self.gateway.config.server.headerReadTimeoutMillis))
        let deadline = NIODeadline.now() + timeout
        self.headDeadline = deadline
        if self.headTimer == nil { self.scheduleHeadCheck(context, at: deadline) }
    }

    private func disarmHeadTimer() {
        self.headDeadline = nil
    }

    private func scheduleHeadCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        self.headTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.headTimer = nil
            guard let due = self.headDeadline else { return }
            if due <= .now() {
                context.close(promise: nil)
            } else {
                self.scheduleHeadCheck(context, at: due)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.disarmHeadTimer()
            guard Self.headBytes(head) <= self.gateway.config.server.maxHeaderBytes else {
                self.state = .discarding
                return self.respond(context, head: head, Self.headerFieldsTooLarge, close: true)
            }
            self.state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
        case .body(var chunk):
            guard case .receiving(let head, var body) = self.state else { return }
            guard body.readableBytes + chunk.readableBytes <= Self.maxBodyBytes else {
                self.state = .discarding
                self.respond(context, head: head, .error(GatewayError(.requestTooLarge)), close: true)
                return
            }
            self.state = .processing  // avoid a copy-on-write of `body`
            body.writeBuffer(&chunk)
            self.state = .receiving(head, body)
        case .end:
            guard case .receiving(let head, let body) = self.state else {
                if case .discarding = self.state { self.state = .idle }
                return
            }
            self.state = .processing
            self.route(context, head: head, body: body)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        // `HTTPServerPipelineHandler` delivers parser errors only between responses, so none is under way here
        // unless a request is still being served or upgraded: then there is nobody to answer, just close.
        let head: HTTPRequestHead
        switch self.state {
        case .idle:
            head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        case .receiving(let received, _):
            head = received
        case .discarding, .processing, .upgrading:
            return context.close(promise: nil)
        }
        self.disarmHeadTimer()
        self.state = .discarding
        let response =
            parserError == .headerOverflow ? Self.headerFieldsTooLarge : .json(400, #"{"message":"Bad Request"}"#)
        self.respond(context, head: head, response, close: true)
    }

    /// 431, for a request line and headers over `server.maxHeaderBytes`.
    private static let headerFieldsTooLarge = HTTPResponseValue.json(
        431,
        #"{"message":"Request Header Fields Too Large"}"#
    )

    /// The size of a request head as sent: the request line, each header line and the empty line.
    private static func headBytes(_ head: HTTPRequestHead) -> Int {
        var total = head.method.rawValue.utf8.count + head.uri.utf8.count + 12  // 2 spaces, HTTP/1.1, CRLF
        for (name, value) in head.headers { total += name.utf8.count + value.utf8.count + 4 }  // ": ", CRLF
        return total + 2
    }

    // MARK: - Routing

    private func route(_ context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let (path, rawQuery) = Self.splitURI(head.uri)
        if path == "/_switchboard/health" {
            let json =
                "{\"status\":\"ok\",\"nodeId\":\"\(self.gateway.nodeId)\",\"connections\":\(self.gateway.table.count)}"
            return self.respond(context, head: head, .json(200, json))
        }
        let snapshot = self.gateway.snapshot  // one snapshot for selection and lookup, even across a reload
        guard let selection = snapshot.selector.select(host: head.headers.first(name: "Host"), path: path) else {
            // No API or stage: API Gateway answers 403 Forbidden (what SDKs see with a wrong endpoint_url).
            return self.respond(context, head: head, .error(.forbidden))
        }
        if let api = snapshot.httpAPIs[selection.apiId] {
            return self.serveAPI(context, head: head, body: body, path: path, rawQuery: rawQuery, selection, api)
        }
        if Self.isWebSocketUpgrade(head) {
            return self.upgrade(context, head: head, selection: selection)
        }
        if let target = ManagementRequest.target(remainingPath: selection.remainingPath) {
            let request = ManagementRequest(
                target: target,
                method: head.method,
                rawPath: path,
                rawQuery: rawQuery,
                headers: head.headers.map { ($0.name, $0.value) },
                body: body,
                apiId: selection.apiId,
                stage: selection.stage
            )
            switch self.gateway.startManagement(request, on: context.eventLoop) {
            case .now(let response):
                self.respond(context, head: head, response)
            case .future(let operation):
                // No task: a post to a connection of this node completes on that connection's loop, a forwarded one
                // when the owner's reply arrives, a broadcast when every loop has written it.
                self.whenDone(context, operation.recover { _ in .error(.gone) }) { handler, context, response in
                    handler.respond(context, head: head, response)
                }
            }
            return
        }
        // A WebSocket API's stage URL answers plain HTTP with 403, as API Gateway does.
        self.respond(context, head: head, .error(.forbidden))
    }

    // MARK: - HTTP and REST APIs

    private func serveAPI(
        _ context: ChannelHandlerContext,
        head: HTTPRequestHead,
        body: ByteBuffer,
        path: String,
        rawQuery: String?,
        _ selection: APISelector.Selection,
        _ api: CompiledHTTPAPI
    ) {
        let hasBody =
            body.readableBytes > 0 || head.headers.contains(name: "Content-Length")
            || head.headers.contains(name: "Transfer-Encoding")
        let request = APIRequest(
            method: head.method.rawValue,
            fullPath: path,
            rawQuery: rawQuery,
            headers: head.headers.map { ($0.name, $0.value) },
            body: body,
            hasBody: hasBody,
            sourceIp: context.remoteAddress?.ipAddress ?? "",
            localAddress: context.localAddress?.ipAddress,
            localPort: context.localAddress?.port,
            eventLoop: context.eventLoop,
            selection: selection
        )
        let gateway = self.gateway
        self.runAsync(
            context,
            { await gateway.handleAPIRequest(request, api: api) },
            then: { handler, context, response in handler.respond(context, head: head, response) }
        )
    }

    // MARK: - WebSocket upgrade

    private func upgrade(_ context: ChannelHandlerContext, head: HTTPRequestHead, selection: APISelector.Selection) {
        let pending: PendingUpgrade
        switch self.gateway.prepareUpgrade(head: head, selection: selection, remoteAddress: context.remoteAddress) {
        case .rejected(let response):
            return self.respond(context, head: head, response, close: true)
        case .ready(let value):
            pending = value
        }
        self.state = .upgrading
        if let decision = self.gateway.connectImmediately(pending) {
            return self.complete(context, head: head, decision)
        }
        let gateway = self.gateway
        self.runAsync(
            context,
            { await gateway.runConnect(pending) },
            then: { handler, context, decision in handler.complete(context, head: head, decision) }
        )
    }

    /// Runs `work` on the gateway's work queue and hands its result back to this handler on the event loop.
    private func runAsync<Value: Sendable>(
        _ context: ChannelHandlerContext,
        _ work: @escaping @Sendable () async -> Value,
        then: @escaping (HTTPServerHandler, ChannelHandlerContext, Value) -> Void
    ) {
        let promise = context.eventLoop.makePromise(of: Value.self)
        // On this connection's loop (the gateway's executor for it): no hand-off to the cooperative pool and back.
        self.gateway.work.submit(on: self.gateway.taskExecutor(for: context.eventLoop)) {
            promise.succeed(await work())
        }
        self.whenDone(context, promise.futureResult, then: then)
    }

    /// Hands a result back to this handler on its event loop once `future` succeeds.
    private func whenDone<Value: Sendable>(
        _ context: ChannelHandlerContext,
        _ future: EventLoopFuture<Value>,
        then: @escaping (HTTPServerHandler, ChannelHandlerContext, Value) -> Void
    ) {
        let loopBound = NIOLoopBound((self, context, then), eventLoop: context.eventLoop)
        future.hop(to: context.eventLoop).whenSuccess { value in
            let (handler, context, then) = loopBound.value
            then(handler, context, value)
        }
    }

    private func complete(_ context: ChannelHandlerContext, head: HTTPRequestHead, _ decision: UpgradeDecision) {
        switch decision {
        case .reject(let response):
            self.respond(context, head: head, response, close: true)
        case .accept(let pending, let extraHeaders):
            guard context.channel.isActive else {
                // The client left while $connect ran: the connection existed for the backend, so say goodbye.
                self.gateway.abandonedAfterConnect(pending)
                return
            }
            self.switchToWebSocket(context, pending: pending, extraHeaders: extraHeaders)
        }
    }

    private func switchToWebSocket(
        _ context: ChannelHandlerContext,
        pending: PendingUpgrade,
        extraHeaders: [(name: String, value: String)]
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Upgrade", value: "websocket")
        headers.add(name: "Connection", value: "Upgrade")
        headers.add(name: "Sec-WebSocket-Accept", value: WebSocketHandshake.acceptValue(forKey: pending.clientKey))
        if let deflate = pending.deflate {
            headers.add(name: "Sec-WebSocket-Extensions", value: deflate.responseHeaderValue)
        }
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let response = HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: headers)
        context.write(self.wrapOutboundOut(.head(response)), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)

        let settings = pending.api.definition.webSocket
        let deflate: PerMessageDeflate?
        if let parameters = pending.deflate {
            deflate = try? PerMessageDeflate(
                parameters: parameters,
                shared: DeflateStreamsPerLoop.streams(for: context.eventLoop, level: settings.compression.level),
                level: settings.compression.level
            )
        } else {
            deflate = nil
        }
        let session = WebSocketSessionHandler(
            gateway: self.gateway,
            api: pending.api,
            info: pending.info,
            deflate: deflate
        )
        let pipeline = context.pipeline.syncOperations
        do {
            // Remove the HTTP handlers (the request decoder last, so bytes it holds flow to the frame decoder).
            let decoder = self.httpHandlers.last
            for handler in self.httpHandlers.dropLast() { _ = pipeline.removeHandler(handler) }
            try pipeline.addHandlers([
                WebSocketFrameEncoder(),
                ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: settings.maxFrameBytes)),
                session,
            ])
            _ = pipeline.removeHandler(self)
            if let decoder { _ = pipeline.removeHandler(decoder) }
        } catch {
            context.close(promise: nil)
        }
    }

    // MARK: - Responses

    private func respond(
        _ context: ChannelHandlerContext,
        head: HTTPRequestHead,
        _ response: HTTPResponseValue,
        close: Bool = false
    ) {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        let keepAlive = head.isKeepAlive && !close
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(
            version: head.version,
            status: HTTPResponseStatus(statusCode: response.status),
            headers: headers
        )
        context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
        if response.body.readableBytes > 0 && head.method != .HEAD {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        let done = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if keepAlive {
            if case .processing = self.state { self.state = .idle }
            self.armHeadTimer(context)
        } else {
            done.whenComplete { _ in context.close(promise: nil) }
        }
    }

    private static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers["Upgrade"].contains { $0.lowercased() == "websocket" }
    }

    static func splitURI(_ uri: String) -> (path: String, query: String?) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, nil) }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }
}
