internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Keys of a `throttle:` mapping (usage plans, the account).
    static let throttleKeys = ["rateLimit", "burstLimit"]
    /// Keys of a stage route / method setting.
    static let routeSettingKeys = ["throttlingRateLimit", "throttlingBurstLimit"]
    /// Keys of an `apiKeys[]` entry.
    static let apiKeyKeys = ["name", "value", "valueSha256", "enabled"]
    /// Keys of a `usagePlans[]` entry.
    static let usagePlanKeys = ["name", "apiStages", "throttle", "quota", "apiKeys"]
    /// Keys of a usage plan's `apiStages[]` entry.
    static let usagePlanStageKeys = ["api", "stage", "throttle"]
    /// Keys of `quota:`.
    static let quotaKeys = ["limit", "period", "offset"]
    /// Keys of an `aws.iamUsers[]` entry.
    static let iamUserKeys = ["userName", "accessKeyId", "secretAccessKey", "policy"]
    /// Keys of `jwtConfiguration:`.
    static let jwtConfigurationKeys = ["issuer", "audience", "jwksUri"]

    // MARK: - Throttles

    /// Decodes `{rateLimit, burstLimit}` (both required; rate ≥ 0, burst ≥ 0).
    static func decodeThrottle(_ node: Node, path: String, reader: inout YAMLReader) -> ThrottleSettings? {
        guard let mapping = reader.mapping(node, path: path, keys: Self.throttleKeys) else { return nil }
        return Self.throttle(mapping, rateKey: "rateLimit", burstKey: "burstLimit", reader: &reader)
    }

    /// Decodes `{throttlingRateLimit, throttlingBurstLimit}` of a stage route or method setting.
    static func decodeRouteSetting(_ node: Node, path: String, reader: inout YAMLReader) -> ThrottleSettings? {
        guard let mapping = reader.mapping(node, path: path, keys: Self.routeSettingKeys) else { return nil }
        return Self.throttle(mapping, rateKey: "throttlingRateLimit", burstKey: "throttlingBurstLimit", reader: &reader)
    }

    private static func throttle(
        _ mapping: YAMLMapping,
        rateKey: String,
        burstKey: String,
        reader: inout YAMLReader
    ) -> ThrottleSettings? {
        var rate: Double?
        if let node = mapping[rateKey] {
            if let text = reader.string(node, path: mapping.path(rateKey)) {
                if let value = Double(text), value >= 0, value.isFinite {
                    rate = value
                } else {
                    reader.report(
                        "must be a number of requests per second ≥ 0 (got \(text))",
                        at: node,
                        path: mapping.path(rateKey)
                    )
                }
            }
        } else {
            reader.report("missing required key '\(rateKey)'", at: mapping.node, path: mapping.path)
        }
        var burst = -1
        if mapping[burstKey] != nil {
            Self.readInt(mapping, burstKey, minimum: 0, into: &burst, &reader)
        } else {
            reader.report("missing required key '\(burstKey)'", at: mapping.node, path: mapping.path)
        }
        guard let rate, burst >= 0 else { return nil }
        return ThrottleSettings(rateLimit: rate, burstLimit: burst)
    }

    /// Decodes a stage's throttling keys: `defaultRouteSettings` / `routeSettings` (WebSocket and HTTP APIs) or
    /// `methodSettings` (REST: `*/*` for the stage, `/pets/GET` for one method).
    static func decodeStageThrottling(
        _ mapping: YAMLMapping,
        into stage: inout StageDefinition,
        isREST: Bool,
        reader: inout YAMLReader
    ) {
        if isREST {
            for key in ["defaultRouteSettings", "routeSettings"] where mapping[key] != nil {
                reader.report(
                    "REST APIs throttle stages with methodSettings ('*/*', '/pets/GET')",
                    path: mapping.path(key)
                )
            }
            guard let node = mapping["methodSettings"],
                let settings = reader.mapping(node, path: mapping.path("methodSettings"), keys: nil)
            else { return }
            for entry in settings.entries {
                guard let throttle = Self.decodeRouteSetting(entry.value, path: entry.path, reader: &reader) else {
                    continue
                }
                if entry.key == "*/*" {
                    stage.defaultThrottle = throttle
                } else if let routeKey = Self.restMethodSettingKey(entry.key) {
                    stage.routeThrottles[routeKey] = throttle
                } else {
                    reader.report(
                        "must be '*/*' or a resource path and method such as '/pets/GET' (got '\(entry.key)')",
                        path: entry.path
                    )
                }
            }
            return
        }
        if mapping["methodSettings"] != nil {
            reader.report(
                "WEBSOCKET and HTTP APIs throttle stages with defaultRouteSettings and routeSettings",
                path: mapping.path("methodSettings")
            )
        }
        if let node = mapping["defaultRouteSettings"] {
            stage.defaultThrottle = Self.decodeRouteSetting(
                node,
                path: mapping.path("defaultRouteSettings"),
                reader: &reader
            )
        }
        if let node = mapping["routeSettings"],
            let settings = reader.mapping(node, path: mapping.path("routeSettings"), keys: nil)
        {
            for entry in settings.entries {
                if let throttle = Self.decodeRouteSetting(entry.value, path: entry.path, reader: &reader) {
                    stage.routeThrottles[entry.key] = throttle
                }
            }
        }
    }

    /// `/pets/{petId}/GET` → `GET /pets/{petId}`; `nil` when it is not a path and a method.
    static func restMethodSettingKey(_ key: String) -> String? {
        guard key.hasPrefix("/"), let slash = key.lastIndex(of: "/") else { return nil }
        let method = String(key[key.index(after: slash)...])
        var path = String(key[..<slash])
        if path.isEmpty { path = "/" }
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "*"]
        guard methods.contains(method) else { return nil }
        return "\(method) \(path)"
    }

    // MARK: - API keys and usage plans

    /// Decodes the top-level `apiKeys:`; each value is hashed at once and never kept.
    static func decodeAPIKeys(_ node: Node, path: String, reader: inout YAMLReader) -> [APIKeyDefinition] {
        guard let items = reader.sequence(node, path: path) else { return [] }
        var keys: [APIKeyDefinition] = []
        var names: Set<String> = []
        var hashes: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = YAMLReader.join(path, index: index)
            guard let mapping = reader.mapping(item, path: itemPath, keys: Self.apiKeyKeys) else { continue }
            var key = APIKeyDefinition(name: "", valueSha256: "")
            if let name = Self.requiredString(mapping, "name", &reader) {
                key.name = name
                if !names.insert(name).inserted {
                    reader.report("duplicate API key name '\(name)'", path: mapping.path("name"))
                }
            }
            Self.readBool(mapping, "enabled", into: &key.enabled, &reader)
            if let value = Self.optionalString(mapping, "value", &reader) {
                if !(20...128).contains(value.count) || !value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) {
                    reader.report(
                        "an API key value is 20 to 128 printable ASCII characters (got \(value.count) characters)",
                        path: mapping.path("value")
                    )
                }
                key.valueSha256 = APIKeyHash.sha256Hex(value)
            } else if let hash = Self.optionalString(mapping, "valueSha256", &reader) {
                let lowered = hash.lowercased()
                if lowered.count != 64 || !lowered.allSatisfy({ $0.isHexDigit }) {
                    reader.report("must be 64 hexadecimal digits (a SHA-256)", path: mapping.path("valueSha256"))
                }
                key.valueSha256 = lowered
            } else {
                reader.report("missing required key 'value' (or 'valueSha256')", at: mapping.node, path: itemPath)
            }
            if mapping["value"] != nil && mapping["valueSha256"] != nil {
                reader.report("give either 'value' or 'valueSha256', not both", path: mapping.path("valueSha256"))
            }
            if !key.valueSha256.isEmpty && !hashes.insert(key.valueSha256).inserted {
                reader.report("two API keys have the same value", path: mapping.path)
            }
            keys.append(key)
        }
        return keys
    }

    /// Decodes the top-level `usagePlans:`.
    static func decodeUsagePlans(_ node: Node, path: String, reader: inout YAMLReader) -> [UsagePlanDefinition] {
        guard let items = reader.sequence(node, path: path) else { return [] }
        var plans: [UsagePlanDefinition] = []
        for (index, item) in items.enumerated() {
            let itemPath = YAMLReader.join(path, index: index)
            guard let mapping = reader.mapping(item, path: itemPath, keys: Self.usagePlanKeys) else { continue }
            var plan = UsagePlanDefinition(name: Self.requiredString(mapping, "name", &reader) ?? "")
            if let throttle = mapping["throttle"] {
                plan.throttle = Self.decodeThrottle(throttle, path: mapping.path("throttle"), reader: &reader)
            }
            if let quota = mapping["quota"] {
                plan.quota = Self.decodeQuota(quota, path: mapping.path("quota"), reader: &reader)
            }
            if let keys = mapping["apiKeys"] {
                plan.apiKeys = reader.stringList(keys, path: mapping.path("apiKeys"))
            }
            if let stages = mapping["apiStages"], let list = reader.sequence(stages, path: mapping.path("apiStages")) {
                for (stageIndex, stageNode) in list.enumerated() {
                    let stagePath = YAMLReader.join(mapping.path("apiStages"), index: stageIndex)
                    guard let stageMapping = reader.mapping(stageNode, path: stagePath, keys: Self.usagePlanStageKeys)
                    else { continue }
                    var apiStage = UsagePlanAPIStage(
                        api: Self.requiredString(stageMapping, "api", &reader) ?? "",
                        stage: Self.requiredString(stageMapping, "stage", &reader) ?? ""
                    )
                    if let throttles = stageMapping["throttle"],
                        let entries = reader.mapping(throttles, path: stageMapping.path("throttle"), keys: nil)
                    {
                        for entry in entries.entries {
                            guard let throttle = Self.decodeThrottle(entry.value, path: entry.path, reader: &reader)
                            else { continue }
                            apiStage.throttle[Self.restMethodSettingKey(entry.key) ?? entry.key] = throttle
                        }
                    }
                    plan.apiStages.append(apiStage)
                }
            }
            plans.append(plan)
        }
        return plans
    }

    /// Decodes `quota: {limit, period, offset}`.
    static func decodeQuota(_ node: Node, path: String, reader: inout YAMLReader) -> QuotaSettings? {
        guard let mapping = reader.mapping(node, path: path, keys: Self.quotaKeys) else { return nil }
        var limit = -1
        if mapping["limit"] != nil {
            Self.readInt(mapping, "limit", minimum: 0, into: &limit, &reader)
        } else {
            reader.report("missing required key 'limit'", at: mapping.node, path: path)
        }
        var period: QuotaPeriod?
        if let periodNode = mapping["period"] {
            period = reader.choice(periodNode, path: mapping.path("period"), from: QuotaPeriod.allCases)
        } else {
            reader.report("missing required key 'period' (DAY, WEEK or MONTH)", at: mapping.node, path: path)
        }
        var offset = 0
        Self.readInt(mapping, "offset", minimum: 0, into: &offset, &reader)
        guard limit >= 0, let period else { return nil }
        return QuotaSettings(limit: limit, period: period, offset: offset)
    }

    /// Decodes `jwtConfiguration:`.
    static func decodeJWTConfiguration(_ node: Node, path: String, reader: inout YAMLReader) -> JWTConfiguration? {
        guard let mapping = reader.mapping(node, path: path, keys: Self.jwtConfigurationKeys) else { return nil }
        guard let issuer = Self.requiredString(mapping, "issuer", &reader) else { return nil }
        var configuration = JWTConfiguration(issuer: issuer)
        if let audience = mapping["audience"] {
            configuration.audience = reader.stringList(audience, path: mapping.path("audience"), allowSingle: true)
            if configuration.audience.count > 50 {
                reader.report(
                    "at most 50 audiences (got \(configuration.audience.count))",
                    path: mapping.path("audience")
                )
            }
        }
        configuration.jwksUri = Self.optionalString(mapping, "jwksUri", &reader)
        if let uri = configuration.jwksUri, !Self.isHTTPURL(uri) {
            reader.report("must be an http:// or https:// URL (got '\(uri)')", path: mapping.path("jwksUri"))
        }
        if configuration.jwksUri == nil && !Self.isHTTPURL(issuer) {
            reader.report(
                "the issuer must be an http(s) URL to discover its keys, or give jwksUri (got '\(issuer)')",
                path: mapping.path("issuer")
            )
        }
        return configuration
    }

    /// Decodes `aws.iamUsers:`; names and access keys are unique, policies must parse.
    static func decodeIAMUsers(_ node: Node, path: String, reader: inout YAMLReader) -> [IAMUserDefinition] {
        guard let items = reader.sequence(node, path: path) else { return [] }
        var users: [IAMUserDefinition] = []
        var keys: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = YAMLReader.join(path, index: index)
            guard let mapping = reader.mapping(item, path: itemPath, keys: Self.iamUserKeys) else { continue }
            var user = IAMUserDefinition(
                userName: Self.requiredString(mapping, "userName", &reader) ?? "",
                accessKeyId: Self.requiredString(mapping, "accessKeyId", &reader) ?? "",
                secretAccessKey: Self.requiredString(mapping, "secretAccessKey", &reader) ?? ""
            )
            if !user.accessKeyId.isEmpty && !keys.insert(user.accessKeyId).inserted {
                reader.report("duplicate accessKeyId '\(user.accessKeyId)'", path: mapping.path("accessKeyId"))
            }
            if let policy = mapping["policy"] {
                user.policy = Self.jsonValue(of: policy)
                do {
                    _ = try AuthorizerPolicy(document: user.policy ?? .null)
                } catch {
                    reader.report("not an IAM policy: \(error.message)", at: policy, path: mapping.path("policy"))
                }
            }
            users.append(user)
        }
        return users
    }

    // MARK: - Cross-checks

    /// Checks that usage plans name known APIs, stages and keys, and that a key is in one plan per API stage.
    static func checkUsagePlans(_ config: GatewayConfig, reader: inout YAMLReader) {
        let keyNames = Set(config.apiKeys.map(\.name))
        var planOfKeyStage: [String: String] = [:]
        var planNames: Set<String> = []
        for (planIndex, plan) in config.usagePlans.enumerated() {
            let planPath = YAMLReader.join("usagePlans", index: planIndex)
            if !plan.name.isEmpty && !planNames.insert(plan.name).inserted {
                reader.report("duplicate usage plan name '\(plan.name)'", path: YAMLReader.join(planPath, "name"))
            }
            for (keyIndex, key) in plan.apiKeys.enumerated() where !keyNames.contains(key) {
                reader.report(
                    "no API key named '\(key)' in apiKeys",
                    path: YAMLReader.join(YAMLReader.join(planPath, "apiKeys"), index: keyIndex)
                )
            }
            for (stageIndex, apiStage) in plan.apiStages.enumerated() {
                let stagePath = YAMLReader.join(YAMLReader.join(planPath, "apiStages"), index: stageIndex)
                guard let api = config.api(id: apiStage.api) else {
                    reader.report("no API with id '\(apiStage.api)'", path: YAMLReader.join(stagePath, "api"))
                    continue
                }
                if api.protocolType == .http {
                    reader.report(
                        "HTTP APIs have no usage plans (as in AWS): throttle them with stage routeSettings",
                        path: YAMLReader.join(stagePath, "api")
                    )
                }
                if api.stage(named: apiStage.stage) == nil {
                    reader.report(
                        "API '\(api.id)' has no stage '\(apiStage.stage)'",
                        path: YAMLReader.join(stagePath, "stage")
                    )
                }
                for key in plan.apiKeys {
                    let slot = key + "\u{0}" + apiStage.api + "\u{0}" + apiStage.stage
                    if let other = planOfKeyStage[slot], other != plan.name {
                        reader.report(
                            "API key '\(key)' is already in usage plan '\(other)' for \(apiStage.api)/\(apiStage.stage) "
                                + "(a key may be in one plan per API stage)",
                            path: stagePath
                        )
                    }
                    planOfKeyStage[slot] = plan.name
                }
            }
        }
    }
}

extension ConfigLoader {
    /// The two WebSocket API key selection expressions AWS accepts.
    static let apiKeySelectionExpressions: [String: APIKeySource] = [
        "$request.header.x-api-key": .header,
        "$context.authorizer.usageIdentifierKey": .authorizer,
    ]

    /// Decodes `apiKeySource` (REST) or `apiKeySelectionExpression` (WebSocket).
    static func decodeAPIKeySource(_ mapping: YAMLMapping, into api: inout APIDefinition, reader: inout YAMLReader) {
        if let node = mapping["apiKeySource"],
            let source = reader.choice(node, path: mapping.path("apiKeySource"), from: APIKeySource.allCases)
        {
            api.apiKeySource = source
        }
        if let node = mapping["apiKeySelectionExpression"],
            let expression = reader.string(node, path: mapping.path("apiKeySelectionExpression"))
        {
            if let source = Self.apiKeySelectionExpressions[expression] {
                api.apiKeySource = source
            } else {
                reader.report(
                    "must be $request.header.x-api-key or $context.authorizer.usageIdentifierKey (got '\(expression)')",
                    at: node,
                    path: mapping.path("apiKeySelectionExpression")
                )
            }
        }
    }

    /// Decodes the cache, validation, payload and JWT keys of an authorizer.
    static func decodeAuthorizerSettings(
        _ body: YAMLMapping,
        into authorizer: inout AuthorizerDefinition,
        reader: inout YAMLReader
    ) {
        if body["authorizerResultTtlInSeconds"] != nil {
            var ttl = 300
            Self.readInt(body, "authorizerResultTtlInSeconds", minimum: 0, maximum: 3600, into: &ttl, &reader)
            authorizer.authorizerResultTtlInSeconds = ttl
        }
        if let expression = Self.optionalString(body, "identityValidationExpression", &reader) {
            if (try? Regex(expression)) == nil {
                reader.report("not a valid regular expression", path: body.path("identityValidationExpression"))
            }
            authorizer.identityValidationExpression = expression
        }
        if let versionNode = body["authorizerPayloadFormatVersion"],
            let version = reader.string(versionNode, path: body.path("authorizerPayloadFormatVersion"))
        {
            if version == "1.0" || version == "2.0" {
                authorizer.authorizerPayloadFormatVersion = version
            } else {
                reader.report(
                    "must be 1.0 or 2.0 (got \(version))",
                    at: versionNode,
                    path: body.path("authorizerPayloadFormatVersion")
                )
            }
        }
        Self.readBool(body, "enableSimpleResponses", into: &authorizer.enableSimpleResponses, &reader)
        if authorizer.enableSimpleResponses && authorizer.authorizerPayloadFormatVersion != "2.0" {
            reader.report(
                "simple responses need authorizerPayloadFormatVersion 2.0",
                path: body.path("enableSimpleResponses")
            )
        }
        if let jwt = body["jwtConfiguration"] {
            authorizer.jwtConfiguration = Self.decodeJWTConfiguration(
                jwt,
                path: body.path("jwtConfiguration"),
                reader: &reader
            )
        } else if authorizer.authorizerType == "JWT" {
            reader.report(
                "missing required key 'jwtConfiguration' (a JWT authorizer needs issuer and audience)",
                at: body.node,
                path: body.path
            )
        }
        if authorizer.authorizerType == "JWT" && authorizer.identitySource.isEmpty {
            authorizer.identitySource = ["$request.header.Authorization"]
        }
        if authorizer.authorizerType == "TOKEN" && authorizer.identitySource.count > 1 {
            reader.report("a TOKEN authorizer reads one header", path: body.path("identitySource"))
        }
    }
}
