import NIOConcurrencyHelpers
import SwitchboardPipeline

/// The connections this node owns, by id. Sharded locks keep lookups cheap under load.
package final class ConnectionTable: Sendable {
    private static let shardCount = 16
    private let shards: [NIOLockedValueBox<[String: WebSocketConnection]>]

    /// Creates an empty table.
    package init() {
        self.shards = (0..<Self.shardCount).map { _ in NIOLockedValueBox([:]) }
    }

    private func shard(_ id: String) -> NIOLockedValueBox<[String: WebSocketConnection]> {
        var hasher = Hasher()
        hasher.combine(id)
        return self.shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(Self.shardCount))]
    }

    /// Adds a connection.
    package func insert(_ connection: WebSocketConnection) {
        self.shard(connection.id).withLockedValue { $0[connection.id] = connection }
    }

    /// Removes a connection; returns it when it was present.
    @discardableResult
    package func remove(_ id: String) -> WebSocketConnection? {
        self.shard(id).withLockedValue { $0.removeValue(forKey: id) }
    }

    /// The connection with this id.
    package func lookup(_ id: String) -> WebSocketConnection? {
        self.shard(id).withLockedValue { $0[id] }
    }

    /// Every connection of an API stage.
    package func connections(apiId: String, stage: String) -> [WebSocketConnection] {
        var result: [WebSocketConnection] = []
        for shard in self.shards {
            shard.withLockedValue { table in
                for connection in table.values where connection.info.apiId == apiId && connection.info.stage == stage {
                    result.append(connection)
                }
            }
        }
        return result
    }

    /// Every connection.
    package func all() -> [WebSocketConnection] {
        self.shards.flatMap { $0.withLockedValue { Array($0.values) } }
    }

    /// How many connections are open.
    package var count: Int {
        self.shards.reduce(0) { $0 + $1.withLockedValue { $0.count } }
    }
}
