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
    private let inbox: ClusterInbox
    private let owners = NIOLockedValueBox(OwnerCache())
    /// Records this node failed to delete while Redis was unreachable; retried until they are gone.
    private let pendingRemovals = NIOLockedValueBox<Set<String>>([])
    /// Until when (epoch ms) a missing record may just not be re-registered yet after Redis came back.
    private let recoveringUntil = NIOLockedValueBox<Int64>(0)

    init(
        url: String,
        nodeId: String,
        settings: ClusterSettings,
        ids: any IdentifierGenerator,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) throws {
        let configuration = try RedisConfiguration(url: url)
        self.nodeId = nodeId
        self.settings = settings
        self.ids = ids
        self.logger = logger
        self.eventLoop = eventLoopGroup.next()
        let client = RedisClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        let inbox = ClusterInbox(nodeId: nodeId, client: client)
        self.client = client
        self.inbox = inbox
        self.subscriber = RedisSubscriber(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            onMessage: inbox.receive
        )
        self.registry = RedisConnectionRegistry(client: client)
    }

    /// Usage-plan quotas counted in this cluster's Redis.
    var quotaCounter: RedisQuotaCounter { RedisQuotaCounter(client: self.client) }

    func attach(_ gateway: Gateway) {
        self.inbox.gatewayBox.withLockedValue { $0 = gateway }
    }

    private var gateway: Gateway? { self.inbox.gateway }

    // MARK: - Running

    /// Runs the Redis connections and the cluster loops until cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.subscriber.run() }
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
        self.inbox.gatewayBox.withLockedValue { $0 = nil }
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

    /// Forwards an `@connections` call to the node that owns the connection; the future has its answer.
    ///
    /// When this node asked for the connection before, the owner comes from ``OwnerCache`` and the call is
    /// published to the owner's inbox at once: no task, no registry round trip, and the answer completes on `loop`
    /// (the caller's). Otherwise, or when the cached owner no longer listens, a job on the work queue looks the
    /// owner up in the registry (one round trip for the record and its owner's heartbeat) and publishes then.
    func forward(
        method: HTTPMethod,
        connectionId: String,
        apiId: String,
        stage: String,
        body: ByteBuffer,
        on loop: any EventLoop
    ) -> EventLoopFuture<HTTPResponseValue> {
        let call = ForwardedCall(method: method, connectionId: connectionId, apiId: apiId, stage: stage, body: body)
        guard let cached = self.owners.withLockedValue({ $0.owner(of: connectionId, now: .now()) }) else {
            return self.lookUpAndSend(call, on: loop)
        }
        return self.send(call, to: cached, on: loop).flatMap { response in
            if let response { return loop.makeSucceededFuture(self.forgetIfGone(connectionId, response)) }
            self.owners.withLockedValue { $0.forget(connectionId) }
            return self.lookUpAndSend(call, on: loop)
        }
    }

    private struct ForwardedCall: Sendable {
        var method: HTTPMethod
        var connectionId: String
        var apiId: String
        var stage: String
        var body: ByteBuffer
    }

    private func lookUpAndSend(_ call: ForwardedCall, on loop: any EventLoop) -> EventLoopFuture<HTTPResponseValue> {
        let promise = loop.makePromise(of: HTTPResponseValue.self)
        guard let gateway = self.gateway else {
            promise.succeed(.error(.gone))
            return promise.futureResult
        }
        // On the caller's loop when it is one of the server's (always, from the HTTP listener): such a job always
        // runs, even while the queue's runner drains at shutdown, so the promise is always completed.
        gateway.work.submit(on: gateway.taskExecutor(for: loop)) { promise.succeed(await self.lookUpAndSend(call)) }
        return promise.futureResult
    }

    private func lookUpAndSend(_ call: ForwardedCall) async -> HTTPResponseValue {
        let owner: OwnerCache.Owner
        do {
            guard let (record, ownerAlive) = try await self.registry.lookupWithOwner(call.connectionId) else {
                if WallClock.nowMillis() < self.recoveringUntil.withLockedValue({ $0 }) {
                    return Self.unavailable("the connection registry is recovering")
                }
                return .error(.gone)
            }
            guard record.nodeId != self.nodeId, ownerAlive else { return .error(.gone) }
            owner = OwnerCache.Owner(nodeId: record.nodeId, apiId: record.apiId, stage: record.stage)
        } catch {
            return Self.unavailable("the connection registry is unavailable")
        }
        self.owners.withLockedValue { $0.remember(owner, for: call.connectionId, now: .now()) }
        let response =
            (try? await self.send(call, to: owner, on: self.eventLoop).get()) ?? nil
            ?? Self.unavailable("the owning node is not listening")
        return self.forgetIfGone(call.connectionId, response)
    }

    private func forgetIfGone(_ connectionId: String, _ response: HTTPResponseValue) -> HTTPResponseValue {
        if response.status == 410 { self.owners.withLockedValue { $0.forget(connectionId) } }
        return response
    }

    /// Publishes the call to the owner's inbox; the future has the reply (or 410 when the connection is of another
    /// API or stage, 503 on timeout or when Redis fails), or `nil` when nobody listens on the owner's inbox.
    private func send(
        _ call: ForwardedCall,
        to owner: OwnerCache.Owner,
        on loop: any EventLoop
    ) -> EventLoopFuture<HTTPResponseValue?> {
        guard owner.apiId == call.apiId, owner.stage == call.stage else {
            return loop.makeSucceededFuture(.error(.gone))
        }
        let requestId = self.ids.next()
        let promise = loop.makePromise(of: HTTPResponseValue?.self)
        let pending = self.inbox.pending
        pending.withLockedValue { $0[requestId] = promise }
        let timeout = loop.scheduleTask(in: .milliseconds(Int64(self.settings.crossNodeTimeoutMillis))) {
            pending.withLockedValue { $0.removeValue(forKey: requestId) }?
                .succeed(Self.unavailable("the owning node did not answer in time"))
        }
        let message = ClusterMessage.request(
            id: requestId,
            from: self.nodeId,
            method: call.method.rawValue,
            connectionId: call.connectionId,
            apiId: call.apiId,
            stage: call.stage,
            body: Array(call.body.readableBytesView)
        )
        let channel = RedisConnectionRegistry.inboxChannel(owner.nodeId)
        self.client.submitPublish(message.encoded, to: channel).whenComplete { result in
            let failure: HTTPResponseValue??
            switch result {
            case .success(0): failure = .some(nil)
            case .success: failure = nil
            case .failure: failure = .some(Self.unavailable("the connection registry is unavailable"))
            }
            guard let failure, let promise = pending.withLockedValue({ $0.removeValue(forKey: requestId) }) else {
                return
            }
            promise.succeed(failure)
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }

    /// Sends a broadcast to the other nodes (one message per node, whatever their connection counts).
    /// - Returns: how many other nodes received it.
    @discardableResult
    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int {
        let sent = self.broadcast(apiId: apiId, stage: stage, payload: payload, isBinary: isBinary, on: self.eventLoop)
        return (try? await sent.get()) ?? 0
    }

    /// As the async `broadcast`, without a task: the future (on `loop`) has how many other nodes received it, 0 when
    /// Redis failed.
    func broadcast(
        apiId: String,
        stage: String,
        payload: [UInt8],
        isBinary: Bool,
        on loop: any EventLoop
    ) -> EventLoopFuture<Int> {
        let message = ClusterMessage.broadcast(
            from: self.nodeId,
            apiId: apiId,
            stage: stage,
            body: payload,
            isBinary: isBinary
        )
        let channel = RedisConnectionRegistry.broadcastChannel
        return self.client.submitPublish(message.encoded, to: channel).hop(to: loop).map {
            max($0 - 1, 0)  // this node is subscribed too, and ignores its own broadcasts
        }.recover { _ in 0 }
    }

    static func unavailable(_ message: String) -> HTTPResponseValue {
        .error(GatewayError(type: nil, status: 503, errorType: "ServiceUnavailableException", message: message))
    }
}
