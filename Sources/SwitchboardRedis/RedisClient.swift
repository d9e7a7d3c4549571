package import Logging
internal import NIOConcurrencyHelpers
package import NIOCore
internal import NIOPosix

/// The Redis client the gateway uses: one pipelined ``RedisConnection`` that ``run()`` keeps open,
/// reconnecting with exponential backoff and jitter after every loss.
///
/// While disconnected, ``send(_:timeout:)`` fails at once with ``RedisError/unavailable`` (nothing waits for
/// Redis to come back); ``stateChanges()`` tells when it is back, so callers can re-register their state.
///
/// `run()` has the shape of a ServiceLifecycle `Service` and returns when its task is cancelled (wrap it in
/// `cancelWhenGracefulShutdown` for graceful shutdown).
package final class RedisClient: Sendable {
    /// Whether the client has a usable connection.
    package enum ConnectionState: Sendable, Hashable {
        /// Connected (and authenticated, database selected): commands are sent.
        case connected
        /// Not connected (not yet, or reconnecting): commands fail with ``RedisError/unavailable``.
        case disconnected
    }

    private struct State {
        var connection: RedisConnection?
        var observers: [Int: AsyncStream<ConnectionState>.Continuation] = [:]
        var nextObserverID = 0
        var finished = false

        var connectionState: ConnectionState { self.connection == nil ? .disconnected : .connected }
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onPush: (@Sendable (RedisPubSubMessage) -> Void)?
    private let onConnect: (@Sendable (RedisConnection) async throws -> Void)?
    private let state = NIOLockedValueBox(State())

    /// Creates a client; nothing connects until ``run()`` is called.
    /// - Parameters:
    ///   - configuration: address, credentials, timeouts and backoff.
    ///   - eventLoopGroup: the group connections run on.
    ///   - logger: receives connect, loss and timeout events.
    package convenience init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.init(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            onPush: nil,
            onConnect: nil
        )
    }

    /// Creates a client whose connections hand pub/sub messages to `onPush` and run `onConnect` before they
    /// are used (``RedisSubscriber`` resubscribes there).
    init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        onPush: (@Sendable (RedisPubSubMessage) -> Void)?,
        onConnect: (@Sendable (RedisConnection) async throws -> Void)?
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onPush = onPush
        self.onConnect = onConnect
    }

    /// Whether a connection is up right now.
    package var isConnected: Bool {
        self.state.withLockedValue { $0.connection?.isActive ?? false }
    }

    /// A stream of connection states: the current one first, then every change, until ``run()`` returns.
    /// Each call returns an independent stream; a slow reader sees the newest 16 states.
    /// - Returns: the stream.
    package func stateChanges() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ConnectionState.self,
            bufferingPolicy: .bufferingNewest(16)
        )
        let id: Int? = self.state.withLockedValue { state in
            guard !state.finished else { return nil }
            let id = state.nextObserverID
            state.nextObserverID += 1
            state.observers[id] = continuation
            continuation.yield(state.connectionState)
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.observers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends one command on the current connection.
    /// - Parameters:
    ///   - arguments: the command and its arguments, e.g. `["GET", .string(key)]`.
    ///   - timeout: overrides the configuration's `commandTimeout`.
    /// - Returns: the reply (error replies are thrown).
    /// - Throws: ``RedisError/unavailable`` at once when disconnected; otherwise as
    ///   ``RedisConnection/send(_:timeout:)``.
    package func send(_ arguments: [RedisArgument], timeout: Duration? = nil) async throws(RedisError) -> RESPValue {
        guard let connection = self.state.withLockedValue({ $0.connection }), connection.isActive else {
            throw .unavailable
        }
        return try await connection.send(arguments, timeout: timeout)
    }

    /// Sends one command without suspending, as ``RedisConnection/submit(_:timeout:)``.
    /// - Returns: a future with the reply; failed at once with ``RedisError/unavailable`` when disconnected.
    package func submit(_ arguments: [RedisArgument], timeout: Duration? = nil) -> EventLoopFuture<RESPValue> {
        guard let connection = self.state.withLockedValue({ $0.connection }), connection.isActive else {
            return self.eventLoopGroup.any().makeFailedFuture(RedisError.unavailable)
        }
        return connection.submit(arguments, timeout: timeout)
    }

    /// Connects and keeps reconnecting until the calling task is cancelled; then closes the connection,
    /// finishes every ``stateChanges()`` stream and returns. Call it once.
    package func run() async {
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        let address = "\(self.configuration.host):\(self.configuration.port)"
        var logger = self.logger
        logger[metadataKey: "sb.redis.address"] = "\(address)"

        while !Task.isCancelled {
            do {
                let connection = try await RedisConnection.connect(
                    configuration: self.configuration,
                    eventLoopGroup: self.eventLoopGroup,
                    logger: logger,
                    onPush: self.onPush
                )
                do {
                    try Task.checkCancellation()
                    try await self.onConnect?(connection)
                } catch {
                    await connection.close()
                    throw error
                }
                attempt = 0
                self.update(connection: connection)
                logger.info("Connected to Redis")
                await withTaskCancellationHandler {
                    await connection.waitUntilClosed()
                } onCancel: {
                    connection.closeNow()
                }
                self.update(connection: nil)
                if !Task.isCancelled {
                    logger.warning("Lost the connection to Redis; reconnecting")
                }
            } catch {
                guard !Task.isCancelled else { break }
                logger.log(
                    level: attempt == 0 ? .warning : .debug,
                    "Could not connect to Redis; retrying with backoff",
                    metadata: ["error": "\(error)", "attempt": "\(attempt)"]
                )
            }
            guard !Task.isCancelled else { break }
            let delay = self.configuration.reconnectBackoff.delay(attempt: attempt, using: &generator)
            attempt += 1
            try? await Task.sleep(for: delay)
        }
        self.finish()
    }

    // MARK: - State

    private func update(connection: RedisConnection?) {
        self.state.withLockedValue { state in
            let before = state.connectionState
            state.connection = connection
            let after = state.connectionState
            guard before != after else { return }
            for observer in state.observers.values {
                observer.yield(after)
            }
        }
    }

    private func finish() {
        let (observers, wasConnected) = self.state.withLockedValue { state in
            defer {
                state.connection = nil
                state.finished = true
                state.observers = [:]
            }
            return (Array(state.observers.values), state.connection != nil)
        }
        for observer in observers {
            if wasConnected {
                observer.yield(.disconnected)
            }
            observer.finish()
        }
    }
}
