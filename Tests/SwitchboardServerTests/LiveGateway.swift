import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SwitchboardConfig
import SwitchboardCore
import SwitchboardServer

/// Runs a gateway in-process on port 0 for the duration of a test body, then shuts it down gracefully.
enum LiveGateway {
    static func config(_ yaml: String) throws -> GatewayConfig {
        try ConfigLoader.load(yaml: yaml, file: "test.yaml", environment: [:])
    }

    /// A WebSocket API with a two-way echo route, a whoami route and adjustable limits.
    static func echoConfig(webSocket: String = "{}") throws -> GatewayConfig {
        try self.config(
            """
            server: { listen: 127.0.0.1:0 }
            apis:
              - id: chat
                protocolType: WEBSOCKET
                routeSelectionExpression: $request.body.action
                stages: [ { name: dev } ]
                webSocket: \(webSocket)
                routes:
                  $default:
                    integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $input.body } } ] }
                    routeResponseSelectionExpression: $default
                  whoami:
                    integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $context.connectionId } } ] }
                    routeResponseSelectionExpression: $default
            """
        )
    }

    static func with<T: Sendable>(
        _ config: GatewayConfig,
        _ body: @Sendable (_ port: Int, _ server: GatewayServer, _ http: HTTPClient) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let http = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
        let gateway = try Gateway(config: config, httpClient: http, logger: logger)
        let server = GatewayServer(gateway: gateway, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        do {
            let result = try await withThrowingTaskGroup(of: T?.self) { tasks in
                tasks.addTask {
                    try await group.run()
                    return nil
                }
                let port = await server.waitUntilBound()?.port ?? 0
                let result = try await body(port, server, http)
                await group.triggerGracefulShutdown()
                while let next = try await tasks.next() {
                    if next == nil { break }
                }
                return result
            }
            try await http.shutdown()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await http.shutdown()
            throw error
        }
    }
}
