import NIOCore

/// Writes the requests of an HTTP load: called on an event loop for every request, so it holds only immutable,
/// precomputed parts.
protocol HTTPRequestMaker: Sendable {
    /// The requests are `HEAD` (their responses have no body whatever their headers say).
    var isHead: Bool { get }

    /// Writes request `number` (unique in the run) for node `node` (an index into the load's endpoints), stamped
    /// `stamp` (``monotonicNanos()`` when it was sent, or due in an open loop), into `buffer`.
    func write(number: Int, node: Int, stamp: UInt64, into buffer: inout ByteBuffer)
}

/// One keep-alive HTTP/1.1 client connection of an HTTP load: one request in flight at a time (no pipelining).
/// It lives on its channel's event loop and reports to that loop's ``HTTPLoopDriver``.
final class HTTPBenchConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The endpoint this connection talks to (an index into the load's endpoints).
    let node: Int
    private let driver: HTTPLoopDriver
    private var context: ChannelHandlerContext?
    private var inbound: ByteBuffer?
    /// The stamp of the request in flight (see ``HTTPRequestMaker``).
    private var stamp: UInt64 = 0
    private(set) var inFlight = false
    /// The server said it will close the connection after the last response.
    private(set) var closing = false

    init(driver: HTTPLoopDriver, node: Int) {
        self.driver = driver
        self.node = node
    }

    /// The connection can take a request now.
    var isUsable: Bool { self.context != nil && !self.inFlight && !self.closing }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        self.driver.connectionReady(self)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let wasInFlight = self.inFlight
        self.context = nil
        self.inFlight = false
        self.driver.connectionClosed(self, inFlight: wasInFlight)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Writes request `number` and flushes it; `false` when the connection cannot take it now.
    func send(number: Int, stamp: UInt64) -> Bool {
        guard self.isUsable, let context = self.context else { return false }
        var buffer = context.channel.allocator.buffer(capacity: 512)
        self.driver.maker.write(number: number, node: self.node, stamp: stamp, into: &buffer)
        self.stamp = stamp
        self.inFlight = true
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        return true
    }

    /// Closes the connection (end of the run).
    func close() {
        self.closing = true
        self.context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        if self.inbound == nil {
            self.inbound = bytes
        } else {
            self.inbound?.writeBuffer(&bytes)
        }
        while self.inFlight, var buffer = self.inbound {
            self.inbound = nil  // keep the buffer uniquely referenced while parsing
            let response: HTTPWire.Response?
            do {
                response = try HTTPWire.takeResponse(from: &buffer, toHead: self.driver.maker.isHead)
            } catch {
                self.driver.malformed(error)
                context.close(promise: nil)
                return
            }
            self.inbound = buffer.readableBytes > 0 ? buffer : nil
            guard let response else { break }
            self.inFlight = false
            if response.closes { self.closing = true }
            self.driver.responded(self, status: response.status, body: response.body, stamp: self.stamp)
            if response.closes { context.close(promise: nil) }
        }
        if let inbound = self.inbound, inbound.readerIndex > 65_536 { self.inbound?.discardReadBytes() }
    }
}
