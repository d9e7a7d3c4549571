import NIOConcurrencyHelpers
package import NIOCore
package import SwitchboardPipeline
import Synchronization

/// How a send to a connection ended.
package enum SendOutcome: Sendable, Equatable {
    /// Queued for the socket.
    case queued
    /// The client's outbound queue is full (the `@connections` API answers 429).
    case queueFull
    /// The connection is closing or closed (410).
    case gone
}

/// A connection owned by this node: what the `@connections` API and integrations need to reach it from any
/// thread. Frames are only ever written on the connection's event loop, through its session handler.
package final class WebSocketConnection: Sendable {
    /// Connection facts (id, API, stage, identity, connectedAt).
    package let info: ConnectionInfo
    /// The connection's event loop.
    package let eventLoop: any EventLoop
    private let session: NIOLoopBound<WebSocketSessionHandler>
    private let lastActive: Synchronization.Atomic<Int64>

    init(info: ConnectionInfo, eventLoop: any EventLoop, session: WebSocketSessionHandler) {
        self.info = info
        self.eventLoop = eventLoop
        self.session = NIOLoopBound(session, eventLoop: eventLoop)
        self.lastActive = Synchronization.Atomic(info.connectedAtMillis)
    }

    /// The connection id.
    package var id: String { self.info.connectionId }

    /// When the client last sent a message or was sent one (epoch ms).
    package var lastActiveMillis: Int64 { self.lastActive.load(ordering: .relaxed) }

    /// Records activity.
    package func touch(_ nowMillis: Int64) {
        self.lastActive.store(nowMillis, ordering: .relaxed)
    }

    /// Sends a message, split into frames no larger than the API's frame limit.
    /// - Parameters:
    ///   - payload: the message.
    ///   - isBinary: binary or text frame.
    /// - Returns: whether it was queued.
    package func send(_ payload: ByteBuffer, isBinary: Bool) -> EventLoopFuture<SendOutcome> {
        if self.eventLoop.inEventLoop {
            return self.eventLoop.makeSucceededFuture(self.session.value.send(payload, isBinary: isBinary))
        }
        return self.eventLoop.submit { self.session.value.send(payload, isBinary: isBinary) }
    }

    /// Sends a message from the connection's own event loop (a fan-out job running there).
    package func sendInLoop(_ payload: ByteBuffer, isBinary: Bool) -> SendOutcome {
        self.session.value.send(payload, isBinary: isBinary)
    }

    /// Closes the connection with a close frame; `$disconnect` runs once the socket is closed.
    /// - Parameters:
    ///   - code: the close code.
    ///   - reason: the close reason.
    package func close(code: UInt16, reason: String) {
        self.eventLoop.execute { self.session.value.initiateClose(code: code, reason: reason) }
    }
}
