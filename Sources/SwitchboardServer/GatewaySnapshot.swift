import AsyncHTTPClient
package import SwitchboardCore
import SwitchboardPipeline

/// Everything a gateway derives from its configuration, compiled once and never changed: the API selector,
/// every API's routes and step lists, and the `@connections` SigV4 verifier.
///
/// The gateway holds the current snapshot behind a lock and swaps it on reload (STYLE.md rule 6); a request
/// or message reads it once, at entry, and keeps using that one snapshot to the end.
package final class GatewaySnapshot: Sendable {
    /// Why a configuration did not compile (the config loader reports these first, with positions).
    package struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong, naming the API.
        package var message: String

        package var description: String { self.message }
    }

    /// The configuration this snapshot was compiled from.
    package let config: GatewayConfig
    /// Picks the API and stage of a request.
    let selector: APISelector
    /// WebSocket APIs by id.
    let webSocketAPIs: [String: CompiledWebSocketAPI]
    /// HTTP and REST APIs by id.
    let httpAPIs: [String: CompiledHTTPAPI]
    /// Verifies SigV4-signed `@connections` calls, when `aws.credentials` is set.
    let managementVerifier: SigV4Verifier?
    /// API keys, usage plans, throttles and authorizer plumbing.
    let security: SecuritySettings

    /// Compiles a snapshot.
    /// - Parameters:
    ///   - config: the validated configuration.
    ///   - httpClient: the shared HTTP client for integrations.
    ///   - pool: keep-alive upstream connections, shared by every snapshot.
    ///   - messenger: delivery for BROADCAST integrations.
    /// - Throws: ``Failure`` when a selection expression, route key or model does not compile.
    init(
        config: GatewayConfig,
        httpClient: HTTPClient,
        pool: UpstreamConnectionPool,
        traffic: TrafficControl,
        messenger: any ConnectionMessenger
    ) throws(Failure) {
        self.config = config
        self.selector = APISelector(config: config)
        let signer = config.aws.credentials.map { AWSSigner(credentials: $0, region: config.aws.region) }
        let security = SecuritySettings(config: config, traffic: traffic, client: httpClient, signer: signer)
        self.security = security
        let compiler = RouteCompiler(
            client: httpClient,
            pool: pool,
            aws: config.aws,
            signer: signer,
            messenger: messenger,
            security: security
        )
        var webSocketAPIs: [String: CompiledWebSocketAPI] = [:]
        for api in config.apis where api.protocolType == .webSocket {
            do {
                webSocketAPIs[api.id] = try compiler.compile(api)
            } catch {
                throw Failure(message: "apis.\(api.id).routeSelectionExpression: \(error.message)")
            }
        }
        let httpCompiler = HTTPAPICompiler(
            client: httpClient,
            aws: config.aws,
            signer: signer,
            accountId: config.aws.accountId,
            pool: pool,
            security: security
        )
        var httpAPIs: [String: CompiledHTTPAPI] = [:]
        for api in config.apis where api.protocolType != .webSocket {
            do {
                httpAPIs[api.id] = try httpCompiler.compile(api)
            } catch {
                throw Failure(message: "apis.\(api.id): \(error.message)")
            }
        }
        self.webSocketAPIs = webSocketAPIs
        self.httpAPIs = httpAPIs
        self.managementVerifier = config.aws.credentials.map {
            SigV4Verifier(
                service: "execute-api",
                credentials: [SigV4Credentials(accessKeyId: $0.accessKeyId, secretAccessKey: $0.secretAccessKey)]
            )
        }
    }

}
