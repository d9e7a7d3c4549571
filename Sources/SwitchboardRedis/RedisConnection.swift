package import Logging
package import NIOCore
internal import NIOPosix

/// One TCP connection to Redis on a NIO channel, pipelined: any number of commands may be in flight, and
/// their replies are matched in order. It does not reconnect; ``RedisClient`` does.
package final class RedisConnection: Sendable {
    private let channel: any Channel
    private let commandTimeout: Duration

    private init(channel: any Channel, commandTimeout: Duration) {
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    /// Connects, then sends `AUTH` (when the configuration has a password) and `SELECT` (when the database
    /// is not 0).
    /// - Parameters:
    ///   - configuration: where to connect, credentials and timeouts.
    ///   - eventLoopGroup: the group to run the channel on.
    ///   - logger: receives connection-level warnings (timeouts, protocol errors).
    /// - Returns: a ready connection.
    /// - Throws: the connect error (refused, timed out), ``RedisError/server(_:)`` when `AUTH` or `SELECT`
    ///   is refused, or a timeout.
    package static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> RedisConnection {
        try await Self.connect(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            onPush: nil
        )
    }

    /// As the public `connect`, with a handler for pub/sub messages (subscriber connections).
    static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        onPush: (@Sendable (RedisPubSubMessage) -> Void)?
    ) async throws -> RedisConnection {
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(RESPDecoder()),
                        RedisCommandHandler(logger: logger, onPush: onPush)
                    )
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .get()
        let connection = RedisConnection(channel: channel, commandTimeout: configuration.commandTimeout)
        do {
            if let password = configuration.password {
                var auth: [RedisArgument] = ["AUTH"]
                if let username = configuration.username {
                    auth.append(.string(username))
                }
                auth.append(.string(password))
                _ = try await connection.send(auth)
            }
            if configuration.database != 0 {
                _ = try await connection.send(["SELECT", .integer(configuration.database)])
            }
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    /// Whether the channel is still open.
    package var isActive: Bool {
        self.channel.isActive
    }

    /// Sends one command and waits for its reply. Safe to call from many tasks at once (pipelining).
    ///
    /// Cancelling the calling task does not withdraw a command already written: its reply still arrives in
    /// order (or the timeout fires).
    /// - Parameters:
    ///   - arguments: the command and its arguments, e.g. `["INCR", .string(key)]`.
    ///   - timeout: overrides the configuration's `commandTimeout` for this command.
    /// - Returns: the reply (never ``RESPValue/error(_:)``: error replies are thrown).
    /// - Throws: ``RedisError/server(_:)`` for an error reply, ``RedisError/timeout(_:)`` (the connection is
    ///   then closed), ``RedisError/connectionClosed``, ``RedisError/protocolError(_:)`` or
    ///   ``RedisError/invalidCommand(_:)``.
    package func send(_ arguments: [RedisArgument], timeout: Duration? = nil) async throws(RedisError) -> RESPValue {
        do {
            return try await self.submit(arguments, timeout: timeout).get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }

    /// Sends one command without suspending: for callers on an event loop (the cluster inbox) that chain the
    /// reply instead of awaiting it. Writes from one tick are flushed together (see ``RedisCommandHandler``).
    /// - Returns: a future with the reply, failed with a ``RedisError`` as ``send(_:timeout:)`` throws.
    package func submit(_ arguments: [RedisArgument], timeout: Duration? = nil) -> EventLoopFuture<RESPValue> {
        var bytes = self.channel.allocator.buffer(capacity: 16 + arguments.reduce(0) { $0 + $1.bytes.count + 16 })
        do {
            try RedisCommandEncoder.encode(arguments, into: &bytes)
        } catch {
            return self.channel.eventLoop.makeFailedFuture(error)
        }
        let promise = self.channel.eventLoop.makePromise(of: RESPValue.self)
        let command = RedisCommandHandler.Command(
            bytes: bytes,
            promise: promise,
            timeout: timeout ?? self.commandTimeout
        )
        // If the channel is already closed the handler never sees the command: fail its promise here.
        self.channel.writeAndFlush(command).whenFailure { _ in
            promise.fail(RedisError.connectionClosed)
        }
        return promise.futureResult.flatMapThrowing { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            return reply
        }
    }

    /// Closes the connection; commands in flight fail with ``RedisError/connectionClosed``.
    package func close() async {
        try? await self.channel.close()
    }

    /// Starts closing without waiting (for cancellation handlers).
    func closeNow() {
        self.channel.close(promise: nil)
    }

    /// Returns when the connection has closed, for whatever reason.
    package func waitUntilClosed() async {
        try? await self.channel.closeFuture.get()
    }
}
