/// API keys and usage plans compiled for lookups on the request path: a key value's hash → the key, and
/// (API, stage, key) → the plan that covers it.
package struct UsagePlanIndex: Sendable {
    /// A known key.
    package struct Key: Sendable, Equatable {
        /// The key's name (`$context.identity.apiKeyId`).
        package var name: String
        /// Whether it is enabled.
        package var enabled: Bool
    }

    /// A plan as it applies to one key on one API stage.
    package struct Binding: Sendable, Equatable {
        /// The plan.
        package var plan: UsagePlanDefinition
        /// The plan's per-method throttles for this API stage.
        package var methodThrottles: [String: ThrottleSettings]
    }

    /// What the API key check decided.
    package enum Resolution: Sendable, Equatable {
        /// The key is known, enabled and in a plan for this API stage.
        case accepted(Key, Binding)
        /// No key, an unknown or disabled key, or a key with no plan for this API stage: 403 Forbidden.
        case rejected
    }

    private let keysByHash: [String: Key]
    private let bindings: [String: Binding]

    /// Compiles the index.
    package init(apiKeys: [APIKeyDefinition], usagePlans: [UsagePlanDefinition]) {
        var keys: [String: Key] = [:]
        for key in apiKeys { keys[key.valueSha256] = Key(name: key.name, enabled: key.enabled) }
        var bindings: [String: Binding] = [:]
        for plan in usagePlans {
            for stage in plan.apiStages {
                for key in plan.apiKeys {
                    bindings[Self.slot(api: stage.api, stage: stage.stage, key: key)] = Binding(
                        plan: plan,
                        methodThrottles: stage.throttle
                    )
                }
            }
        }
        self.keysByHash = keys
        self.bindings = bindings
    }

    /// Whether any key is configured.
    package var isEmpty: Bool { self.keysByHash.isEmpty }

    /// Resolves the key a request presented.
    /// - Parameters:
    ///   - value: the key value (`x-api-key` or the authorizer's `usageIdentifierKey`), `nil` when absent.
    ///   - api: the API id.
    ///   - stage: the stage.
    package func resolve(value: String?, api: String, stage: String) -> Resolution {
        guard let value, !value.isEmpty, let key = self.keysByHash[APIKeyHash.sha256Hex(value)], key.enabled,
            let binding = self.bindings[Self.slot(api: api, stage: stage, key: key.name)]
        else { return .rejected }
        return .accepted(key, binding)
    }

    private static func slot(api: String, stage: String, key: String) -> String {
        api + "\u{0}" + stage + "\u{0}" + key
    }
}
