import Foundation
import SwitchboardCore
import SwitchboardRedis
import SwitchboardTesting
import Testing

/// The cross-node lookup and the quota counter against a real `redis-server`.
struct RedisRegistryLiveTests {
    static func record(_ id: String, node: String) -> ConnectionRecord {
        ConnectionRecord(
            connectionId: id,
            nodeId: node,
            apiId: "chat",
            stage: "dev",
            domainName: "localhost",
            sourceIp: "127.0.0.1",
            userAgent: "test",
            connectedAtMillis: 1_700_000_000_000,
            lastActiveAtMillis: 1_700_000_000_000
        )
    }

    @Test("lookupWithOwner reads the record and its owner's heartbeat in one script; no record is nil")
    func lookupWithOwner() async throws {
        try await RedisServerFixture.withServer { server in
            try await RedisTestSupport.withClient(try RedisTestSupport.configuration(url: server.url)) { client in
                let registry = RedisConnectionRegistry(client: client)
                #expect(try await registry.lookupWithOwner("AAAAAAAAAAAAAAA=") == nil)
                try await registry.register(Self.record("AAAAAAAAAAAAAAA=", node: "node-a"), ttlMillis: 60_000)
                let before = try #require(try await registry.lookupWithOwner("AAAAAAAAAAAAAAA="))
                #expect(before.record.nodeId == "node-a")
                #expect(before.record.apiId == "chat")
                #expect(!before.ownerAlive)
                try await registry.heartbeat("node-a", ttlMillis: 60_000)
                let after = try #require(try await registry.lookupWithOwner("AAAAAAAAAAAAAAA="))
                #expect(after.ownerAlive)
                #expect(try await registry.isAlive("node-a"))
            }
        }
    }

    @Test("quota counters count across clients and expire at the window's end")
    func quotaCounter() async throws {
        try await RedisServerFixture.withServer { server in
            let configuration = try RedisTestSupport.configuration(url: server.url)
            try await RedisTestSupport.withClient(configuration) { first in
                try await RedisTestSupport.withClient(configuration) { second in
                    let a = RedisQuotaCounter(client: first)
                    let b = RedisQuotaCounter(client: second)
                    let end = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
                    #expect(try await a.increment("sb:quota:p:k:1", expiresAtMillis: end) == 1)
                    #expect(try await b.increment("sb:quota:p:k:1", expiresAtMillis: end) == 2)
                    #expect(try await a.increment("sb:quota:p:k:1", expiresAtMillis: end) == 3)
                    let ttl = try await first.send(["PTTL", "sb:quota:p:k:1"]).integer ?? -1
                    #expect(ttl > 50_000 && ttl <= 60_000)
                    // A window that has already ended: the counter is gone at once.
                    #expect(try await a.increment("sb:quota:p:k:0", expiresAtMillis: 1_000) == 1)
                    #expect(try await first.send(["EXISTS", "sb:quota:p:k:0"]).integer == 0)
                }
            }
        }
    }
}
