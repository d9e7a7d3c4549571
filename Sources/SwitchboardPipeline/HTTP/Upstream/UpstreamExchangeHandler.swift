import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection to an upstream, one request at a time: collects the response head and
/// body (up to a limit) and completes the request's promise; any failure or close fails it.
final class UpstreamExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Never
    typealias OutboundOut = HTTPClientRequestPart

    /// What a finished exchange produced.
    struct Response {
        var head: HTTPResponseHead
        var body: ByteBuffer
        /// Whether the connection may carry another request.
        var reusable: Bool
    }

    /// Why an exchange failed.
    enum Failure: Error {
        case timeout
        case tooLarge
        case closed
    }

    private struct Pending {
        var promise: EventLoopPromise<Response>
        var head: HTTPResponseHead?
        var body: ByteBuffer
        var timer: Scheduled<Void>?
    }

    private let maxBodyBytes: Int
    private var pending: Pending?
    private var context: ChannelHandlerContext?

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.fail(.closed)
        self.context = nil
    }

    /// Sends a request; the promise completes with the whole response.
    func send(
        head: HTTPRequestHead,
        body: ByteBuffer?,
        timeout: TimeAmount,
        promise: EventLoopPromise<Response>
    ) {
        guard let context, self.pending == nil, context.channel.isActive else {
            promise.fail(Failure.closed)
            return
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            self?.fail(.timeout)
            context.close(promise: nil)
        }
        self.pending = Pending(
            promise: promise,
            head: nil,
            body: context.channel.allocator.buffer(capacity: 0),
            timer: timer
        )
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0 {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var pending = self.pending else { return }
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            pending.head = head
            self.pending = pending
        case .body(var chunk):
            guard pending.body.readableBytes + chunk.readableBytes <= self.maxBodyBytes else {
                self.fail(.tooLarge)
                context.close(promise: nil)
                return
            }
            self.pending = nil  // avoid a copy of the body on write
            pending.body.writeBuffer(&chunk)
            self.pending = pending
        case .end:
            self.pending = nil
            pending.timer?.cancel()
            guard let head = pending.head else {
                pending.promise.fail(Failure.closed)
                return
            }
            pending.promise.succeed(Response(head: head, body: pending.body, reusable: head.isKeepAlive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(.closed)
        context.close(promise: nil)
    }

    private func fail(_ failure: Failure) {
        guard let pending = self.pending else { return }
        self.pending = nil
        pending.timer?.cancel()
        pending.promise.fail(failure)
    }
}
