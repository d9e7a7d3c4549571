import NIOCore
import NIOHTTP1

/// Answers every request once its body is complete: WebSocket-over-HTTP events with their answers
/// (``WebSocketEvents``), anything else with its own body. Keep-alive as the request asks.
final class EchoHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var body: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = nil
        case .body(var part):
            if self.body == nil {
                self.body = part
            } else {
                self.body?.writeBuffer(&part)
            }
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            self.respond(to: head, body: self.body ?? context.channel.allocator.buffer(capacity: 0), context: context)
            self.body = nil
        }
    }

    private func respond(to head: HTTPRequestHead, body: ByteBuffer, context: ChannelHandlerContext) {
        let contentType = head.headers.first(name: "content-type") ?? "application/octet-stream"
        var answer: ByteBuffer
        var status = HTTPResponseStatus.ok
        if contentType.lowercased().hasPrefix(WebSocketEvents.contentType) {
            answer = context.channel.allocator.buffer(capacity: body.readableBytes + 16)
            if !WebSocketEvents.answer(body, into: &answer) {
                status = .badRequest
                answer.clear()
                answer.writeString("malformed websocket-events body\n")
            }
        } else {
            answer = body
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(answer.readableBytes))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let response = HTTPResponseHead(version: head.version, status: status, headers: headers)
        context.write(self.wrapOutboundOut(.head(response)), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(answer))), promise: nil)
        if keepAlive {
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
