import NIOCore
package import SwitchboardCore

/// Throttles HTTP and REST API requests with the node's token buckets: the account bucket, then the route's
/// (or method's) bucket with the stage's `routeSettings` / `methodSettings` limit, falling back to the stage
/// default, which AWS applies to each route separately. An empty bucket answers 429 `Too Many Requests`.
package struct ThrottlingStep: HTTPRequestStep {
    package var name: String { "throttling" }
    private let settings: SecuritySettings
    private let apiId: String
    private let stages: [String: StageDefinition]

    /// Creates the step for an API.
    package init(api: APIDefinition, settings: SecuritySettings) {
        self.settings = settings
        self.apiId = api.id
        var stages: [String: StageDefinition] = [:]
        for stage in api.stages { stages[stage.name] = stage }
        self.stages = stages
    }

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard self.settings.admitAccount() else { throw .throttled }
        guard let stage = self.stages[exchange.stage], let routeKey = exchange.route?.routeKey else { return .proceed }
        if let limit = stage.routeThrottles[routeKey] ?? stage.defaultThrottle {
            let key = "route:" + self.apiId + "/" + exchange.stage + "/" + routeKey
            guard self.settings.admit(key, limit) else { throw .throttled }
        }
        return .proceed
    }
}
