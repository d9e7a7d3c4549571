/// A token-bucket limit as AWS spells it (`throttle: { rateLimit, burstLimit }` in usage plans and account
/// settings; `throttlingRateLimit` / `throttlingBurstLimit` in stage route and method settings).
package struct ThrottleSettings: Sendable, Equatable {
    /// Steady-state requests per second.
    package var rateLimit: Double
    /// Bucket capacity.
    package var burstLimit: Int

    /// AWS's account default: 10,000 requests per second with a burst of 5,000.
    package static let accountDefault = ThrottleSettings(rateLimit: 10_000, burstLimit: 5_000)

    /// Creates a limit.
    package init(rateLimit: Double, burstLimit: Int) {
        self.rateLimit = rateLimit
        self.burstLimit = burstLimit
    }
}

/// `quota:` of a usage plan: at most `limit` requests per `period` window (UTC), less `offset` in the first one.
package struct QuotaSettings: Sendable, Equatable {
    /// Requests allowed per window.
    package var limit: Int
    /// DAY, WEEK or MONTH.
    package var period: QuotaPeriod
    /// Requests subtracted from the limit in the first window (AWS's current definition of `offset`).
    package var offset: Int

    /// Creates a quota.
    package init(limit: Int, period: QuotaPeriod, offset: Int = 0) {
        self.limit = limit
        self.period = period
        self.offset = offset
    }
}

/// One entry of the top-level `apiKeys:`.
///
/// Keys: `name` (required, unique), `value` (20–128 characters; usually `${ENV_VAR}`) or `valueSha256` (the
/// hex SHA-256 of the value, so the file need not hold the key: `switchboard apikey create` prints both),
/// `enabled` (default true). Only the hash is kept in memory.
package struct APIKeyDefinition: Sendable, Equatable {
    /// The key's name (also `$context.identity.apiKeyId`).
    package var name: String
    /// Lower-case hex SHA-256 of the key value.
    package var valueSha256: String
    /// Whether the key is accepted.
    package var enabled: Bool

    /// Creates a key definition from its hash.
    package init(name: String, valueSha256: String, enabled: Bool = true) {
        self.name = name
        self.valueSha256 = valueSha256
        self.enabled = enabled
    }
}

/// One entry of the top-level `usagePlans:`.
///
/// Keys: `name` (required, unique), `apiStages` (list of ``UsagePlanAPIStage``), `throttle`
/// (``ThrottleSettings``, per key), `quota` (``QuotaSettings``, per key), `apiKeys` (names of `apiKeys:`
/// entries). A key may be in several plans but in only one plan per API stage, as AWS.
package struct UsagePlanDefinition: Sendable, Equatable {
    /// The plan's name (its id in logs and Redis keys).
    package var name: String
    /// The API stages the plan covers.
    package var apiStages: [UsagePlanAPIStage]
    /// Per-key throttle.
    package var throttle: ThrottleSettings?
    /// Per-key quota.
    package var quota: QuotaSettings?
    /// Names of the keys in the plan.
    package var apiKeys: [String]

    /// Creates a plan.
    package init(
        name: String,
        apiStages: [UsagePlanAPIStage] = [],
        throttle: ThrottleSettings? = nil,
        quota: QuotaSettings? = nil,
        apiKeys: [String] = []
    ) {
        self.name = name
        self.apiStages = apiStages
        self.throttle = throttle
        self.quota = quota
        self.apiKeys = apiKeys
    }
}

/// `apiStages:` entry of a usage plan: `api`, `stage`, and per-method `throttle` overrides keyed as AWS keys them
/// (`/pets/GET`, `/pets/{petId}/ANY` for REST; the route key, e.g. `sendmessage`, for WebSocket routes).
package struct UsagePlanAPIStage: Sendable, Equatable {
    /// The API id.
    package var api: String
    /// The stage name.
    package var stage: String
    /// Per-method throttles, by our route key (`GET /pets` for REST, the route key for WebSocket).
    package var throttle: [String: ThrottleSettings]

    /// Creates an API stage.
    package init(api: String, stage: String, throttle: [String: ThrottleSettings] = [:]) {
        self.api = api
        self.stage = stage
        self.throttle = throttle
    }
}
