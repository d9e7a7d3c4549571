/// The whole configuration of one Switchboard node, as decoded from YAML and validated.
///
/// YAML keys (top level):
/// - `server` (``ServerConfig``), `registry` (``RegistryConfig``, default `memory`), `cluster`
///   (``ClusterSettings``), `aws` (``AWSConfig``),
/// - `apis` (list of ``APIDefinition``), `domains` (list of ``DomainConfig``).
package struct GatewayConfig: Sendable, Equatable {
    /// The listener and node settings (`server:`).
    package var server: ServerConfig
    /// Where connection records live (`registry:`).
    package var registry: RegistryConfig
    /// Cluster-mode timings (`cluster:`).
    package var cluster: ClusterSettings
    /// Endpoints and credentials for AWS-style integrations (`aws:`).
    package var aws: AWSConfig
    /// Every API served by this node (`apis:`).
    package var apis: [APIDefinition]
    /// Custom-domain API mappings (`domains:`).
    package var domains: [DomainConfig]
    /// API keys (top-level `apiKeys:`).
    package var apiKeys: [APIKeyDefinition] = []
    /// Usage plans (top-level `usagePlans:`).
    package var usagePlans: [UsagePlanDefinition] = []
    /// The account-level throttle (top-level `throttle:`), per node: AWS's 10,000 rps with a burst of 5,000.
    package var throttle: ThrottleSettings = .accountDefault

    /// Creates a configuration.
    package init(
        server: ServerConfig = .init(),
        registry: RegistryConfig = .memory,
        cluster: ClusterSettings = .init(),
        aws: AWSConfig = .init(),
        apis: [APIDefinition] = [],
        domains: [DomainConfig] = []
    ) {
        self.server = server
        self.registry = registry
        self.cluster = cluster
        self.aws = aws
        self.apis = apis
        self.domains = domains
    }

    /// The API with the given id, if any.
    package func api(id: String) -> APIDefinition? {
        self.apis.first { $0.id == id }
    }
}

/// `server:` — the listener and node identity.
///
/// Keys: `listen` (host:port, default `127.0.0.1:8080`), `nodeId` (string, generated when absent),
/// `shutdownGracePeriodMillis` (int, default 10000: how long graceful shutdown waits for `$disconnect`
/// integrations and in-flight requests), `headerReadTimeoutMillis` (int, default 10000: a request head must arrive
/// within this after the connection opens or after the last keep-alive response, else the socket closes),
/// `maxHeaderBytes` (int, default 16384), `eventLoopThreads` (int, default 0: one per core).
package struct ServerConfig: Sendable, Equatable {
    /// Host to bind.
    package var host: String
    /// Port to bind; 0 picks a free port.
    package var port: Int
    /// This node's id; `nil` means generate one at start.
    package var nodeId: String?
    /// Grace period for shutdown, in milliseconds.
    package var shutdownGracePeriodMillis: Int
    /// Time allowed to read a request's head, in milliseconds.
    package var headerReadTimeoutMillis: Int
    /// Largest accepted request head, in bytes.
    package var maxHeaderBytes: Int
    /// Event loop threads; 0 means one per core.
    package var eventLoopThreads: Int

    /// Creates server settings.
    package init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        nodeId: String? = nil,
        shutdownGracePeriodMillis: Int = 10_000,
        headerReadTimeoutMillis: Int = 10_000,
        maxHeaderBytes: Int = 16_384,
        eventLoopThreads: Int = 0
    ) {
        self.host = host
        self.port = port
        self.nodeId = nodeId
        self.shutdownGracePeriodMillis = shutdownGracePeriodMillis
        self.headerReadTimeoutMillis = headerReadTimeoutMillis
        self.maxHeaderBytes = maxHeaderBytes
        self.eventLoopThreads = eventLoopThreads
    }

    /// Whether the listener binds only to a loopback address.
    package var isLoopback: Bool {
        self.host == "localhost" || self.host == "::1" || self.host.hasPrefix("127.")
    }
}

/// `registry:` — `memory` (single node, the default) or a `redis://` URL (cluster mode).
package enum RegistryConfig: Sendable, Equatable {
    /// In-process registry.
    case memory
    /// A Redis URL, `redis://[:password@]host:port/db`.
    case redis(String)
}

/// `aws:` — where AWS-style integrations go.
///
/// Keys: `region` (default `us-east-1`), `accountId` (12 digits, default `000000000000`), `endpoints` (map service → URL, e.g. `lambda: http://127.0.0.1:9001`),
/// `credentials` (`accessKeyId`, `secretAccessKey`, optional `sessionToken`), also used to verify
/// SigV4-signed `@connections` calls when `managementApi.auth` is `AWS_IAM`.
package struct AWSConfig: Sendable, Equatable {
    /// Region used in ARNs and SigV4 scopes.
    package var region: String
    /// The account id in ARNs and `requestContext.accountId` (default `000000000000`).
    package var accountId: String = "000000000000"
    /// Service endpoints by service name (`lambda`, `sqs`, ...).
    package var endpoints: [String: String]
    /// Credentials, when configured.
    package var credentials: AWSCredentials?
    /// Callers of `AWS_IAM` routes (`aws.iamUsers`), each with its own keys and, optionally, an identity policy.
    package var iamUsers: [IAMUserDefinition] = []

    /// Creates AWS settings.
    package init(region: String = "us-east-1", endpoints: [String: String] = [:], credentials: AWSCredentials? = nil) {
        self.region = region
        self.endpoints = endpoints
        self.credentials = credentials
    }
}

/// An access key pair (`aws.credentials`).
package struct AWSCredentials: Sendable, Equatable {
    /// The access key id.
    package var accessKeyId: String
    /// The secret key.
    package var secretAccessKey: String
    /// An optional session token.
    package var sessionToken: String?

    /// Creates credentials.
    package init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// One entry of `domains:` — a custom domain with its API mappings (AWS `ApiMapping`).
///
/// Keys: `domainName` (a host name, or `*` for any host), `mappings` (list of ``APIMapping``).
package struct DomainConfig: Sendable, Equatable {
    /// Host this domain matches; `*` matches any.
    package var domainName: String
    /// The mappings.
    package var mappings: [APIMapping]

    /// Creates a domain.
    package init(domainName: String, mappings: [APIMapping]) {
        self.domainName = domainName
        self.mappings = mappings
    }
}

/// `{ apiMappingKey, api, stage }` — a base path on a custom domain that selects an API and stage.
package struct APIMapping: Sendable, Equatable {
    /// The base path (no leading slash); empty maps the root.
    package var apiMappingKey: String
    /// The API id.
    package var api: String
    /// The stage name.
    package var stage: String

    /// Creates a mapping.
    package init(apiMappingKey: String, api: String, stage: String) {
        self.apiMappingKey = apiMappingKey
        self.api = api
        self.stage = stage
    }
}

/// One entry of `aws.iamUsers:` — a caller that may sign requests to `AWS_IAM` routes and methods.
///
/// Keys: `userName` (required; the caller is `arn:aws:iam::{accountId}:user/{userName}`), `accessKeyId`,
/// `secretAccessKey` (required), `policy` (optional IAM identity policy: `execute-api:Invoke` on route or method
/// ARNs, with `*` / `?` wildcards; without one the user may call every `AWS_IAM` route).
package struct IAMUserDefinition: Sendable, Equatable {
    /// The user's name.
    package var userName: String
    /// The access key id it signs with.
    package var accessKeyId: String
    /// The secret key.
    package var secretAccessKey: String
    /// The identity policy, if any.
    package var policy: JSONValue?

    /// Creates a user.
    package init(userName: String, accessKeyId: String, secretAccessKey: String, policy: JSONValue? = nil) {
        self.userName = userName
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.policy = policy
    }
}
