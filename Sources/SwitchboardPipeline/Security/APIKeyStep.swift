import NIOCore
package import SwitchboardCore

/// REST API keys and usage plans: a method with `apiKeyRequired` needs a known, enabled key (from `x-api-key`, or
/// the authorizer's `usageIdentifierKey` with `apiKeySource: AUTHORIZER`) in a usage plan for this API stage, else
/// 403 `Forbidden`. The plan's per-key throttle (or its per-method override) answers 429 `Too Many Requests`; its
/// quota, counted per key and window (in Redis in cluster mode), 429 `Limit Exceeded`. Methods that do not
/// require a key are not metered, as in AWS.
package struct APIKeyStep: HTTPRequestStep {
    package var name: String { "apiKey" }
    private let settings: SecuritySettings
    private let apiId: String
    private let source: APIKeySource

    /// Creates the step for an API.
    package init(api: APIDefinition, settings: SecuritySettings) {
        self.settings = settings
        self.apiId = api.id
        self.source = api.apiKeySource
    }

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard exchange.route?.authorization.apiKeyRequired == true else { return .proceed }
        let value = self.source == .header ? exchange.header("x-api-key") : exchange.usageIdentifierKey
        let metering = UsagePlanMeter(settings: self.settings)
        let key = try await metering.meter(
            keyValue: value,
            api: self.apiId,
            stage: exchange.stage,
            routeKey: exchange.route?.routeKey ?? ""
        )
        exchange.apiKey = value
        exchange.apiKeyId = key.name
        return .proceed
    }
}

/// Applies a usage plan to one request: resolves the key, takes a token from the key's bucket and counts the
/// request against the key's quota. Shared by REST methods and WebSocket `$connect`.
package struct UsagePlanMeter: Sendable {
    private let settings: SecuritySettings

    /// Creates a meter.
    package init(settings: SecuritySettings) {
        self.settings = settings
    }

    /// Meters one request.
    /// - Returns: the key.
    /// - Throws: 403 `Forbidden`, 429 `Too Many Requests` or 429 `Limit Exceeded`.
    package func meter(
        keyValue: String?,
        api: String,
        stage: String,
        routeKey: String
    ) async throws(GatewayError) -> UsagePlanIndex.Key {
        guard
            case .accepted(let key, let binding) = self.settings.usagePlans.resolve(
                value: keyValue,
                api: api,
                stage: stage
            )
        else { throw GatewayError(.invalidAPIKey) }
        let plan = binding.plan
        if let override = binding.methodThrottles[routeKey] {
            let bucket = "plan:" + plan.name + "/" + key.name + "/" + routeKey
            guard self.settings.admit(bucket, override) else { throw .throttled }
        } else if let throttle = plan.throttle {
            guard self.settings.admit("plan:" + plan.name + "/" + key.name, throttle) else { throw .throttled }
        }
        if let quota = plan.quota {
            let window = quota.period.window(containing: self.settings.traffic.nowMillis())
            let counter = "sb:quota:" + plan.name + ":" + key.name + ":" + String(window.start)
            // AWS serves the request without limits when the usage plan check itself fails.
            if let count = try? await self.settings.traffic.quotas.increment(counter, expiresAtMillis: window.end),
                count > quota.limit
            {
                throw GatewayError(.quotaExceeded)
            }
        }
        return key
    }
}
