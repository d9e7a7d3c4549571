import Logging
import NIOCore
import NIOPosix
import SwitchboardRedis
import Synchronization

/// Shared helpers for the Redis tests.
enum RedisTestSupport {
    /// Failure of a condition that did not become true in time.
    struct NotSatisfied: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(self.what)" }
    }

    /// A logger that prints nothing (the tests stop servers on purpose, which logs warnings).
    static let logger = Logger(label: "switchboard.redis.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A configuration for a fixture's URL with quick reconnects.
    static func configuration(url: String, commandTimeout: Duration = .seconds(5)) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = commandTimeout
        configuration.reconnectBackoff = RedisBackoff(base: .milliseconds(20), maximum: .milliseconds(200))
        return configuration
    }

    /// Polls `condition` every 10 ms until it holds.
    /// - Throws: ``NotSatisfied`` after `limit`.
    static func eventually(
        _ what: String,
        within limit: Duration = .seconds(10),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw NotSatisfied(what: what)
    }

    /// Runs `body` with a running, connected client; cancels the client's `run()` afterwards.
    static func withClient<Result: Sendable>(
        _ configuration: RedisConfiguration,
        _ body: @Sendable (RedisClient) async throws -> Result
    ) async throws -> Result {
        let client = RedisClient(configuration: configuration, logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Self.eventually("the client to connect") { client.isConnected }
            return try await body(client)
        }
    }
}

/// Collects what an async sequence yields, from a child task, so a test can poll it.
final class Collected<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    /// Everything collected so far.
    var elements: [Element] { self.storage.withLock { $0 } }

    /// Appends every element of `sequence` until it ends or the task is cancelled.
    func collect(_ sequence: some AsyncSequence<Element, Never>) async {
        for await element in sequence {
            self.storage.withLock { $0.append(element) }
        }
    }
}
