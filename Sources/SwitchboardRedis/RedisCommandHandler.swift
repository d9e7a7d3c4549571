package import Logging
package import NIOCore

/// Matches replies to commands on one pipelined connection: a FIFO of pending promises, one per command
/// written, completed in order as ``RESPValue``s arrive from ``RESPDecoder``.
///
/// Timeouts: each pending command has a deadline; one timer, never later than the earliest pending deadline,
/// checks them. When any command expires it fails with ``RedisError/timeout(_:)``, every other pending command
/// with ``RedisError/connectionClosed``, and the channel is closed: a late reply would otherwise be taken as
/// the reply to the next command.
///
/// Flushes are consolidated: the first flush in an event-loop tick schedules one flush at the end of the tick, so
/// commands written from many tasks at once leave in one `writev` rather than one system call each (pipelining
/// under load); a lone command waits no timer, only for the tasks already queued on the loop.
///
/// On a subscriber connection (`onPush` set) pub/sub messages are handed to `onPush` and take no FIFO slot.
package final class RedisCommandHandler: ChannelDuplexHandler {
    package typealias InboundIn = RESPValue
    package typealias OutboundIn = Command
    package typealias OutboundOut = ByteBuffer

    /// One encoded command and the promise for its reply.
    package struct Command {
        /// The RESP bytes (from ``RedisCommandEncoder``).
        package var bytes: ByteBuffer
        /// Completed with the reply or a ``RedisError``.
        package var promise: EventLoopPromise<RESPValue>
        /// How long to wait for the reply.
        package var timeout: Duration

        package init(bytes: ByteBuffer, promise: EventLoopPromise<RESPValue>, timeout: Duration) {
            self.bytes = bytes
            self.promise = promise
            self.timeout = timeout
        }
    }

    private struct Pending {
        package var promise: EventLoopPromise<RESPValue>
        var deadline: NIODeadline
        package var timeout: Duration
    }

    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    /// Set once the connection is failing or closed; commands written afterwards fail with it at once.
    private var closedError: RedisError?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var flushScheduled = false
    private var removed = false
    private let onPush: (@Sendable (RedisPubSubMessage) -> Void)?
    private let logger: Logger

    package init(logger: Logger, onPush: (@Sendable (RedisPubSubMessage) -> Void)?) {
        self.logger = logger
        self.onPush = onPush
    }

    // MARK: - Outbound

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = self.unwrapOutboundIn(data)
        if let closedError = self.closedError {
            command.promise.fail(closedError)
            promise?.fail(closedError)
            return
        }
        let deadline = context.eventLoop.now + TimeAmount(command.timeout)
        self.pending.append(Pending(promise: command.promise, deadline: deadline, timeout: command.timeout))
        self.armTimer(context: context, deadline: deadline)
        context.write(self.wrapOutboundOut(command.bytes), promise: promise)
    }

    package func flush(context: ChannelHandlerContext) {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            if !self.removed { context.flush() }
        }
    }

    // MARK: - Inbound

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = self.unwrapInboundIn(data)
        if let onPush = self.onPush, let message = RedisPubSubMessage(push: value) {
            onPush(message)
            return
        }
        guard let head = self.pending.popFirst() else {
            self.logger.error("Redis sent a reply with no command pending; closing the connection")
            self.close(context: context, error: .protocolError("reply without a pending command"))
            return
        }
        if self.pending.isEmpty {
            self.cancelTimer()
        }
        head.promise.succeed(value)
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError = (error as? RedisError) ?? .connectionClosed
        self.logger.warning(
            "Redis connection failed; closing it",
            metadata: ["sb.error.type": "\(redisError.errorType)", "error": "\(error)"]
        )
        self.close(context: context, error: redisError)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        self.failAll(.connectionClosed)
        context.fireChannelInactive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        self.removed = true
        self.failAll(.connectionClosed)
    }

    // MARK: - Timeouts

    private func armTimer(context: ChannelHandlerContext, deadline: NIODeadline) {
        if let current = self.timerDeadline, current <= deadline { return }
        self.timer?.cancel()
        self.timerDeadline = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func cancelTimer() {
        self.timer?.cancel()
        self.timer = nil
        self.timerDeadline = nil
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        self.timerDeadline = nil
        let now = context.eventLoop.now
        guard let expired = self.pending.first(where: { $0.deadline <= now }) else {
            // The commands the timer was set for were answered; watch the earliest one still pending.
            if let next = self.pending.lazy.map(\.deadline).min() {
                self.armTimer(context: context, deadline: next)
            }
            return
        }
        self.logger.warning(
            "Redis command timed out; closing the connection",
            metadata: [
                "sb.error.type": "\(RedisError.timeout(expired.timeout).errorType)",
                "timeout": "\(expired.timeout)",
                "pending": "\(self.pending.count)",
            ]
        )
        self.close(context: context, error: .connectionClosed) { entry in
            entry.deadline <= now ? .timeout(entry.timeout) : .connectionClosed
        }
    }

    // MARK: - Failing

    /// Closes the channel, then fails every pending command (with `errorFor(entry)`, default `error`), so a
    /// caller that sees the failure also sees the connection closed.
    private func close(
        context: ChannelHandlerContext,
        error: RedisError,
        errorFor: ((Pending) -> RedisError)? = nil
    ) {
        if self.closedError == nil {
            self.closedError = error
        }
        self.cancelTimer()
        var entries: [Pending] = []
        entries.reserveCapacity(self.pending.count)
        while let entry = self.pending.popFirst() {
            entries.append(entry)
        }
        context.close(promise: nil)
        for entry in entries {
            entry.promise.fail(errorFor?(entry) ?? error)
        }
    }

    private func failAll(_ error: RedisError) {
        if self.closedError == nil {
            self.closedError = error
        }
        self.cancelTimer()
        while let entry = self.pending.popFirst() {
            entry.promise.fail(error)
        }
    }
}
