import SwitchboardRedis
import SwitchboardTesting
import Synchronization
import Testing

/// `RedisClient` (reconnects, fail-fast, helpers) against a real `redis-server`.
struct RedisClientLiveTests {
    @Test("before run() connects, commands fail at once with unavailable")
    func unavailableBeforeRun() async throws {
        let client = RedisClient(configuration: RedisConfiguration(port: 1), logger: RedisTestSupport.logger)
        #expect(!client.isConnected)
        await #expect(throws: RedisError.unavailable) { try await client.send(["PING"]) }
    }

    @Test("server stopped: commands fail fast; restarted on the same port: the client reconnects by itself")
    func reconnectsAfterRestart() async throws {
        try await RedisServerFixture.withServer { server in
            // A long command timeout, so a command that waited for Redis instead of failing fast would show.
            let configuration = try RedisTestSupport.configuration(url: server.url, commandTimeout: .seconds(30))
            try await RedisTestSupport.withClient(configuration) { client in
                let states = Collected<RedisClient.ConnectionState>()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await states.collect(client.stateChanges()) }
                    defer { group.cancelAll() }
                    try await client.set("k", to: Array("v1".utf8))

                    await server.stop()
                    try await RedisTestSupport.eventually("the client to see the loss") { !client.isConnected }
                    let start = ContinuousClock.now
                    await #expect(throws: RedisError.unavailable) { try await client.get("k") }
                    #expect(ContinuousClock.now - start < .seconds(5), "failed fast, without waiting")

                    try await server.restart()
                    try await RedisTestSupport.eventually("the client to reconnect") { client.isConnected }
                    // The restarted server is empty (--save ""): the old key is gone, new commands work.
                    #expect(try await client.get("k") == nil)
                    try await client.set("k", to: Array("v2".utf8))
                    #expect(try await client.get("k") == Array("v2".utf8))
                    try await RedisTestSupport.eventually("the state stream to report it") {
                        states.elements == [.connected, .disconnected, .connected]
                    }
                }
            }
        }
    }

    @Test("after a command timeout closes the connection, the client reconnects and works again")
    func recoversAfterTimeout() async throws {
        try await RedisServerFixture.withServer { server in
            try await RedisTestSupport.withClient(RedisTestSupport.configuration(url: server.url)) { client in
                await #expect(throws: RedisError.timeout(.milliseconds(200))) {
                    try await client.send(["BLPOP", "empty", "1"], timeout: .milliseconds(200))
                }
                try await RedisTestSupport.eventually("the client to reconnect") {
                    (try? await client.send(["PING"])) == .simpleString("PONG")
                }
            }
        }
    }

    @Test("run() returns when cancelled and finishes the state streams")
    func runStopsOnCancel() async throws {
        try await RedisServerFixture.withServer { server in
            let client = RedisClient(
                configuration: try RedisTestSupport.configuration(url: server.url),
                logger: RedisTestSupport.logger
            )
            let states = client.stateChanges()
            let runner = Task { await client.run() }
            try await RedisTestSupport.eventually("the client to connect") { client.isConnected }
            runner.cancel()
            await runner.value
            #expect(!client.isConnected)
            var seen: [RedisClient.ConnectionState] = []
            for await state in states {
                seen.append(state)
            }
            #expect(seen == [.disconnected, .connected, .disconnected])
            await #expect(throws: RedisError.unavailable) { try await client.send(["PING"]) }
        }
    }

    @Test("helpers: SET with PX and NX, GET, DEL, PEXPIRE, INCRBY, HSET/HGETALL, EVAL, PUBLISH")
    func helpers() async throws {
        try await RedisServerFixture.withServer { server in
            try await RedisTestSupport.withClient(RedisTestSupport.configuration(url: server.url)) { client in
                #expect(try await client.set("a", to: [1, 2, 3]))
                #expect(try await !client.set("a", to: [9], onlyIfAbsent: true))
                #expect(try await client.get("a") == [1, 2, 3])
                #expect(try await client.set("ttl", to: [0], expiresIn: .seconds(100)))
                let ttl = try await client.send(["PTTL", "ttl"]).integer ?? 0
                #expect(ttl > 90_000 && ttl <= 100_000)
                #expect(try await client.expire("ttl", in: .milliseconds(1500)))
                #expect(try await client.send(["PTTL", "ttl"]).integer ?? 0 <= 1500)
                #expect(try await !client.expire("nope", in: .seconds(1)))
                #expect(try await client.delete(["a", "ttl", "nope"]) == 2)
                #expect(try await client.increment("n") == 1)
                #expect(try await client.increment("n", by: 41) == 42)
                #expect(try await client.hashSet("h", fields: ["f1": [1], "f2": Array("two".utf8)]) == 2)
                #expect(try await client.hashGetAll("h") == ["f1": [1], "f2": Array("two".utf8)])
                #expect(try await client.hashGetAll("none") == [:])
                let sum = try await client.eval(
                    "return redis.call('INCRBY', KEYS[1], ARGV[1])",
                    keys: ["n"],
                    arguments: [.integer(8)]
                )
                #expect(sum == .integer(50))
                #expect(try await client.publish([1], to: "nobody") == 0)
                await #expect(throws: RedisError.self) { try await client.increment("h") }
            }
        }
    }
}
