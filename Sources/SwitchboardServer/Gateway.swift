package import AsyncHTTPClient
package import Logging
import NIOCore
package import SwitchboardCore
package import SwitchboardPipeline

/// The data plane of one node: the compiled configuration snapshot, the connections it owns, and the
/// operations the listener calls (upgrade, message, close, `@connections`).
package final class Gateway: Sendable {
    /// The configuration this gateway was compiled from.
    package let config: GatewayConfig
    /// This node's id.
    package let nodeId: String
    /// Connections owned by this node.
    package let table: ConnectionTable
    /// Async work (integration calls, `$disconnect`, management requests).
    package let work: WorkQueue
    let logger: Logger
    let selector: APISelector
    let webSocketAPIs: [String: CompiledWebSocketAPI]
    /// HTTP and REST APIs by id.
    let httpAPIs: [String: CompiledHTTPAPI]
    let ids: any IdentifierGenerator
    let clock: @Sendable () -> Int64
    let managementVerifier: SigV4Verifier?
    /// Cluster membership when `registry` is a Redis URL.
    let cluster: ClusterNode?

    /// Compiles a gateway from a validated configuration.
    /// - Parameters:
    ///   - config: the configuration.
    ///   - httpClient: the shared HTTP client for integrations.
    ///   - logger: the logger.
    ///   - ids: connection, request and message id source.
    ///   - clock: epoch milliseconds.
    /// - Throws: when a selection expression, route key or model does not compile (the config loader reports
    ///   these first).
    package init(
        config: GatewayConfig,
        httpClient: HTTPClient,
        logger: Logger,
        ids: any IdentifierGenerator = RandomIdentifierGenerator(),
        clock: @escaping @Sendable () -> Int64 = Gateway.systemMillis
    ) throws {
        self.config = config
        self.nodeId = config.server.nodeId ?? "node-" + String(ids.next().prefix(8))
        self.table = ConnectionTable()
        self.work = WorkQueue()
        var logger = logger
        logger[metadataKey: "sb.node.id"] = .string(self.nodeId)
        self.logger = logger
        self.selector = APISelector(config: config)
        self.ids = ids
        self.clock = clock
        switch config.registry {
        case .memory:
            self.cluster = nil
        case .redis(let url):
            self.cluster = try ClusterNode(
                url: url,
                nodeId: self.nodeId,
                settings: config.cluster,
                ids: ids,
                logger: logger
            )
        }
        let signer = config.aws.credentials.map { AWSSigner(credentials: $0, region: config.aws.region) }
        let compiler = RouteCompiler(
            client: httpClient,
            aws: config.aws,
            signer: signer,
            messenger: GatewayMessenger(table: self.table, cluster: self.cluster)
        )
        var apis: [String: CompiledWebSocketAPI] = [:]
        for api in config.apis where api.protocolType == .webSocket {
            apis[api.id] = try compiler.compile(api)
        }
        self.webSocketAPIs = apis
        let httpCompiler = HTTPAPICompiler(
            client: httpClient,
            aws: config.aws,
            signer: signer,
            accountId: config.aws.accountId,
            pool: UpstreamConnectionPool(group: httpClient.eventLoopGroup)
        )
        var httpAPIs: [String: CompiledHTTPAPI] = [:]
        for api in config.apis where api.protocolType != .webSocket {
            httpAPIs[api.id] = try httpCompiler.compile(api)
        }
        self.httpAPIs = httpAPIs
        self.managementVerifier = config.aws.credentials.map {
            SigV4Verifier(
                service: "execute-api",
                credentials: [SigV4Credentials(accessKeyId: $0.accessKeyId, secretAccessKey: $0.secretAccessKey)]
            )
        }
        self.cluster?.attach(self)
    }

    /// The current time from the system clock, in epoch milliseconds.
    package static let systemMillis: @Sendable () -> Int64 = { WallClock.nowMillis() }

    /// The current time in epoch milliseconds.
    package func nowMillis() -> Int64 { self.clock() }
}

/// Delivers to this node's connections, and in cluster mode to every other node with one message each.
struct GatewayMessenger: ConnectionMessenger {
    let table: ConnectionTable
    let cluster: ClusterNode?

    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int {
        await self.cluster?.broadcast(apiId: apiId, stage: stage, payload: payload, isBinary: isBinary)
        return await LocalMessenger(table: self.table).broadcast(
            apiId: apiId,
            stage: stage,
            payload: payload,
            isBinary: isBinary
        )
    }
}

/// Delivers to this node's connections.
struct LocalMessenger: ConnectionMessenger {
    let table: ConnectionTable

    func broadcast(apiId: String, stage: String, payload: [UInt8], isBinary: Bool) async -> Int {
        let buffer = ByteBuffer(bytes: payload)
        var queued = 0
        for connection in self.table.connections(apiId: apiId, stage: stage) {
            if (try? await connection.send(buffer, isBinary: isBinary).get()) == .queued { queued += 1 }
        }
        return queued
    }
}
