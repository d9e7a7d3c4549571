import Histogram
import NIOCore

/// What a connection does once it is open.
enum ConnectionWork: Sendable {
    /// Closed-loop echo: keep `pipeline` copies of `message` in flight, send one more per answer.
    case echo(message: ByteBuffer, pipeline: Int)
    /// Open-loop echo: send `message` whenever the loop's ``OpenLoopPacer`` says so, whatever the answers.
    case paced(message: ByteBuffer)
    /// Stay open and idle, answering pings.
    case idle
    /// Receive `@connections` posts or `@broadcast` messages marked by ``DeliveryMarker`` and time them; when
    /// `whoami` is set, send it first and take the first answer as this connection's id.
    case receive(whoami: ByteBuffer?)
}

/// One client WebSocket: writes the upgrade request, reads the 101, then frames in both directions
/// (masked frames out, as a client must). Lives on its channel's event loop and reports into that loop's
/// ``LoopStats``.
final class BenchConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case handshaking
        case open
        case closed
    }

    private let url: WebSocketURL
    private let offerDeflate: Bool
    private let work: ConnectionWork
    private let stats: LoopStats
    private let handshake: EventLoopPromise<WebSocketWire.UpgradeResponse>
    private var state = State.handshaking
    private let startedAt = monotonicNanos()
    private var pending: ByteBuffer?
    private var negotiated: WebSocketWire.UpgradeResponse?

    // Echo state: pre-masked copies of the message, and the send times of the messages in flight (a ring).
    private var frames: [ByteBuffer] = []
    private var nextFrame = 0
    private var sentAt: [UInt64] = []
    private var sentHead = 0
    private var inFlight = 0
    private var needsFlush = false
    private var verifyNext = true
    private var messageIsCompressed = false
    private var firstMessage: ByteBuffer?
    /// Receive mode: the message being assembled (frames until FIN).
    private var received: ByteBuffer?
    private var isReceiver: Bool {
        if case .receive = self.work { return true }
        return false
    }
    /// Set while the connection is open, for the pacer's sends (which come from a timer, not a read).
    private var context: ChannelHandlerContext?

    /// Messages an open-loop connection may have in flight before the pacer skips it (bounds client memory).
    static let maxPacedInFlight = 1 << 20

    init(
        url: WebSocketURL,
        deflate: Bool,
        work: ConnectionWork,
        stats: LoopStats,
        handshake: EventLoopPromise<WebSocketWire.UpgradeResponse>
    ) {
        self.url = url
        self.offerDeflate = deflate
        self.work = work
        self.stats = stats
        self.handshake = handshake
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = WebSocketWire.upgradeRequest(
            url: self.url,
            deflate: self.offerDeflate,
            allocator: context.channel.allocator
        )
        context.writeAndFlush(self.wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        if self.pending == nil {
            self.pending = bytes
        } else {
            self.pending?.writeBuffer(&bytes)
        }
        if self.state == .handshaking { self.readHandshake(context: context) }
        if self.state == .open { self.readFrames(context: context) }
        if self.pending?.readableBytes == 0 {
            self.pending = nil
        } else if let pending = self.pending, pending.readerIndex > 65_536 {
            self.pending?.discardReadBytes()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.state == .handshaking {
            self.handshake.fail(ChannelError.inputClosed)
        } else if self.state == .open, !self.stats.stopping {
            self.stats.errors += 1
        }
        self.state = .closed
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.state == .handshaking { self.handshake.fail(error) }
        if self.state == .open, !self.stats.stopping { self.stats.errors += 1 }
        self.state = .closed
        context.close(promise: nil)
    }

    /// Sends a close frame (1000) and closes the channel.
    func close(context: ChannelHandlerContext) {
        guard self.state != .closed else { return }
        self.state = .closed
        var frame = context.channel.allocator.buffer(capacity: 8)
        var code = context.channel.allocator.buffer(capacity: 2)
        code.writeInteger(UInt16(1000))
        WebSocketWire.writeMaskedFrame(opcode: .close, payload: code, into: &frame)
        context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
        context.close(promise: nil)
    }

    // MARK: - Handshake

    private func readHandshake(context: ChannelHandlerContext) {
        guard let buffer = self.pending else { return }
        let end: Int? = buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 4 else { return nil }
            for index in 0...(bytes.count - 4)
            where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            return nil
        }
        guard let end else {
            if buffer.readableBytes > 16_384 { self.failHandshake(context: context, status: 0) }
            return
        }
        let head = self.pending?.readString(length: end) ?? ""
        self.pending?.moveReaderIndex(forwardBy: 4)
        let response = WebSocketWire.parseResponse(head)
        guard response.status == 101 else {
            self.failHandshake(context: context, status: response.status)
            return
        }
        self.state = .open
        self.negotiated = response
        self.stats.handshakes.record(monotonicNanos() - self.startedAt)
        self.handshake.succeed(response)
        switch self.work {
        case .echo(let message, let pipeline):
            self.startEcho(context: context, message: message, pipeline: pipeline, response: response)
        case .paced(let message):
            self.startEcho(context: context, message: message, pipeline: 0, response: response)
            self.context = context
            self.stats.paced.append(self)
        case .receive(let whoami):
            self.verifyNext = whoami != nil
            if let whoami {
                var frame = context.channel.allocator.buffer(capacity: whoami.readableBytes + 14)
                WebSocketWire.writeMaskedFrame(opcode: .text, payload: whoami, into: &frame)
                context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
            }
        case .idle:
            break
        }
    }

    private func failHandshake(context: ChannelHandlerContext, status: Int) {
        self.state = .closed
        self.handshake.fail(HandshakeError(status: status))
        context.close(promise: nil)
    }

    // MARK: - Echo

    private func startEcho(
        context: ChannelHandlerContext,
        message: ByteBuffer,
        pipeline: Int,
        response: WebSocketWire.UpgradeResponse
    ) {
        var payload = message
        var compressed = false
        if response.deflate,
            let deflated = try? ClientDeflate.compress(message, windowBits: response.clientMaxWindowBits ?? 15)
        {
            payload = deflated
            compressed = true
        }
        self.frames = (0..<8).map { _ in
            var frame = context.channel.allocator.buffer(capacity: payload.readableBytes + 14)
            WebSocketWire.writeMaskedFrame(opcode: .text, payload: payload, compressed: compressed, into: &frame)
            return frame
        }
        self.sentAt = Array(repeating: 0, count: max(pipeline, 64))
        for _ in 0..<pipeline { self.send(context: context) }
        context.flush()
    }

    private func send(context: ChannelHandlerContext, at time: UInt64 = monotonicNanos()) {
        let frame = self.frames[self.nextFrame]
        self.nextFrame = (self.nextFrame + 1) & 7
        if self.inFlight == self.sentAt.count {
            // Open loop only: more answers are outstanding than the ring holds; grow it, oldest first.
            self.sentAt = Array(self.sentAt[self.sentHead...] + self.sentAt[..<self.sentHead]) + self.sentAt
            self.sentHead = 0
        }
        self.sentAt[(self.sentHead + self.inFlight) % self.sentAt.count] = time
        self.inFlight += 1
        context.write(self.wrapOutboundOut(frame), promise: nil)
        self.needsFlush = true
    }

    /// Open loop: writes one message now (flushed by ``flushPaced()``), timing its answer from `due`, when it
    /// should have been sent; `false` when the connection is closed or has ``maxPacedInFlight`` answers outstanding.
    func sendPaced(due: UInt64) -> Bool {
        guard self.state == .open, let context = self.context, self.inFlight < Self.maxPacedInFlight else {
            return false
        }
        self.send(context: context, at: due)
        return true
    }

    /// Open loop: flushes what ``sendPaced(due:)`` wrote.
    func flushPaced() {
        guard self.needsFlush, let context = self.context else { return }
        self.needsFlush = false
        context.flush()
    }

    private func messageReceived(context: ChannelHandlerContext) {
        self.stats.received &+= 1
        let message: ByteBuffer
        let closedLoop: Bool
        switch self.work {
        case .echo(let echoed, _): (message, closedLoop) = (echoed, true)
        case .paced(let echoed): (message, closedLoop) = (echoed, false)
        case .idle: return
        case .receive:
            self.deliveryReceived()
            return
        }
        if self.verifyNext, let answer = self.firstMessage {
            self.verifyNext = false
            self.firstMessage = nil
            self.verify(answer, against: message)
        }
        guard self.inFlight > 0 else { return }
        let sent = self.sentAt[self.sentHead]
        self.sentHead = (self.sentHead + 1) % self.sentAt.count
        self.inFlight -= 1
        if self.stats.recording {
            let now = monotonicNanos()
            let latency = now > sent ? now - sent : 0
            self.stats.roundTrips.record(latency)
            self.stats.intervalTrips.record(latency)
        }
        if closedLoop, !self.stats.stopping { self.send(context: context) }
    }

    /// Receive mode: the first answer is the `whoami` id when one was asked for; every other message is a delivery.
    private func deliveryReceived() {
        guard var message = self.received else { return }
        self.received = nil
        if self.messageIsCompressed, let inflated = try? ClientDeflate.decompress(message, capacity: 1 << 16) {
            message = inflated
        }
        if self.verifyNext {
            self.verifyNext = false
            self.stats.connectionIds.append(DeliveryMarker.connectionId(fromAnswer: message) ?? "")
        } else {
            DeliveryMarker.record(message, into: self.stats)
        }
    }

    private func verify(_ answer: ByteBuffer, against message: ByteBuffer) {
        var text = answer
        if self.messageIsCompressed, let inflated = try? ClientDeflate.decompress(answer) { text = inflated }
        self.stats.verified += 1
        if text != message {
            self.stats.mismatches += 1
            if self.stats.mismatchExample == nil {
                self.stats.mismatchExample = String(decoding: text.readableBytesView.prefix(200), as: UTF8.self)
            }
        }
    }

    // MARK: - Frames

    private func readFrames(context: ChannelHandlerContext) {
        while self.state == .open, let buffer = self.pending, let header = WebSocketWire.peekHeader(buffer),
            buffer.readableBytes >= header.headerLength + header.payloadLength
        {
            self.pending?.moveReaderIndex(forwardBy: header.headerLength)
            guard var payload = self.pending?.readSlice(length: header.payloadLength) else { return }
            if let mask = header.mask { payload.unmask(mask) }
            switch header.opcode {
            case 0x0, 0x1, 0x2:
                if header.opcode != 0x0 { self.messageIsCompressed = header.rsv1 }
                if self.isReceiver {
                    if self.received == nil {
                        self.received = payload
                    } else {
                        self.received?.writeBuffer(&payload)
                    }
                } else if self.verifyNext {
                    if self.firstMessage == nil {
                        self.firstMessage = payload
                    } else {
                        self.firstMessage?.writeBuffer(&payload)
                    }
                }
                if header.fin { self.messageReceived(context: context) }
            case 0x8:
                self.close(context: context)
            case 0x9:
                var pong = context.channel.allocator.buffer(capacity: payload.readableBytes + 6)
                WebSocketWire.writeMaskedFrame(opcode: .pong, payload: payload, into: &pong)
                context.write(self.wrapOutboundOut(pong), promise: nil)
                self.needsFlush = true
            default:
                break
            }
        }
    }
}

/// The server did not answer 101.
struct HandshakeError: Error, CustomStringConvertible {
    var status: Int
    var description: String { self.status == 0 ? "no HTTP response" : "HTTP \(self.status)" }
}

extension ByteBuffer {
    /// XORs the readable bytes with a 4-byte mask (a masked frame from a peer).
    mutating func unmask(_ mask: [UInt8]) {
        self.withUnsafeMutableReadableBytes { bytes in
            for index in bytes.indices { bytes[index] ^= mask[index & 3] }
        }
    }
}
