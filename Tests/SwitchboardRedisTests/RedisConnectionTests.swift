import NIOCore
import NIOPosix
import SwitchboardRedis
import Testing

/// Connection behaviour against a scripted fake server (a NIO listener that answers every read with fixed
/// bytes, or never), for what a real Redis never does.
struct RedisConnectionTests {
    /// Answers each read with `reply` (nothing when empty).
    private final class ScriptedResponder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let reply: [UInt8]

        init(reply: [UInt8]) {
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !self.reply.isEmpty else { return }
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(bytes: self.reply)), promise: nil)
        }
    }

    private func withFakeServer<Result: Sendable>(
        replying reply: String,
        _ body: (RedisConfiguration) async throws -> Result
    ) async throws -> Result {
        let bytes = Array(reply.utf8)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedResponder(reply: bytes))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(server.localAddress?.port)
        do {
            let result = try await body(RedisConfiguration(host: "127.0.0.1", port: port))
            try await server.close()
            return result
        } catch {
            try? await server.close()
            throw error
        }
    }

    @Test("garbage from the server fails the command with a protocol error and closes the connection")
    func garbageClosesConnection() async throws {
        try await self.withFakeServer(replying: "%%% not resp\r\n") { configuration in
            let connection = try await RedisConnection.connect(
                configuration: configuration,
                logger: RedisTestSupport.logger
            )
            let error = await #expect(throws: RedisError.self) { try await connection.send(["PING"]) }
            guard case .protocolError = error else {
                Issue.record("expected a protocol error, got \(String(describing: error))")
                return
            }
            try await RedisTestSupport.eventually("the connection to close") { !connection.isActive }
            await #expect(throws: RedisError.connectionClosed) { try await connection.send(["PING"]) }
        }
    }

    @Test("a reply with no command pending closes the connection")
    func unexpectedReplyClosesConnection() async throws {
        try await self.withFakeServer(replying: "+OK\r\n+EXTRA\r\n") { configuration in
            let connection = try await RedisConnection.connect(
                configuration: configuration,
                logger: RedisTestSupport.logger
            )
            #expect(try await connection.send(["PING"]) == .simpleString("OK"))
            try await RedisTestSupport.eventually("the connection to close") { !connection.isActive }
        }
    }

    @Test("a timed-out command fails with timeout and the commands behind it with connectionClosed")
    func timeoutFailsQueue() async throws {
        try await self.withFakeServer(replying: "") { configuration in
            let connection = try await RedisConnection.connect(
                configuration: configuration,
                logger: RedisTestSupport.logger
            )
            async let slow: Result<RESPValue, RedisError> = {
                do throws(RedisError) {
                    return .success(try await connection.send(["GET", "a"], timeout: .seconds(30)))
                } catch {
                    return .failure(error)
                }
            }()
            try await Task.sleep(for: .milliseconds(20))
            let start = ContinuousClock.now
            await #expect(throws: RedisError.timeout(.milliseconds(100))) {
                try await connection.send(["GET", "b"], timeout: .milliseconds(100))
            }
            #expect(ContinuousClock.now - start < .seconds(10))
            #expect(await slow == .failure(.connectionClosed))
            #expect(!connection.isActive)
        }
    }

    @Test("an error reply is thrown as a server error")
    func errorReplyThrown() async throws {
        try await self.withFakeServer(replying: "-ERR unknown command 'NOPE'\r\n") { configuration in
            let connection = try await RedisConnection.connect(
                configuration: configuration,
                logger: RedisTestSupport.logger
            )
            await #expect(throws: RedisError.server("ERR unknown command 'NOPE'")) {
                try await connection.send(["NOPE"])
            }
            #expect(connection.isActive)
            await connection.close()
        }
    }

    @Test("connecting to a port nobody listens on fails")
    func connectRefused() async throws {
        // Port 1 (tcpmux) is privileged and unused; a freshly released ephemeral port could be reused by a
        // test running in parallel.
        await #expect(throws: (any Error).self) {
            try await RedisConnection.connect(
                configuration: RedisConfiguration(host: "127.0.0.1", port: 1),
                logger: RedisTestSupport.logger
            )
        }
    }
}
