package import AsyncHTTPClient
package import Logging
import NIOConcurrencyHelpers
import NIOCore
package import SwitchboardCore
package import SwitchboardPipeline

/// The data plane of one node: the current configuration snapshot, the connections it owns, and the
/// operations the listener calls (upgrade, message, close, `@connections`).
///
/// What comes from the configuration lives in a ``GatewaySnapshot`` that ``reload(_:)`` swaps; the
/// connection table, work queue, cluster membership and node id live as long as the gateway.
package final class Gateway: Sendable {
    /// This node's id.
    package let nodeId: String
    /// Connections owned by this node.
    package let table: ConnectionTable
    /// Async work (integration calls, `$disconnect`, management requests).
    package let work: WorkQueue
    /// One task executor per event loop of the server's group, shared by the loop's connections.
    private let loopExecutors: [ObjectIdentifier: EventLoopTaskExecutor]
    let logger: Logger
    let ids: any IdentifierGenerator
    let clock: @Sendable () -> Int64
    /// Cluster membership when `registry` is a Redis URL.
    let cluster: ClusterNode?
    /// The shared HTTP client, kept to compile the snapshots of later reloads.
    let httpClient: HTTPClient
    /// Keep-alive upstream connections, shared by every snapshot so a reload keeps them warm.
    let upstreamPool: UpstreamConnectionPool
    /// The current snapshot; replaced whole by ``reload(_:)``.
    let current: NIOLockedValueBox<GatewaySnapshot>
    /// Serializes reloads, so each one starts from the snapshot the previous one installed.
    let reloadLock = NIOLock()
    /// Token buckets and quota counts; kept across reloads.
    let traffic: TrafficControl

    /// Compiles a gateway from a validated configuration.
    /// - Parameters:
    ///   - config: the configuration.
    ///   - httpClient: the shared HTTP client for integrations.
    ///   - logger: the logger.
    ///   - ids: connection, request and message id source.
    ///   - clock: epoch milliseconds.
    ///   - traffic: token buckets and quota counter; `nil` for real clocks (and Redis quotas in cluster mode).
    /// - Throws: ``GatewaySnapshot/Failure`` when a selection expression, route key or model does not compile
    ///   (the config loader reports these first); an error when the Redis registry URL is invalid.
    package init(
        config: GatewayConfig,
        httpClient: HTTPClient,
        logger: Logger,
        ids: any IdentifierGenerator = RandomIdentifierGenerator(),
        clock: @escaping @Sendable () -> Int64 = Gateway.systemMillis,
        traffic: TrafficControl? = nil
    ) throws {
        self.nodeId = config.server.nodeId ?? "node-" + String(ids.next().prefix(8))
        self.table = ConnectionTable()
        self.work = WorkQueue()
        self.loopExecutors = Dictionary(
            uniqueKeysWithValues: httpClient.eventLoopGroup.makeIterator().map {
                (ObjectIdentifier($0), EventLoopTaskExecutor($0))
            }
        )
        var logger = logger
        logger[metadataKey: "sb.node.id"] = .string(self.nodeId)
        self.logger = logger
        self.ids = ids
        self.clock = clock
        switch config.registry {
        case .memory:
            self.cluster = nil
        case .redis(let url):
            self.cluster = try ClusterNode(
                url: url,
                nodeId: self.nodeId,
                settings: config.cluster,
                ids: ids,
                eventLoopGroup: httpClient.eventLoopGroup,
                logger: logger
            )
        }
        self.httpClient = httpClient
        self.upstreamPool = UpstreamConnectionPool(group: httpClient.eventLoopGroup)
        self.traffic = traffic ?? .system(quotas: self.cluster?.quotaCounter, nowMillis: clock)
        let snapshot = try GatewaySnapshot(
            config: config,
            httpClient: httpClient,
            pool: self.upstreamPool,
            traffic: self.traffic,
            messenger: GatewayMessenger(table: self.table, cluster: self.cluster)
        )
        self.current = NIOLockedValueBox(snapshot)
        self.cluster?.attach(self)
    }

    /// The task executor of one of the server's event loops (`nil` for a loop of another group).
    func taskExecutor(for eventLoop: any EventLoop) -> EventLoopTaskExecutor? {
        self.loopExecutors[ObjectIdentifier(eventLoop)]
    }

    /// The current snapshot. Read it once per request or message and use that value throughout.
    package var snapshot: GatewaySnapshot { self.current.withLockedValue { $0 } }

    /// The current configuration (that of ``snapshot``).
    package var config: GatewayConfig { self.snapshot.config }

    /// The current time from the system clock, in epoch milliseconds.
    package static let systemMillis: @Sendable () -> Int64 = { WallClock.nowMillis() }

    /// The current time in epoch milliseconds.
    package func nowMillis() -> Int64 { self.clock() }
}

/// Delivers to this node's connections, and in cluster mode to every other node with one message each.
struct GatewayMessenger: ConnectionMessenger {
    let table: ConnectionTable
    let cluster: ClusterNode?

    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int {
        await self.cluster?.broadcast(apiId: apiId, stage: stage, payload: payload, isBinary: isBinary)
        return await LocalMessenger(table: self.table).broadcast(
            apiId: apiId,
            stage: stage,
            payload: payload,
            isBinary: isBinary
        )
    }
}

/// Delivers to this node's connections.
struct LocalMessenger: ConnectionMessenger {
    let table: ConnectionTable

    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int {
        var queued = 0
        for sent in self.send(apiId: apiId, stage: stage, payload: ByteBuffer(bytes: payload), isBinary: isBinary) {
            queued += (try? await sent.get()) ?? 0
        }
        return queued
    }

    /// Hands a message to every connection of an API stage: one job per event loop, which writes to each of that
    /// loop's connections (a future per connection, awaited one by one, made a fan-out to N connections cost N
    /// allocations and N resumptions; waiting for each send before the next cost N loop round trips).
    /// - Returns: per event loop, how many connections queued the message.
    @discardableResult
    func send(apiId: String, stage: String, payload: ByteBuffer, isBinary: Bool) -> [EventLoopFuture<Int>] {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, connections: [WebSocketConnection])] = [:]
        for connection in self.table.connections(apiId: apiId, stage: stage) {
            byLoop[ObjectIdentifier(connection.eventLoop), default: (connection.eventLoop, [])].connections
                .append(connection)
        }
        return byLoop.values.map { loop, connections in
            let job = {
                connections.reduce(0) { $0 + ($1.sendInLoop(payload, isBinary: isBinary) == .queued ? 1 : 0) }
            }
            return loop.inEventLoop ? loop.makeSucceededFuture(job()) : loop.submit(job)
        }
    }
}
