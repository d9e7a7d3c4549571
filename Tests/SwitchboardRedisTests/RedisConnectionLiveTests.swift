import SwitchboardRedis
import SwitchboardTesting
import Testing

/// `RedisConnection` against a real `redis-server` started by `RedisServerFixture`.
struct RedisConnectionLiveTests {
    @Test("SET then GET round-trips binary values; a missing key is null")
    func setGetRoundTrip() async throws {
        try await RedisServerFixture.withServer { server in
            let connection = try await RedisConnection.connect(
                configuration: RedisConfiguration(url: server.url),
                logger: RedisTestSupport.logger
            )
            let value: [UInt8] = [0, 13, 10, 255, 36, 42] + Array("payload".utf8)
            #expect(try await connection.send(["SET", "key:1", .bytes(value)]) == .simpleString("OK"))
            #expect(try await connection.send(["GET", "key:1"]) == .bulkString(value))
            #expect(try await connection.send(["GET", "missing"]) == .null)
            await connection.close()
        }
    }

    @Test("1,000 INCRs in flight at once on one connection each get their own reply")
    func pipelinedIncrements() async throws {
        try await RedisServerFixture.withServer { server in
            let connection = try await RedisConnection.connect(
                configuration: RedisConfiguration(url: server.url),
                logger: RedisTestSupport.logger
            )
            let replies = try await withThrowingTaskGroup(of: Int64.self, returning: [Int64].self) { group in
                for _ in 0..<1000 {
                    group.addTask { try await connection.send(["INCR", "counter"]).integer ?? -1 }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.sorted() == Array(1...1000))
            #expect(try await connection.send(["GET", "counter"]).integer == 1000)
            await connection.close()
        }
    }

    @Test("AUTH and SELECT come from the URL; a wrong password is refused")
    func authAndSelectFromURL() async throws {
        try await RedisServerFixture.withServer(password: "s3cr%t") { server in
            let base = "127.0.0.1:\(server.port)"
            let inDatabase3 = try await RedisConnection.connect(
                configuration: RedisConfiguration(url: "redis://:s3cr%25t@\(base)/3"),
                logger: RedisTestSupport.logger
            )
            #expect(try await inDatabase3.send(["SET", "where", "three"]) == .simpleString("OK"))
            let clientInfo = try await inDatabase3.send(["CLIENT", "INFO"]).string ?? ""
            #expect(clientInfo.contains(" db=3 "), "CLIENT INFO: \(clientInfo)")

            let asDefaultUser = try await RedisConnection.connect(
                configuration: RedisConfiguration(url: "redis://default:s3cr%25t@\(base)/0"),
                logger: RedisTestSupport.logger
            )
            #expect(try await asDefaultUser.send(["GET", "where"]) == .null)
            #expect(try await asDefaultUser.send(["SELECT", "3"]) == .simpleString("OK"))
            #expect(try await asDefaultUser.send(["GET", "where"]) == .bulkString(Array("three".utf8)))

            await #expect(throws: RedisError.self) {
                try await RedisConnection.connect(
                    configuration: RedisConfiguration(url: "redis://:wrong@\(base)"),
                    logger: RedisTestSupport.logger
                )
            }
            let anonymous = try await RedisConnection.connect(
                configuration: RedisConfiguration(url: "redis://\(base)"),
                logger: RedisTestSupport.logger
            )
            let error = await #expect(throws: RedisError.self) { try await anonymous.send(["GET", "where"]) }
            guard case .server(let message) = error else {
                Issue.record("expected NOAUTH, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("NOAUTH"))
            await inDatabase3.close()
            await asDefaultUser.close()
            await anonymous.close()
        }
    }

    @Test("a command that outlives its timeout fails with timeout and closes the connection")
    func commandTimeout() async throws {
        try await RedisServerFixture.withServer { server in
            let connection = try await RedisConnection.connect(
                configuration: RedisConfiguration(url: server.url),
                logger: RedisTestSupport.logger
            )
            // BLPOP on an empty list blocks for 1 s on any Redis version (DEBUG SLEEP is disabled by default
            // since Redis 7).
            await #expect(throws: RedisError.timeout(.milliseconds(200))) {
                try await connection.send(["BLPOP", "empty", "1"], timeout: .milliseconds(200))
            }
            try await RedisTestSupport.eventually("the connection to close") { !connection.isActive }
            await #expect(throws: RedisError.connectionClosed) { try await connection.send(["PING"]) }
        }
    }
}
