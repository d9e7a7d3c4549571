import NIOCore
import NIOWebSocket
import SwitchboardCore
import SwitchboardPipeline

/// One WebSocket session: message assembly (fragments, control frames, UTF-8, limits, permessage-deflate),
/// the close handshake (keeping the client's code and reason for `$disconnect`), timers, and a bounded
/// outbound queue (a client that leaves it full without reading is closed). It runs on its channel's event loop
/// only; integrations are reached through the gateway.
final class WebSocketSessionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private enum CloseState {
        case open
        case closeSent
        case closed
    }

    private let gateway: Gateway
    private let api: CompiledWebSocketAPI
    private let settings: WebSocketSettings
    private let deflate: PerMessageDeflate?
    private let info: ConnectionInfo
    private(set) var connection: WebSocketConnection?
    private var context: ChannelHandlerContext?

    // Message assembly.
    private var messageOpcode: WebSocketOpcode?
    private var messageCompressed = false
    private var messageBuffer = ByteBuffer()
    private var utf8 = UTF8Validator()

    // Close handshake and timers.
    private var closeState = CloseState.open
    private var closeCode: Int?
    private var closeReason = ""
    // Deadlines, checked by the event loop's `SessionClock`.
    private var clock: SessionClock?
    private var hardDeadline = NIODeadline.distantFuture
    /// When to drop the socket if the close handshake has not finished.
    private var closeDeadline: NIODeadline?
    /// Set when a post finds the outbound queue full; cleared when a queued message reaches the socket.
    private var stuckDeadline: NIODeadline?

    // Outbound.
    private var pendingOutboundBytes = 0
    private var inRead = false
    private var needsFlush = false

    init(gateway: Gateway, api: CompiledWebSocketAPI, info: ConnectionInfo, deflate: PerMessageDeflate?) {
        self.gateway = gateway
        self.api = api
        self.settings = api.definition.webSocket
        self.info = info
        self.deflate = deflate
    }

    // MARK: - Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let connection = WebSocketConnection(info: self.info, eventLoop: context.eventLoop, session: self)
        self.connection = connection
        self.gateway.connectionOpened(connection)
        self.hardDeadline = .now() + .seconds(Int64(self.settings.maxConnectionSeconds))
        let clock = SessionClock.clock(for: context.eventLoop)
        clock.add(self)
        self.clock = clock
        if !context.channel.isActive {
            self.channelInactive(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish()
        context.fireChannelInactive()
    }

    private func finish() {
        guard let connection = self.connection else { return }
        self.closeState = .closed
        self.clock?.remove(self)
        self.clock = nil
        self.connection = nil
        self.context = nil
        self.gateway.connectionClosed(
            connection,
            code: self.closeCode ?? 1006,
            reason: self.closeReason,
            accepted: self.api
        )
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength:
            self.fail(code: 1009, reason: "Message too big")
        case NIOWebSocketError.fragmentedControlFrame, NIOWebSocketError.multiByteControlFrameLength:
            self.fail(code: 1002, reason: "Protocol error")
        default:
            if self.closeCode == nil { self.closeCode = 1006 }
            context.close(promise: nil)
        }
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        guard self.closeState != .closed else { return }
        self.inRead = true
        defer { self.inRead = false }
        guard frame.maskKey != nil else { return self.fail(code: 1002, reason: "Unmasked frame") }
        guard !frame.rsv2, !frame.rsv3 else { return self.fail(code: 1002, reason: "Reserved bits set") }
        switch frame.opcode {
        case .ping:
            guard !frame.rsv1 else { return self.fail(code: 1002, reason: "Reserved bits set") }
            if self.closeState == .open {
                self.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
            }
        case .pong:
            guard !frame.rsv1 else { return self.fail(code: 1002, reason: "Reserved bits set") }
        case .connectionClose:
            guard !frame.rsv1 else { return self.fail(code: 1002, reason: "Reserved bits set") }
            self.receivedClose(frame)
        case .text, .binary:
            guard self.closeState == .open else { return }
            guard self.messageOpcode == nil else {
                return self.fail(code: 1002, reason: "Expected a continuation frame")
            }
            guard !frame.rsv1 || self.deflate != nil else { return self.fail(code: 1002, reason: "Reserved bits set") }
            if frame.opcode == .binary, !self.settings.allowBinary {
                return self.fail(code: 1003, reason: "Binary frames are not supported")
            }
            self.messageOpcode = frame.opcode
            self.messageCompressed = frame.rsv1
            self.utf8.reset()
            self.append(frame)
        case .continuation:
            guard self.closeState == .open else { return }
            guard self.messageOpcode != nil else {
                return self.fail(code: 1002, reason: "Unexpected continuation frame")
            }
            guard !frame.rsv1 else { return self.fail(code: 1002, reason: "Reserved bits set") }
            self.append(frame)
        default:
            self.fail(code: 1002, reason: "Reserved opcode")
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    private func append(_ frame: WebSocketFrame) {
        let data = frame.unmaskedData
        let isText = self.messageOpcode == .text
        guard self.messageBuffer.readableBytes + data.readableBytes <= self.settings.maxMessageBytes else {
            return self.fail(code: 1009, reason: "Message too big")
        }
        if isText, !self.messageCompressed, !self.utf8.feed(data.readableBytesView) {
            return self.fail(code: 1007, reason: "Invalid UTF-8")
        }
        guard frame.fin else {
            var data = data
            self.messageBuffer.writeBuffer(&data)
            return
        }
        var payload: ByteBuffer
        if self.messageBuffer.readableBytes == 0 {
            payload = data
        } else {
            var data = data
            self.messageBuffer.writeBuffer(&data)
            payload = self.messageBuffer
        }
        self.messageBuffer = ByteBuffer()
        self.messageOpcode = nil
        if self.messageCompressed, let deflate = self.deflate {
            do {
                payload = try deflate.decompress(
                    payload,
                    maxBytes: self.settings.maxMessageBytes,
                    allocator: self.context?.channel.allocator ?? ByteBufferAllocator()
                )
            } catch DeflateError.messageTooLarge {
                return self.fail(code: 1009, reason: "Message too big")
            } catch {
                return self.fail(code: 1007, reason: "Invalid compressed data")
            }
            if isText, !UTF8Validator.isValid(payload.readableBytesView) {
                return self.fail(code: 1007, reason: "Invalid UTF-8")
            }
        } else if isText, !self.utf8.isComplete {
            return self.fail(code: 1007, reason: "Invalid UTF-8")
        }
        guard let connection = self.connection else { return }
        self.gateway.handleMessage(on: connection, api: self.api, payload: payload, isBinary: !isText)
    }

    private func receivedClose(_ frame: WebSocketFrame) {
        switch self.closeState {
        case .closed:
            return
        case .closeSent:
            self.context?.close(promise: nil)
            return
        case .open:
            break
        }
        var data = frame.unmaskedData
        var reply = ByteBuffer()
        switch data.readableBytes {
        case 0:
            self.closeCode = 1005
        case 1:
            return self.fail(code: 1002, reason: "Invalid close payload")
        default:
            guard let code = data.readInteger(as: UInt16.self), Self.isValidCloseCode(code) else {
                return self.fail(code: 1002, reason: "Invalid close code")
            }
            let reasonBytes = data.readableBytesView
            guard UTF8Validator.isValid(reasonBytes) else {
                return self.fail(code: 1007, reason: "Invalid UTF-8 in close reason")
            }
            self.closeCode = Int(code)
            self.closeReason = String(decoding: reasonBytes, as: UTF8.self)
            reply.writeInteger(code)
        }
        self.closeState = .closed
        guard let context = self.context else { return }
        self.closeDeadline = .now() + Self.closeWait
        context.writeAndFlush(
            self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply))
        ).whenComplete { _ in context.close(promise: nil) }
    }

    /// Close codes a peer may send (RFC 6455 §7.4).
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    // MARK: - Outbound

    /// Queues a message; fragments it at the API's frame limit and compresses it when negotiated.
    func send(_ payload: ByteBuffer, isBinary: Bool) -> SendOutcome {
        guard self.closeState == .open, let context = self.context, let connection = self.connection else {
            return .gone
        }
        if self.pendingOutboundBytes > 0,
            self.pendingOutboundBytes + payload.readableBytes > self.settings.outboundQueueBytes
        {
            if self.stuckDeadline == nil {
                self.stuckDeadline = .now() + .seconds(Int64(self.settings.stuckClientTimeoutSeconds))
            }
            return .queueFull
        }
        var data = payload
        var compressed = false
        if let deflate = self.deflate, payload.readableBytes >= self.settings.compression.minBytes {
            if let deflated = try? deflate.compress(payload, allocator: context.channel.allocator) {
                data = deflated
                compressed = true
            }
        }
        let size = data.readableBytes
        let frameLimit = max(self.settings.maxFrameBytes, 1)
        var opcode: WebSocketOpcode = isBinary ? .binary : .text
        var first = true
        repeat {
            let chunk = data.readSlice(length: min(frameLimit, data.readableBytes)) ?? ByteBuffer()
            let fin = data.readableBytes == 0
            var frame = WebSocketFrame(fin: fin, opcode: opcode, data: chunk)
            frame.rsv1 = compressed && first
            let promise: EventLoopPromise<Void>? = fin ? context.eventLoop.makePromise() : nil
            context.write(self.wrapOutboundOut(frame), promise: promise)
            if let promise {
                let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
                promise.futureResult.whenComplete { _ in loopBound.value.written(size) }
            }
            opcode = .continuation
            first = false
        } while data.readableBytes > 0
        self.pendingOutboundBytes += size
        connection.touch(self.gateway.nowMillis())
        if self.inRead {
            self.needsFlush = true
        } else {
            context.flush()
        }
        return .queued
    }

    /// A queued message reached the socket: the client is reading.
    private func written(_ size: Int) {
        self.pendingOutboundBytes -= size
        self.stuckDeadline = nil
    }

    private func write(_ frame: WebSocketFrame) {
        guard let context = self.context else { return }
        context.write(self.wrapOutboundOut(frame), promise: nil)
        if self.inRead {
            self.needsFlush = true
        } else {
            context.flush()
        }
    }

    /// Starts the closing handshake from the server side (idle, hard limit, DELETE, shutdown).
    func initiateClose(code: UInt16, reason: String) {
        guard self.closeState == .open else { return }
        self.sendClose(code: code, reason: reason)
    }

    /// Fails the connection: a close frame with the code, then the socket closes.
    private func fail(code: UInt16, reason: String) {
        self.messageBuffer = ByteBuffer()
        self.messageOpcode = nil
        guard self.closeState == .open else { return }
        self.sendClose(code: code, reason: reason)
    }

    private func sendClose(code: UInt16, reason: String) {
        guard let context = self.context else { return }
        self.closeState = .closeSent
        self.closeCode = Int(code)
        self.closeReason = reason
        var payload = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        payload.writeInteger(code)
        payload.writeString(reason)
        context.writeAndFlush(
            self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)),
            promise: nil
        )
        self.needsFlush = false
        // Wait briefly for the client's close frame, then drop the socket.
        self.closeDeadline = .now() + Self.closeWait
    }

    // MARK: - Timers

    /// How long a close handshake may take before the socket is dropped.
    private static let closeWait = TimeAmount.seconds(2)

    /// Acts on whichever deadline has passed; called by the event loop's ``SessionClock``.
    func checkDeadlines(_ now: NIODeadline) {
        guard let context = self.context else { return }
        if let deadline = self.closeDeadline {
            if now >= deadline { context.close(promise: nil) }
            return
        }
        guard self.closeState == .open, let connection = self.connection else { return }
        let idleMillis = Int64(self.settings.idleTimeoutSeconds) * 1000
        if now >= self.hardDeadline {
            self.initiateClose(code: 1001, reason: "Going away")
        } else if let deadline = self.stuckDeadline, now >= deadline {
            // The close frame cannot get past the full queue: the socket closes when the close wait ends.
            self.initiateClose(code: 1008, reason: "Client is not reading")
        } else if self.gateway.nowMillis() - connection.lastActiveMillis >= idleMillis {
            self.initiateClose(code: 1001, reason: "Going away")
        }
    }
}
