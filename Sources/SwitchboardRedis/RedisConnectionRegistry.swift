package import SwitchboardCore

/// The cluster's shared state in Redis: one hash per connection (`sb:conn:{id}`, TTL refreshed by the
/// owner), a set of connection ids per node (`sb:nodeconns:{node}`, for sweeping a dead node), a heartbeat
/// key per node (`sb:node:{node}`, expiring when the node stops refreshing it) and the set of known nodes
/// (`sb:nodes`). Node inboxes are the pub/sub channels `sb:inbox:{node}`; fan-out uses `sb:broadcast`.
package struct RedisConnectionRegistry: Sendable {
    private let client: RedisClient

    /// The channel every node subscribes to for broadcasts.
    package static let broadcastChannel = "sb:broadcast"

    /// Creates a registry over a client.
    package init(client: RedisClient) {
        self.client = client
    }

    /// A node's inbox channel.
    package static func inboxChannel(_ nodeId: String) -> String { "sb:inbox:\(nodeId)" }

    private static func connectionKey(_ id: String) -> String { "sb:conn:\(id)" }
    private static func nodeConnectionsKey(_ nodeId: String) -> String { "sb:nodeconns:\(nodeId)" }
    private static func heartbeatKey(_ nodeId: String) -> String { "sb:node:\(nodeId)" }
    private static let nodesKey = "sb:nodes"

    /// Writes a connection's record with a time to live, and lists it under its node.
    /// - Parameters:
    ///   - record: the record.
    ///   - ttlMillis: its time to live.
    /// - Throws: ``RedisError``.
    package func register(_ record: ConnectionRecord, ttlMillis: Int) async throws(RedisError) {
        let key = Self.connectionKey(record.connectionId)
        var arguments: [RedisArgument] = ["HSET", .string(key)]
        for (name, value) in record.fields.sorted(by: { $0.key < $1.key }) {
            arguments += [.string(name), .string(value)]
        }
        // Listed under its node first, so a sweeper can always find a record that exists.
        _ = try await self.client.send([
            "SADD", .string(Self.nodeConnectionsKey(record.nodeId)), .string(record.connectionId),
        ])
        _ = try await self.client.send(arguments)
        _ = try await self.client.send(["PEXPIRE", .string(key), .integer(Int64(ttlMillis))])
    }

    /// Refreshes records of live connections in one pipelined batch: `lastActiveAt` and the TTL.
    /// - Parameters:
    ///   - activity: connection id → last activity (epoch ms).
    ///   - ttlMillis: the new time to live.
    /// - Throws: ``RedisError`` (the first failure).
    package func refresh(_ activity: [(id: String, lastActiveAtMillis: Int64)], ttlMillis: Int) async throws(RedisError)
    {
        let client = self.client
        let results = await withTaskGroup(of: RedisError?.self) { group in
            for (id, lastActive) in activity {
                group.addTask {
                    do throws(RedisError) {
                        let key = Self.connectionKey(id)
                        _ = try await client.send(["HSET", .string(key), "lastActiveAt", .integer(lastActive)])
                        _ = try await client.send(["PEXPIRE", .string(key), .integer(Int64(ttlMillis))])
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var first: RedisError?
            for await result in group where first == nil { first = result }
            return first
        }
        if let results { throw results }
    }

    /// Reads a connection's record.
    /// - Parameter id: the connection id.
    /// - Returns: the record, or `nil` when there is none.
    /// - Throws: ``RedisError``.
    package func lookup(_ id: String) async throws(RedisError) -> ConnectionRecord? {
        let hash = try await self.client.hashGetAll(Self.connectionKey(id))
        guard !hash.isEmpty else { return nil }
        return ConnectionRecord(
            connectionId: id,
            fields: hash.mapValues { String(decoding: $0, as: UTF8.self) }
        )
    }

    /// Reads a connection's record and whether its owner's heartbeat is alive, in one round trip (a script), for the
    /// cross-node `@connections` path.
    /// - Returns: the record and the owner's liveness, or `nil` when there is no record.
    /// - Throws: ``RedisError``.
    package func lookupWithOwner(_ id: String) async throws(RedisError) -> (record: ConnectionRecord, ownerAlive: Bool)?
    {
        let reply = try await self.client.eval(Self.lookupScript, keys: [Self.connectionKey(id)])
        guard case .array(let items) = reply, items.count == 2, case .array(let flat) = items[0], !flat.isEmpty else {
            return nil
        }
        var fields: [String: String] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let key = flat[index].string, let value = flat[index + 1].string { fields[key] = value }
            index += 2
        }
        guard let record = ConnectionRecord(connectionId: id, fields: fields) else { return nil }
        return (record, items[1].integer == 1)
    }

    /// `HGETALL` the record, then `EXISTS` its owner's heartbeat key.
    static let lookupScript = """
        local h = redis.call('HGETALL', KEYS[1])
        if #h == 0 then return {h, 0} end
        local node = redis.call('HGET', KEYS[1], 'node')
        if not node then return {h, 0} end
        return {h, redis.call('EXISTS', 'sb:node:' .. node)}
        """

    /// Deletes a connection's record.
    /// - Parameters:
    ///   - id: the connection id.
    ///   - nodeId: the node that listed it.
    /// - Returns: whether this call deleted it (exactly one caller sees `true`).
    /// - Throws: ``RedisError``.
    @discardableResult
    package func remove(_ id: String, nodeId: String) async throws(RedisError) -> Bool {
        let deleted = try await self.client.delete([Self.connectionKey(id)])
        _ = try await self.client.send(["SREM", .string(Self.nodeConnectionsKey(nodeId)), .string(id)])
        return deleted == 1
    }

    /// Refreshes this node's heartbeat and lists it among the known nodes.
    /// - Parameters:
    ///   - nodeId: this node.
    ///   - ttlMillis: how long the heartbeat lives.
    /// - Throws: ``RedisError``.
    package func heartbeat(_ nodeId: String, ttlMillis: Int) async throws(RedisError) {
        try await self.client.set(
            Self.heartbeatKey(nodeId),
            to: Array("alive".utf8),
            expiresIn: .milliseconds(ttlMillis)
        )
        _ = try await self.client.send(["SADD", .string(Self.nodesKey), .string(nodeId)])
    }

    /// Whether a node's heartbeat is still there.
    /// - Throws: ``RedisError``.
    package func isAlive(_ nodeId: String) async throws(RedisError) -> Bool {
        try await self.client.send(["EXISTS", .string(Self.heartbeatKey(nodeId))]).integer == 1
    }

    /// Every node that ever announced itself and has not been forgotten.
    /// - Throws: ``RedisError``.
    package func knownNodes() async throws(RedisError) -> [String] {
        try await self.client.send(["SMEMBERS", .string(Self.nodesKey)]).array?.compactMap(\.string) ?? []
    }

    /// The connection ids listed under a node.
    /// - Throws: ``RedisError``.
    package func connections(of nodeId: String) async throws(RedisError) -> [String] {
        try await self.client.send(["SMEMBERS", .string(Self.nodeConnectionsKey(nodeId))]).array?.compactMap(\.string)
            ?? []
    }

    /// Forgets a node (after its connections are swept, or on clean shutdown).
    /// - Throws: ``RedisError``.
    package func forget(node nodeId: String) async throws(RedisError) {
        _ = try await self.client.delete([Self.nodeConnectionsKey(nodeId), Self.heartbeatKey(nodeId)])
        _ = try await self.client.send(["SREM", .string(Self.nodesKey), .string(nodeId)])
    }

    /// Takes a short lock so that one survivor sweeps a dead node at a time.
    /// - Returns: whether the lock was taken.
    /// - Throws: ``RedisError``.
    package func lockSweep(of nodeId: String, by owner: String, ttlMillis: Int) async throws(RedisError) -> Bool {
        try await self.client.set(
            "sb:sweep:\(nodeId)",
            to: Array(owner.utf8),
            expiresIn: .milliseconds(ttlMillis),
            onlyIfAbsent: true
        )
    }
}
