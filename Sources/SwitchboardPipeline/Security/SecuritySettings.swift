package import AsyncHTTPClient
import NIOCore
package import SwitchboardCore

/// Node-wide traffic state that outlives configuration reloads: the token buckets, the quota counter (Redis in
/// cluster mode) and the clocks. Tests pass manual clocks.
package final class TrafficControl: Sendable {
    /// Every token bucket of this node.
    package let throttles: ThrottleRegistry
    /// Usage-plan quota counts.
    package let quotas: any QuotaCounter
    /// Monotonic nanoseconds, for token buckets.
    package let nowNanos: @Sendable () -> UInt64
    /// Wall-clock epoch milliseconds, for quota windows, caches and tokens.
    package let nowMillis: @Sendable () -> Int64

    /// Creates the traffic state.
    package init(
        quotas: (any QuotaCounter)? = nil,
        nowNanos: @escaping @Sendable () -> UInt64,
        nowMillis: @escaping @Sendable () -> Int64
    ) {
        self.throttles = ThrottleRegistry()
        self.quotas = quotas ?? InMemoryQuotaCounter(nowMillis: nowMillis)
        self.nowNanos = nowNanos
        self.nowMillis = nowMillis
    }

    /// A monotonic clock for token buckets and the given wall clock.
    package static func system(
        quotas: (any QuotaCounter)? = nil,
        nowMillis: @escaping @Sendable () -> Int64
    ) -> TrafficControl {
        TrafficControl(quotas: quotas, nowNanos: { NIODeadline.now().uptimeNanoseconds }, nowMillis: nowMillis)
    }
}

/// What the security steps of one configuration snapshot share: traffic state, the account throttle, API keys
/// and usage plans, IAM credentials, and how authorizer functions are called.
package struct SecuritySettings: Sendable {
    /// Node-wide traffic state.
    package let traffic: TrafficControl
    /// The account throttle (top-level `throttle:`).
    package let accountThrottle: ThrottleSettings
    /// API keys and usage plans.
    package let usagePlans: UsagePlanIndex
    /// The region in ARNs.
    package let region: String
    /// The account id in ARNs.
    package let accountId: String
    /// Verifies SigV4 requests to `AWS_IAM` routes (service `execute-api`), when credentials are configured.
    package let iamVerifier: SigV4Verifier?
    /// Calls Lambda and HTTP authorizer functions.
    package let invoker: AuthorizerInvoker

    /// Creates settings from a configuration.
    package init(config: GatewayConfig, traffic: TrafficControl, client: HTTPClient, signer: (any AWSRequestSigner)?) {
        self.traffic = traffic
        self.accountThrottle = config.throttle
        self.usagePlans = UsagePlanIndex(apiKeys: config.apiKeys, usagePlans: config.usagePlans)
        self.region = config.aws.region
        self.accountId = config.aws.accountId
        self.iamVerifier = config.aws.credentials.map {
            SigV4Verifier(
                service: "execute-api",
                credentials: [SigV4Credentials(accessKeyId: $0.accessKeyId, secretAccessKey: $0.secretAccessKey)]
            )
        }
        self.invoker = AuthorizerInvoker(aws: config.aws, client: client, signer: signer)
    }

    /// `arn:aws:execute-api:{region}:{account}:{api}/` — the prefix of every method and route ARN of an API.
    package func arnPrefix(apiId: String) -> String {
        "arn:aws:execute-api:\(self.region):\(self.accountId):\(apiId)/"
    }

    /// Takes a token from the account bucket; `false` when it is empty.
    package func admitAccount() -> Bool {
        self.traffic.throttles.takeAccount(limit: self.accountThrottle, nowNanos: self.traffic.nowNanos())
    }

    /// Takes a token from a bucket; `false` when it is empty.
    package func admit(_ key: String, _ limit: ThrottleSettings) -> Bool {
        self.traffic.throttles.take(key, limit: limit, nowNanos: self.traffic.nowNanos())
    }
}
