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
    /// `aws.iamUsers` by access key id.
    package let iamUsers: [String: IAMCaller]

    /// A caller of `AWS_IAM` routes from `aws.iamUsers`.
    package struct IAMCaller: Sendable {
        /// `arn:aws:iam::{account}:user/{name}`.
        package var userArn: String
        /// The identity policy; `nil` allows every route.
        package var policy: AuthorizerPolicy?
    }

    /// Checks a verified caller's identity policy against a route or method ARN.
    /// - Returns: the caller's user ARN (`nil` for `aws.credentials`, which may call everything).
    /// - Throws: 403 `AccessDeniedException` naming the user and the resource when the policy does not allow it.
    package func authorizeIAMCaller(accessKeyId: String, arn: String, sourceIp: String?) throws(GatewayError) -> String?
    {
        guard let caller = self.iamUsers[accessKeyId] else { return nil }
        if let policy = caller.policy, policy.evaluate(methodArn: arn, sourceIp: sourceIp) != .allow {
            throw GatewayError(
                .accessDenied,
                message: "User: \(caller.userArn) is not authorized to perform: execute-api:Invoke on resource: \(arn)"
            )
        }
        return caller.userArn
    }

    /// Creates settings from a configuration.
    package init(config: GatewayConfig, traffic: TrafficControl, client: HTTPClient, signer: (any AWSRequestSigner)?) {
        self.traffic = traffic
        self.accountThrottle = config.throttle
        self.usagePlans = UsagePlanIndex(apiKeys: config.apiKeys, usagePlans: config.usagePlans)
        self.region = config.aws.region
        self.accountId = config.aws.accountId
        var credentials =
            config.aws.credentials.map {
                [SigV4Credentials(accessKeyId: $0.accessKeyId, secretAccessKey: $0.secretAccessKey)]
            } ?? []
        var users: [String: IAMCaller] = [:]
        for user in config.aws.iamUsers {
            credentials.append(SigV4Credentials(accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey))
            users[user.accessKeyId] = IAMCaller(
                userArn: "arn:aws:iam::\(config.aws.accountId):user/\(user.userName)",
                policy: user.policy.flatMap { try? AuthorizerPolicy(document: $0) }
            )
        }
        self.iamVerifier = credentials.isEmpty ? nil : SigV4Verifier(service: "execute-api", credentials: credentials)
        self.iamUsers = users
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
