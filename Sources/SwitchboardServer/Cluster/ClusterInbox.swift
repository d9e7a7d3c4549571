import NIOConcurrencyHelpers
package import NIOCore
import NIOHTTP1
import SwitchboardCore
import SwitchboardRedis

/// What arrives on this node's pub/sub channels, handled where it arrives: on the subscriber connection's event
/// loop, in order, with no task per message. A forwarded call runs against the local connection (a future) and its
/// reply is published when that completes; a reply completes the forwarding caller's promise; a broadcast is
/// handed to each local connection of the stage.
final class ClusterInbox: Sendable {
    private let nodeId: String
    private let client: RedisClient
    /// Forwarded calls waiting for their reply, by request id (`nil`: nobody listened on the owner's inbox).
    let pending = NIOLockedValueBox<[String: EventLoopPromise<HTTPResponseValue?>]>([:])
    // The gateway owns the node; the reference is set once after both exist and cleared on leave.
    let gatewayBox = NIOLockedValueBox<Gateway?>(nil)

    init(nodeId: String, client: RedisClient) {
        self.nodeId = nodeId
        self.client = client
    }

    var gateway: Gateway? { self.gatewayBox.withLockedValue { $0 } }

    /// Handles one message from the inbox or broadcast channel.
    func receive(_ message: RedisPubSubMessage) {
        guard let decoded = ClusterMessage(decoding: message.payload) else { return }
        switch decoded {
        case .reply(let id, let status, let headers, let body):
            self.pending.withLockedValue { $0.removeValue(forKey: id) }?
                .succeed(ClusterMessage.response(status: status, headers: headers, body: body))
        case .request(let id, let from, let method, let connectionId, let apiId, let stage, let body):
            let operation = self.gateway?.localConnectionOperation(
                method: HTTPMethod(rawValue: method),
                id: connectionId,
                apiId: apiId,
                stage: stage,
                body: ByteBuffer(bytes: body)
            )
            guard let operation else {
                self.answer(id, to: from, with: .error(.gone))
                return
            }
            operation.whenComplete { result in
                self.answer(id, to: from, with: (try? result.get()) ?? .error(.gone))
            }
        case .broadcast(let from, let apiId, let stage, let body, let isBinary):
            guard from != self.nodeId, let gateway = self.gateway else { return }
            LocalMessenger(table: gateway.table).send(
                apiId: apiId,
                stage: stage,
                payload: ByteBuffer(bytes: body),
                isBinary: isBinary
            )
        }
    }

    /// Publishes the owner's answer to the asking node's inbox; if that fails the asker times out (503).
    private func answer(_ id: String, to node: String, with response: HTTPResponseValue) {
        let reply = ClusterMessage.reply(id: id, response: response)
        self.client.submitPublish(reply.encoded, to: RedisConnectionRegistry.inboxChannel(node))
    }
}

/// Where connections of other nodes live, remembered after one registry lookup so that later cross-node calls to
/// the same connection skip that Redis round trip. A connection never moves, so an entry is right until the
/// connection ends; the owner then answers 410 and the caller forgets the entry. Entries also expire (after
/// `lifetime`), and a node that no longer listens sends the caller back to the registry.
package struct OwnerCache: Sendable {
    package struct Owner: Sendable, Equatable {
        package var nodeId: String
        package var apiId: String
        package var stage: String

        package init(nodeId: String, apiId: String, stage: String) {
            self.nodeId = nodeId
            self.apiId = apiId
            self.stage = stage
        }
    }

    private struct Entry {
        var owner: Owner
        var expires: NIODeadline
    }

    private var entries: [String: Entry] = [:]
    package let capacity: Int
    package let lifetime: TimeAmount

    package init(capacity: Int = 65_536, lifetime: TimeAmount = .seconds(10)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    package var count: Int { self.entries.count }

    /// The owner remembered for a connection, unless it expired.
    package mutating func owner(of connectionId: String, now: NIODeadline) -> Owner? {
        guard let entry = self.entries[connectionId] else { return nil }
        guard entry.expires > now else {
            self.entries.removeValue(forKey: connectionId)
            return nil
        }
        return entry.owner
    }

    /// Remembers an owner; when full, expired entries go first, and everything if none had expired.
    package mutating func remember(_ owner: Owner, for connectionId: String, now: NIODeadline) {
        if self.entries.count >= self.capacity, self.entries[connectionId] == nil {
            self.entries = self.entries.filter { $0.value.expires > now }
            if self.entries.count >= self.capacity { self.entries.removeAll(keepingCapacity: true) }
        }
        self.entries[connectionId] = Entry(owner: owner, expires: now + self.lifetime)
    }

    package mutating func forget(_ connectionId: String) {
        self.entries.removeValue(forKey: connectionId)
    }
}
