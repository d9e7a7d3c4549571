package import Logging
internal import NIOConcurrencyHelpers
package import NIOCore
internal import NIOPosix

/// A dedicated pub/sub connection (RESP2 `SUBSCRIBE`/`PSUBSCRIBE`) that delivers published messages through
/// ``messages`` and subscribes again to everything after each reconnect.
///
/// Subscriptions are durable: ``subscribe(_:)`` records the channels even while disconnected, and every new
/// connection subscribes to all recorded channels and patterns before it reports ``isConnected``. Messages
/// published while the subscriber was disconnected are lost (Redis pub/sub keeps nothing).
package final class RedisSubscriber: Sendable {
    private struct State {
        var channels: Set<String> = []
        var patterns: Set<String> = []
        /// The connection subscriptions go to; set by the client's connect hook before it is announced.
        var connection: RedisConnection?
    }

    /// Every message published to a subscribed channel or matching pattern, in order, until ``run()``
    /// returns (unless the subscriber was made with an `onMessage` handler). Unbounded: read it promptly. Meant
    /// for one reader.
    package let messages: AsyncStream<RedisPubSubMessage>

    private let continuation: AsyncStream<RedisPubSubMessage>.Continuation
    private let state: NIOLockedValueBox<State>
    private let client: RedisClient

    /// Creates a subscriber that delivers through ``messages``; nothing connects until ``run()`` is called.
    /// - Parameters:
    ///   - configuration: address, credentials, timeouts and backoff.
    ///   - eventLoopGroup: the group the connection runs on.
    ///   - logger: receives connect and loss events.
    package convenience init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.init(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger, onMessage: nil)
    }

    /// Creates a subscriber that hands every message to `onMessage` on the connection's event loop, in order, and
    /// never yields to ``messages``: for readers that must not hop to another thread per message (the cluster
    /// inbox). `onMessage` must not block.
    /// - Parameters:
    ///   - configuration: address, credentials, timeouts and backoff.
    ///   - eventLoopGroup: the group the connection runs on.
    ///   - logger: receives connect and loss events.
    ///   - onMessage: called with each message.
    package init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onMessage: (@Sendable (RedisPubSubMessage) -> Void)?
    ) {
        let (messages, continuation) = AsyncStream.makeStream(of: RedisPubSubMessage.self)
        let state = NIOLockedValueBox(State())
        self.messages = messages
        self.continuation = continuation
        self.state = state
        self.client = RedisClient(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            onPush: onMessage ?? { message in continuation.yield(message) },
            onConnect: { connection in
                // Taking the snapshot and publishing the connection under one lock means a concurrent
                // `subscribe` is either in the snapshot or sends on this connection itself.
                let (channels, patterns) = state.withLockedValue { state in
                    state.connection = connection
                    return (state.channels, state.patterns)
                }
                try await Self.send("SUBSCRIBE", channels, on: connection)
                try await Self.send("PSUBSCRIBE", patterns, on: connection)
            }
        )
    }

    /// Whether the subscriber is connected and its subscriptions are in place.
    package var isConnected: Bool {
        self.client.isConnected
    }

    /// Connection states, as ``RedisClient/stateChanges()``.
    /// - Returns: a stream starting with the current state.
    package func stateChanges() -> AsyncStream<RedisClient.ConnectionState> {
        self.client.stateChanges()
    }

    /// Connects and keeps reconnecting (and resubscribing) until the calling task is cancelled; then
    /// finishes ``messages`` and returns. Call it once.
    package func run() async {
        await self.client.run()
        self.continuation.finish()
    }

    /// Subscribes to channels, now when connected and after every reconnect.
    /// - Parameter channels: channel names.
    /// - Throws: ``RedisError/server(_:)`` or ``RedisError/timeout(_:)`` from a live connection. While
    ///   disconnected it records the channels and returns; they are subscribed on connect.
    package func subscribe(_ channels: [String]) async throws(RedisError) {
        try await self.update("SUBSCRIBE", channels) { $0.channels.formUnion(channels) }
    }

    /// Subscribes to glob-style patterns (`PSUBSCRIBE`), now when connected and after every reconnect.
    /// - Parameter patterns: patterns such as `node:*`.
    /// - Throws: as ``subscribe(_:)``.
    package func psubscribe(_ patterns: [String]) async throws(RedisError) {
        try await self.update("PSUBSCRIBE", patterns) { $0.patterns.formUnion(patterns) }
    }

    /// Stops listening to channels.
    /// - Parameter channels: channel names.
    /// - Throws: as ``subscribe(_:)``.
    package func unsubscribe(_ channels: [String]) async throws(RedisError) {
        try await self.update("UNSUBSCRIBE", channels) { $0.channels.subtract(channels) }
    }

    /// Stops listening to patterns.
    /// - Parameter patterns: patterns given to ``psubscribe(_:)``.
    /// - Throws: as ``subscribe(_:)``.
    package func punsubscribe(_ patterns: [String]) async throws(RedisError) {
        try await self.update("PUNSUBSCRIBE", patterns) { $0.patterns.subtract(patterns) }
    }

    /// Records a subscription change, then sends the command when a connection is up (a reconnect replays
    /// the recorded set).
    private func update(
        _ command: RedisArgument,
        _ names: [String],
        _ record: (inout State) -> Void
    ) async throws(RedisError) {
        let connection = self.state.withLockedValue { state in
            record(&state)
            return state.connection
        }
        try await Self.sendIfConnected(command, names, on: connection)
    }

    // MARK: - Sending

    /// Sends on `connection` unless it is gone; a connection lost meanwhile is not an error, since the next
    /// one applies the recorded subscriptions.
    private static func sendIfConnected(
        _ command: RedisArgument,
        _ names: [String],
        on connection: RedisConnection?
    ) async throws(RedisError) {
        guard let connection, connection.isActive else { return }
        do {
            try await Self.send(command, names, on: connection)
        } catch .connectionClosed, .unavailable {
            return
        }
    }

    /// One command per name, pipelined: each then has exactly one confirmation reply, which keeps the
    /// connection's reply FIFO aligned (a multi-name `SUBSCRIBE` answers once per name).
    private static func send(
        _ command: RedisArgument,
        _ names: some Collection<String>,
        on connection: RedisConnection
    ) async throws(RedisError) {
        guard !names.isEmpty else { return }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in names {
                    group.addTask { _ = try await connection.send([command, .string(name)]) }
                }
                try await group.waitForAll()
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }
}
