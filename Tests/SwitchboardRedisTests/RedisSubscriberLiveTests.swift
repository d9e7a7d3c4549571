import NIOCore
import SwitchboardRedis
import SwitchboardTesting
import Testing

/// `RedisSubscriber` against a real `redis-server`.
struct RedisSubscriberLiveTests {
    /// Runs `body` with a running subscriber whose messages are collected, and a publishing client.
    private func withSubscriber(
        _ server: RedisServerFixture,
        _ body: @Sendable (RedisSubscriber, Collected<RedisPubSubMessage>, RedisClient) async throws -> Void
    ) async throws {
        let configuration = try RedisTestSupport.configuration(url: server.url)
        let subscriber = RedisSubscriber(configuration: configuration, logger: RedisTestSupport.logger)
        let messages = Collected<RedisPubSubMessage>()
        try await RedisTestSupport.withClient(configuration) { publisher in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await subscriber.run() }
                group.addTask { await messages.collect(subscriber.messages) }
                defer { group.cancelAll() }
                try await body(subscriber, messages, publisher)
            }
        }
    }

    @Test("messages published to subscribed channels and patterns are delivered in order")
    func delivers() async throws {
        try await RedisServerFixture.withServer { server in
            try await self.withSubscriber(server) { subscriber, messages, publisher in
                try await RedisTestSupport.eventually("the subscriber to connect") { subscriber.isConnected }
                try await subscriber.subscribe(["inbox:a", "inbox:b"])
                try await subscriber.psubscribe(["news.*"])
                #expect(try await publisher.publish(Array("one".utf8), to: "inbox:a") == 1)
                #expect(try await publisher.publish([0, 13, 10, 255], to: "inbox:b") == 1)
                #expect(try await publisher.publish(Array("hi".utf8), to: "news.today") == 1)
                #expect(try await publisher.publish(Array("x".utf8), to: "elsewhere") == 0)
                try await RedisTestSupport.eventually("three messages") { messages.elements.count == 3 }
                #expect(
                    messages.elements == [
                        RedisPubSubMessage(channel: "inbox:a", payload: Array("one".utf8)),
                        RedisPubSubMessage(channel: "inbox:b", payload: [0, 13, 10, 255]),
                        RedisPubSubMessage(channel: "news.today", pattern: "news.*", payload: Array("hi".utf8)),
                    ]
                )

                try await subscriber.unsubscribe(["inbox:a"])
                try await subscriber.punsubscribe(["news.*"])
                #expect(try await publisher.publish(Array("gone".utf8), to: "inbox:a") == 0)
                #expect(try await publisher.publish(Array("gone".utf8), to: "news.today") == 0)
                #expect(try await publisher.publish(Array("two".utf8), to: "inbox:b") == 1)
                try await RedisTestSupport.eventually("the fourth message") { messages.elements.count == 4 }
                #expect(messages.elements.last?.payload == Array("two".utf8))
                // The same through the future-returning form the cluster inbox uses.
                #expect(try await publisher.submitPublish(Array("five".utf8), to: "inbox:b").get() == 1)
                #expect(try await publisher.submitPublish(Array("x".utf8), to: "inbox:a").get() == 0)
                try await RedisTestSupport.eventually("the fifth message") { messages.elements.count == 5 }
                #expect(messages.elements.last == RedisPubSubMessage(channel: "inbox:b", payload: Array("five".utf8)))
            }
        }
    }

    @Test("channels subscribed before connecting are subscribed on connect")
    func subscribesOnConnect() async throws {
        try await RedisServerFixture.withServer { server in
            try await self.withSubscriber(server) { subscriber, messages, publisher in
                try await subscriber.subscribe(["early"])
                try await RedisTestSupport.eventually("the subscriber to connect") { subscriber.isConnected }
                #expect(try await publisher.publish(Array("hello".utf8), to: "early") == 1)
                try await RedisTestSupport.eventually("the message") { messages.elements.count == 1 }
            }
        }
    }

    @Test("after the server restarts, the subscriber reconnects and resubscribes by itself")
    func resubscribesAfterRestart() async throws {
        try await RedisServerFixture.withServer { server in
            try await self.withSubscriber(server) { subscriber, messages, publisher in
                try await subscriber.subscribe(["inbox:node1"])
                try await subscriber.psubscribe(["broadcast.*"])
                try await RedisTestSupport.eventually("the subscriber to connect") { subscriber.isConnected }
                #expect(try await publisher.publish(Array("before".utf8), to: "inbox:node1") == 1)

                try await server.restart()
                try await RedisTestSupport.eventually("both to reconnect") {
                    subscriber.isConnected && publisher.isConnected
                }
                #expect(try await publisher.publish(Array("after".utf8), to: "inbox:node1") == 1)
                #expect(try await publisher.publish(Array("all".utf8), to: "broadcast.x") == 1)
                try await RedisTestSupport.eventually("three messages") { messages.elements.count == 3 }
                #expect(messages.elements.map(\.payload) == ["before", "after", "all"].map { Array($0.utf8) })
            }
        }
    }
}
