package import AsyncHTTPClient
package import Logging
import NIOConcurrencyHelpers
package import NIOCore
import NIOHTTP1
import NIOPosix
package import ServiceLifecycle
package import SwitchboardCore

/// The listener as a `Service`: binds, serves until graceful shutdown, then stops accepting, closes every
/// WebSocket with 1001 (running `$disconnect` for each), drains in-flight work, and returns.
package final class GatewayServer: Service, Sendable {
    /// The data plane.
    package let gateway: Gateway
    private let group: any EventLoopGroup
    private let logger: Logger
    private let boundAddress: NIOLockedValueBoxAddress

    /// Creates a server for a gateway.
    /// - Parameters:
    ///   - gateway: the compiled gateway.
    ///   - group: the event loops to serve on.
    ///   - logger: the logger.
    package init(gateway: Gateway, group: any EventLoopGroup, logger: Logger) {
        self.gateway = gateway
        self.group = group
        self.logger = logger
        self.boundAddress = NIOLockedValueBoxAddress()
    }

    /// The address the listener is bound to, once ``run()`` has bound it (port 0 resolves here).
    package var localAddress: SocketAddress? { self.boundAddress.get() }

    /// Waits until the listener is bound (for tests and the CLI banner).
    package func waitUntilBound() async -> SocketAddress? {
        await self.boundAddress.wait()
    }

    package func run() async throws {
        let config = self.gateway.config.server
        let gateway = self.gateway
        let channel = try await ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configureHTTP(channel: channel, gateway: gateway)
                }
            }
            .bind(host: config.host, port: config.port)
            .get()
        self.boundAddress.set(channel.localAddress)
        self.logger.info(
            "listening",
            metadata: ["address": .string(channel.localAddress.map { "\($0)" } ?? "?")]
        )
        await withDiscardingTaskGroup { group in
            group.addTask { await gateway.work.run() }
            if let cluster = gateway.cluster {
                group.addTask { await cluster.run() }
            }
            try? await gracefulShutdown()
            self.logger.info("shutting down: closing the listener and every WebSocket with 1001")
            try? await channel.close()
            for connection in gateway.table.all() {
                connection.close(code: 1001, reason: "Going away")
            }
            let deadline = ContinuousClock.now + .milliseconds(gateway.config.server.shutdownGracePeriodMillis)
            while gateway.table.count > 0, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            while gateway.work.pending > 0, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            gateway.work.finish()
            await gateway.cluster?.leave()
            // Stops the cluster loops (and any work still running past the grace period).
            group.cancelAll()
        }
        self.logger.info("stopped")
    }

    private static func configureHTTP(channel: any Channel, gateway: Gateway) throws {
        // `server.maxHeaderBytes` bounds the URL and header fields as they are parsed, so an oversized head is never
        // buffered; `HTTPServerHandler` checks the whole head as sent and answers 431 (and answers the parser's
        // other errors with 400, in place of NIO's `HTTPServerProtocolErrorHandler`).
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = gateway.config.server.maxHeaderBytes
        limits.maxHeaderListSize = gateway.config.server.maxHeaderBytes
        let decoder = ByteToMessageHandler(
            HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes, limitConfiguration: limits)
        )
        let encoder = HTTPResponseEncoder()
        let pipelining = HTTPServerPipelineHandler()
        let handler = HTTPServerHandler(gateway: gateway, httpHandlers: [encoder, pipelining, decoder])
        try channel.pipeline.syncOperations.addHandlers([decoder, encoder, pipelining, handler])
    }
}

/// A settable-once address with waiters.
final class NIOLockedValueBoxAddress: Sendable {
    private let state = NIOLockedValueBox<(SocketAddress?, [CheckedContinuation<SocketAddress?, Never>])>((nil, []))

    func set(_ address: SocketAddress?) {
        let waiters = self.state.withLockedValue { state in
            state.0 = address
            defer { state.1 = [] }
            return state.1
        }
        for waiter in waiters { waiter.resume(returning: address) }
    }

    func get() -> SocketAddress? { self.state.withLockedValue { $0.0 } }

    func wait() async -> SocketAddress? {
        await withCheckedContinuation { continuation in
            let ready: SocketAddress?? = self.state.withLockedValue { state in
                if let address = state.0 { return .some(address) }
                state.1.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
