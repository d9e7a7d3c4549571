import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardCore
import SwitchboardPipeline
import SwitchboardRedis

/// This node's membership in a cluster: registers its connections in Redis, answers forwarded
/// `@connections` calls from its inbox, forwards calls for connections other nodes own, heartbeats, and
/// sweeps dead nodes (delivering their connections' `$disconnect` exactly once).
final class ClusterNode: Sendable {
    let nodeId: String
    private let settings: ClusterSettings
    private let client: RedisClient
    private let subscriber: RedisSubscriber
    private let registry: RedisConnectionRegistry
    private let logger: Logger
    private let eventLoop: any EventLoop
    private let ids: any IdentifierGenerator
    private let pending = NIOLockedValueBox<[String: EventLoopPromise<HTTPResponseValue>]>([:])
    // The gateway owns this node; the reference is set once after both exist and cleared on leave.
    private let gatewayBox = NIOLockedValueBox<Gateway?>(nil)
    /// Records this node failed to delete while Redis was unreachable; retried until they are gone.
    private let pendingRemovals = NIOLockedValueBox<Set<String>>([])
    /// Until when (epoch ms) a missing record may just not be re-registered yet after Redis came back.
    private let recoveringUntil = NIOLockedValueBox<Int64>(0)

    init(url: String, nodeId: String, settings: ClusterSettings, ids: any IdentifierGenerator, logger: Logger) throws {
        let configuration = try RedisConfiguration(url: url)
        self.nodeId = nodeId
        self.settings = settings
        self.ids = ids
        self.logger = logger
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        self.client = RedisClient(configuration: configuration, logger: logger)
        self.subscriber = RedisSubscriber(configuration: configuration, logger: logger)
        self.registry = RedisConnectionRegistry(client: self.client)
    }

    /// Usage-plan quotas counted in this cluster's Redis.
    var quotaCounter: RedisQuotaCounter { RedisQuotaCounter(client: self.client) }

    func attach(_ gateway: Gateway) {
        self.gatewayBox.withLockedValue { $0 = gateway }
    }

    private var gateway: Gateway? { self.gatewayBox.withLockedValue { $0 } }

    // MARK: - Running

    /// Runs the Redis connections and the cluster loops until cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.subscriber.run() }
            group.addTask { await self.inboxLoop() }
            group.addTask { await self.every(self.settings.heartbeatIntervalMillis) { try await self.heartbeat() } }
            group.addTask { await self.every(self.settings.recordRefreshMillis) { try await self.refreshRecords() } }
            group.addTask { await self.every(self.settings.sweepIntervalMillis) { try await self.sweepDeadNodes() } }
            group.addTask { await self.reregisterOnReconnect() }
            try? await self.subscriber.subscribe([
                RedisConnectionRegistry.inboxChannel(self.nodeId), RedisConnectionRegistry.broadcastChannel,
            ])
        }
    }

    /// Leaves the cluster cleanly: forgets this node so peers stop forwarding to it.
    func leave() async {
        try? await self.registry.forget(node: self.nodeId)
        self.gatewayBox.withLockedValue { $0 = nil }
    }

    private func every(_ millis: Int, _ body: @Sendable () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await body()
            } catch {
                self.logger.debug("cluster task failed", metadata: ["sb.error.type": .string("\(error)")])
            }
            try? await Task.sleep(for: .milliseconds(millis))
        }
    }

    private func heartbeat() async throws {
        guard self.client.isConnected else { return }
        try await self.registry.heartbeat(self.nodeId, ttlMillis: self.settings.nodeTimeoutMillis)
        let removals = self.pendingRemovals.withLockedValue { $0 }
        for id in removals {
            try await self.registry.remove(id, nodeId: self.nodeId)
            self.pendingRemovals.withLockedValue { _ = $0.remove(id) }
        }
    }

    private func reregisterOnReconnect() async {
        var wasConnected = false
        var firstConnection = true
        for await state in self.client.stateChanges() {
            let connected = state == .connected
            if connected, !wasConnected {
                if !firstConnection {
                    // Redis may have come back empty: until every live node has had time to re-register,
                    // a missing record means "unknown yet", not "gone".
                    let until = WallClock.nowMillis() + Int64(self.settings.nodeTimeoutMillis)
                    self.recoveringUntil.withLockedValue { $0 = until }
                }
                try? await self.heartbeat()
                if let gateway = self.gateway {
                    for connection in gateway.table.all() { await self.register(connection) }
                    await self.removeStaleRecords(gateway, previousIncarnation: firstConnection)
                    self.logger.info(
                        "registered live connections in Redis",
                        metadata: ["count": "\(gateway.table.count)"]
                    )
                }
                firstConnection = false
            }
            wasConnected = connected
        }
    }

    /// Records listed under this node that it does not hold: on start they belong to a previous process with
    /// the same node id (crashed and restarted before anyone swept it), so their `$disconnect` is owed; later
    /// they are leftovers of failed deletes, whose `$disconnect` already ran.
    private func removeStaleRecords(_ gateway: Gateway, previousIncarnation: Bool) async {
        guard let listed = try? await self.registry.connections(of: self.nodeId) else { return }
        for id in listed where gateway.table.lookup(id) == nil {
            let record = try? await self.registry.lookup(id)
            guard (try? await self.registry.remove(id, nodeId: self.nodeId)) == true else { continue }
            if previousIncarnation, let record { gateway.disconnectSwept(record) }
        }
    }

    // MARK: - Records

    func register(_ connection: WebSocketConnection) async {
        let info = connection.info
        let record = ConnectionRecord(
            connectionId: info.connectionId,
            nodeId: self.nodeId,
            apiId: info.apiId,
            stage: info.stage,
            domainName: info.domainName,
            sourceIp: info.sourceIp,
            userAgent: info.userAgent ?? "",
            connectedAtMillis: info.connectedAtMillis,
            lastActiveAtMillis: connection.lastActiveMillis,
            authorizer: info.authorizer
        )
        do {
            try await self.registry.register(record, ttlMillis: self.settings.recordTTLMillis)
            // Registration and removal run as separate jobs: if the connection closed meanwhile, the removal
            // may have run first, so remove again rather than leave a record behind.
            if self.gateway?.table.lookup(info.connectionId) == nil {
                try await self.registry.remove(info.connectionId, nodeId: self.nodeId)
            }
        } catch {
            self.logger.warning(
                "could not register a connection in Redis",
                metadata: ["sb.connection.id": .string(info.connectionId), "sb.error.type": .string("\(error)")]
            )
        }
    }

    func unregister(_ connectionId: String) async {
        do {
            try await self.registry.remove(connectionId, nodeId: self.nodeId)
        } catch {
            self.pendingRemovals.withLockedValue { _ = $0.insert(connectionId) }
        }
    }

    private func refreshRecords() async throws {
        guard self.client.isConnected, let gateway = self.gateway else { return }
        let activity = gateway.table.all().map { (id: $0.id, lastActiveAtMillis: $0.lastActiveMillis) }
        guard !activity.isEmpty else { return }
        try await self.registry.refresh(activity, ttlMillis: self.settings.recordTTLMillis)
    }

    /// Finds nodes whose heartbeat expired and sweeps their connections: each record is deleted by exactly
    /// one survivor (the one whose `DEL` removed it), which then delivers its `$disconnect` with 1006.
    private func sweepDeadNodes() async throws {
        guard self.client.isConnected, let gateway = self.gateway else { return }
        for node in try await self.registry.knownNodes() where node != self.nodeId {
            guard try await !self.registry.isAlive(node) else { continue }
            guard try await self.registry.lockSweep(of: node, by: self.nodeId, ttlMillis: 10_000) else { continue }
            let ids = try await self.registry.connections(of: node)
            self.logger.info("sweeping a dead node", metadata: ["dead.node": .string(node), "count": "\(ids.count)"])
            for id in ids {
                let record = try await self.registry.lookup(id)
                guard try await self.registry.remove(id, nodeId: node), let record else { continue }
                gateway.disconnectSwept(record)
            }
            try await self.registry.forget(node: node)
        }
    }

    // MARK: - Forwarding

    /// Forwards an `@connections` call to the node that owns the connection and waits for its answer.
    func forward(
        method: HTTPMethod,
        connectionId: String,
        apiId: String,
        stage: String,
        body: ByteBuffer
    ) async -> HTTPResponseValue {
        do {
            // One round trip reads the record and its owner's heartbeat.
            guard let (record, ownerAlive) = try await self.registry.lookupWithOwner(connectionId) else {
                if WallClock.nowMillis() < self.recoveringUntil.withLockedValue({ $0 }) {
                    return Self.unavailable("the connection registry is recovering")
                }
                return .error(.gone)
            }
            guard record.apiId == apiId, record.stage == stage, record.nodeId != self.nodeId, ownerAlive
            else { return .error(.gone) }
            let requestId = self.ids.next()
            let promise = self.eventLoop.makePromise(of: HTTPResponseValue.self)
            self.pending.withLockedValue { $0[requestId] = promise }
            let timeout = self.eventLoop.scheduleTask(in: .milliseconds(Int64(self.settings.crossNodeTimeoutMillis))) {
                if let promise = self.pending.withLockedValue({ $0.removeValue(forKey: requestId) }) {
                    promise.succeed(Self.unavailable("the owning node did not answer in time"))
                }
            }
            let message = ClusterMessage.request(
                id: requestId,
                from: self.nodeId,
                method: method.rawValue,
                connectionId: connectionId,
                apiId: apiId,
                stage: stage,
                body: Array(body.readableBytesView)
            )
            let receivers = try await self.registry.publish(
                message.encoded,
                to: RedisConnectionRegistry.inboxChannel(record.nodeId)
            )
            if receivers == 0, let promise = self.pending.withLockedValue({ $0.removeValue(forKey: requestId) }) {
                timeout.cancel()
                promise.succeed(Self.unavailable("the owning node is not listening"))
            }
            let response = try await promise.futureResult.get()
            timeout.cancel()
            return response
        } catch {
            return Self.unavailable("the connection registry is unavailable")
        }
    }

    /// Sends a broadcast to the other nodes (one message per node, whatever their connection counts).
    /// - Returns: how many other nodes received it.
    @discardableResult
    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int {
        let message = ClusterMessage.broadcast(
            from: self.nodeId,
            apiId: apiId,
            stage: stage,
            body: payload,
            isBinary: isBinary
        )
        let receivers =
            (try? await self.registry.publish(message.encoded, to: RedisConnectionRegistry.broadcastChannel)) ?? 0
        return max(receivers - 1, 0)  // this node is subscribed too, and ignores its own broadcasts
    }

    static func unavailable(_ message: String) -> HTTPResponseValue {
        .error(GatewayError(type: nil, status: 503, errorType: "ServiceUnavailableException", message: message))
    }

    private func inboxLoop() async {
        await withDiscardingTaskGroup { group in
            for await message in self.subscriber.messages {
                guard let decoded = ClusterMessage(decoding: message.payload) else { continue }
                switch decoded {
                case .reply(let id, let response):
                    self.pending.withLockedValue { $0.removeValue(forKey: id) }?.succeed(response)
                case .request(let id, let from, let method, let connectionId, let apiId, let stage, let body):
                    group.addTask {
                        let response: HTTPResponseValue
                        if let gateway = self.gateway {
                            response =
                                await gateway.localConnectionOperation(
                                    method: HTTPMethod(rawValue: method),
                                    id: connectionId,
                                    apiId: apiId,
                                    stage: stage,
                                    body: ByteBuffer(bytes: body)
                                ) ?? .error(.gone)
                        } else {
                            response = .error(.gone)
                        }
                        let reply = ClusterMessage.reply(id: id, response: response)
                        _ = try? await self.registry.publish(
                            reply.encoded,
                            to: RedisConnectionRegistry.inboxChannel(from)
                        )
                    }
                case .broadcast(let from, let apiId, let stage, let body, let isBinary):
                    guard from != self.nodeId, let gateway = self.gateway else { continue }
                    group.addTask {
                        _ = await LocalMessenger(table: gateway.table).broadcast(
                            apiId: apiId,
                            stage: stage,
                            payload: body,
                            isBinary: isBinary
                        )
                    }
                }
            }
        }
    }
}
