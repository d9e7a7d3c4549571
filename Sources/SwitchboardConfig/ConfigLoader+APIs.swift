internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Keys of an `apis[]` entry.
    static let apiKeys = [
        "id", "protocolType", "routeSelectionExpression", "managementApi", "stages", "routes", "authorizers",
        "webSocket", "apiKeySelectionExpression",
    ]
    /// Keys of an HTTP API (`protocolType: HTTP`).
    static let httpAPIKeys = [
        "id", "protocolType", "routeSelectionExpression", "stages", "routes", "authorizers", "corsConfiguration",
        "gatewayResponses",
    ]
    /// Keys of a REST API (`protocolType: REST`).
    static let restAPIKeys = [
        "id", "protocolType", "stages", "resources", "models", "binaryMediaTypes", "authorizers", "gatewayResponses",
        "apiKeySource", "policy",
    ]
    /// The only route selection expression HTTP APIs accept (AWS's default).
    static let httpRouteSelectionExpression = "${request.method} ${request.path}"
    /// Keys of `managementApi:`.
    static let managementAPIKeys = ["auth", "allowUnauthenticatedRemote"]
    /// Keys of a `stages[]` entry.
    static let stageKeys = [
        "name", "stageVariables", "autoDeploy", "cacheClusterEnabled", "defaultRouteSettings", "routeSettings",
        "methodSettings",
    ]
    /// Keys of an `authorizers` entry.
    static let authorizerKeys = [
        "authorizerType", "authorizerUri", "identitySource", "authorizerResultTtlInSeconds",
        "identityValidationExpression", "authorizerPayloadFormatVersion", "enableSimpleResponses", "jwtConfiguration",
    ]
    /// Accepted `authorizerType` values.
    static let authorizerTypes = ["REQUEST", "TOKEN", "JWT"]

    // MARK: - API

    /// Decodes one `apis[]` entry. Always returns a value (with placeholders where decoding failed), so that
    /// `config.apis[i]` stays at key path `apis[i]`; a placeholder never escapes because it comes with a
    /// diagnostic.
    /// - Parameters:
    ///   - node: The entry.
    ///   - path: Its key path, `apis[i]`.
    ///   - config: The configuration decoded so far (`server` and `aws` are read before `apis`).
    ///   - reader: Collects diagnostics.
    static func decodeAPI(
        _ node: Node,
        path: String,
        in config: GatewayConfig,
        reader: inout YAMLReader
    ) -> APIDefinition {
        var api = APIDefinition(id: "", protocolType: .webSocket)
        guard let mapping = reader.mapping(node, path: path, keys: nil) else { return api }

        var protocolType: ProtocolType?
        if let protocolNode = mapping["protocolType"] {
            protocolType = reader.choice(protocolNode, path: mapping.path("protocolType"), from: ProtocolType.allCases)
        } else {
            reader.report("missing required key 'protocolType'", at: mapping.node, path: path)
        }
        api.protocolType = protocolType ?? .webSocket
        // An API whose protocol is unknown is decoded leniently, so one mistake does not bury the file in
        // follow-on diagnostics.
        let strict = protocolType != nil
        switch protocolType {
        case .webSocket?: reader.reportUnknownKeys(in: mapping, allowed: Self.apiKeys)
        case .http?: reader.reportUnknownKeys(in: mapping, allowed: Self.httpAPIKeys)
        case .rest?: reader.reportUnknownKeys(in: mapping, allowed: Self.restAPIKeys)
        case nil: break
        }
        let isWebSocket = protocolType == .webSocket

        if let id = Self.requiredString(mapping, "id", &reader) {
            api.id = id
            if !Self.isAPIId(id) {
                reader.report(
                    "must be lower-case letters and digits, [a-z0-9]+ (got '\(id)')",
                    path: mapping.path("id")
                )
            }
        }
        if let expressionNode = mapping["routeSelectionExpression"],
            let expression = reader.string(expressionNode, path: mapping.path("routeSelectionExpression"))
        {
            api.routeSelectionExpression = expression
            do {
                // HTTP APIs use `${request.method} ${request.path}`, which is not a WebSocket expression.
                if isWebSocket { _ = try SelectionExpression(parsing: expression) }
            } catch {
                reader.report(error.message, at: expressionNode, path: mapping.path("routeSelectionExpression"))
            }
            if protocolType == .http && expression != Self.httpRouteSelectionExpression {
                reader.report(
                    "HTTP APIs select routes by method and path: must be \(Self.httpRouteSelectionExpression) "
                        + "(got '\(expression)')",
                    at: expressionNode,
                    path: mapping.path("routeSelectionExpression")
                )
            }
        } else if isWebSocket && !mapping.contains("routeSelectionExpression") {
            reader.report(
                "missing required key 'routeSelectionExpression' (WEBSOCKET APIs select routes with it, "
                    + "e.g. $request.body.action)",
                at: mapping.node,
                path: path
            )
        }
        api.stages = Self.decodeStages(mapping, strict: strict, isREST: protocolType == .rest, reader: &reader)
        Self.decodeAPIKeySource(mapping, into: &api, reader: &reader)
        if let policy = mapping["policy"] {
            api.policy = Self.jsonValue(of: policy)
            if case .object = api.policy {
                do {
                    _ = try AuthorizerPolicy(document: api.policy ?? .null)
                } catch {
                    reader.report("not a resource policy: \(error.message)", at: policy, path: mapping.path("policy"))
                }
            } else {
                reader.report(
                    "must be an IAM policy document (a mapping with Statement)",
                    at: policy,
                    path: mapping.path("policy")
                )
            }
        }
        if let authorizers = mapping["authorizers"] {
            api.authorizers = Self.decodeAuthorizers(
                authorizers,
                path: mapping.path("authorizers"),
                strict: strict,
                reader: &reader
            )
        }
        if let cors = mapping["corsConfiguration"] {
            api.corsConfiguration = Self.decodeCORS(cors, path: mapping.path("corsConfiguration"), reader: &reader)
        }
        if let responses = mapping["gatewayResponses"] {
            api.gatewayResponses = Self.decodeGatewayResponses(
                responses,
                path: mapping.path("gatewayResponses"),
                reader: &reader
            )
        }
        if let models = mapping["models"] {
            api.models = Self.decodeModels(models, path: mapping.path("models"), apiId: api.id, reader: &reader)
        }
        if let types = mapping["binaryMediaTypes"] {
            api.binaryMediaTypes = reader.stringList(types, path: mapping.path("binaryMediaTypes"))
        }
        if let resources = mapping["resources"] {
            api.resources = Self.decodeResources(resources, path: mapping.path("resources"), of: api, reader: &reader)
        }
        if let routes = mapping["routes"] {
            api.routes = Self.decodeRoutes(
                routes,
                path: mapping.path("routes"),
                of: api,
                strict: strict,
                reader: &reader
            )
        }
        if let settings = mapping["webSocket"] {
            api.webSocket = Self.decodeWebSocketSettings(settings, path: mapping.path("webSocket"), reader: &reader)
        }
        if let management = mapping["managementApi"] {
            api.managementApi = Self.decodeManagementAPI(
                management,
                path: mapping.path("managementApi"),
                reader: &reader
            )
        }
        if isWebSocket {
            Self.checkManagementAPI(api.managementApi, path: mapping.path("managementApi"), in: config, &reader)
        }
        return api
    }

    /// Whether `id` matches `^[a-z0-9]+$`.
    static func isAPIId(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    // MARK: - Stages

    /// Decodes `stages:` (required, at least one; names unique).
    static func decodeStages(
        _ api: YAMLMapping,
        strict: Bool,
        isREST: Bool,
        reader: inout YAMLReader
    ) -> [StageDefinition] {
        guard let node = api["stages"] else {
            reader.report(
                "missing required key 'stages' (an API needs at least one stage)",
                at: api.node,
                path: api.path
            )
            return []
        }
        let path = api.path("stages")
        guard let items = reader.sequence(node, path: path) else { return [] }
        if items.isEmpty {
            reader.report("must list at least one stage", at: node, path: path)
        }
        var stages: [StageDefinition] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = YAMLReader.join(path, index: index)
            guard let mapping = reader.mapping(item, path: itemPath, keys: strict ? Self.stageKeys : nil) else {
                continue
            }
            var stage = StageDefinition(name: "")
            if let name = Self.requiredString(mapping, "name", &reader) {
                stage.name = name
                if !Self.isStageName(name) {
                    reader.report(
                        "must be $default or letters, digits, '_' and '-' (got '\(name)')",
                        path: mapping.path("name")
                    )
                } else if !seen.insert(name).inserted {
                    reader.report("duplicate stage name '\(name)'", path: mapping.path("name"))
                }
            }
            var caching = false
            Self.readBool(mapping, "cacheClusterEnabled", into: &caching, &reader)
            if caching {
                reader.report(
                    "stage caching is not supported yet; set cacheClusterEnabled: false",
                    path: mapping.path("cacheClusterEnabled")
                )
            }
            var autoDeploy = true
            Self.readBool(mapping, "autoDeploy", into: &autoDeploy, &reader)
            if let variables = mapping["stageVariables"] {
                stage.stageVariables = reader.stringMap(variables, path: mapping.path("stageVariables"))
            }
            Self.decodeStageThrottling(mapping, into: &stage, isREST: isREST, reader: &reader)
            stages.append(stage)
        }
        return stages
    }

    /// Whether `name` is `$default` or matches `^[A-Za-z0-9_-]+$`.
    static func isStageName(_ name: String) -> Bool {
        if name == "$default" { return true }
        return !name.isEmpty
            && name.unicodeScalars.allSatisfy { Self.isTokenScalar($0) && $0 != "." }
    }

    // MARK: - Authorizers

    /// Decodes `authorizers:` (name → definition).
    static func decodeAuthorizers(
        _ node: Node,
        path: String,
        strict: Bool,
        reader: inout YAMLReader
    ) -> [String: AuthorizerDefinition] {
        guard let mapping = reader.mapping(node, path: path, keys: nil) else { return [:] }
        var authorizers: [String: AuthorizerDefinition] = [:]
        for entry in mapping.entries {
            guard let body = reader.mapping(entry.value, path: entry.path, keys: strict ? Self.authorizerKeys : nil)
            else { continue }
            var authorizer = AuthorizerDefinition(authorizerType: "")
            if let typeNode = body["authorizerType"] {
                authorizer.authorizerType = reader.string(typeNode, path: body.path("authorizerType")) ?? ""
                if !authorizer.authorizerType.isEmpty && !Self.authorizerTypes.contains(authorizer.authorizerType) {
                    reader.report(
                        "must be one of \(Self.authorizerTypes.joined(separator: ", ")) "
                            + "(got \(authorizer.authorizerType))",
                        at: typeNode,
                        path: body.path("authorizerType")
                    )
                }
            } else {
                reader.report("missing required key 'authorizerType'", at: body.node, path: body.path)
            }
            authorizer.authorizerUri = Self.optionalString(body, "authorizerUri", &reader)
            if ["REQUEST", "TOKEN"].contains(authorizer.authorizerType) && authorizer.authorizerUri == nil {
                reader.report(
                    "missing required key 'authorizerUri' (a \(authorizer.authorizerType) authorizer calls a function)",
                    at: body.node,
                    path: body.path
                )
            }
            if let sources = body["identitySource"] {
                authorizer.identitySource = reader.stringList(
                    sources,
                    path: body.path("identitySource"),
                    allowSingle: true
                )
            }
            Self.decodeAuthorizerSettings(body, into: &authorizer, reader: &reader)
            authorizers[entry.key] = authorizer
        }
        return authorizers
    }

    // MARK: - Management API

    /// Decodes `managementApi:`.
    static func decodeManagementAPI(_ node: Node, path: String, reader: inout YAMLReader) -> ManagementAPIConfig {
        var management = ManagementAPIConfig()
        guard let mapping = reader.mapping(node, path: path, keys: Self.managementAPIKeys) else { return management }
        if let auth = mapping["auth"],
            let value = reader.choice(auth, path: mapping.path("auth"), from: [ManagementAPIConfig.Auth.none, .awsIAM])
        {
            management.auth = value
        }
        Self.readBool(mapping, "allowUnauthenticatedRemote", into: &management.allowUnauthenticatedRemote, &reader)
        return management
    }

    /// Checks `managementApi` against `server.listen` and `aws.credentials`.
    static func checkManagementAPI(
        _ management: ManagementAPIConfig,
        path: String,
        in config: GatewayConfig,
        _ reader: inout YAMLReader
    ) {
        let authPath = YAMLReader.join(path, "auth")
        switch management.auth {
        case .awsIAM where config.aws.credentials == nil:
            reader.report(
                "AWS_IAM needs aws.credentials (the keys SigV4 signatures on @connections calls are checked against)",
                path: authPath
            )
        case .none where !config.server.isLoopback && !management.allowUnauthenticatedRemote:
            reader.report(
                "auth NONE on a listener that is not loopback (\(config.server.host)) lets anyone who can reach it "
                    + "post to, read and disconnect every connection; use auth: AWS_IAM, listen on 127.0.0.1, or set "
                    + "allowUnauthenticatedRemote: true to accept the risk",
                path: authPath
            )
        default:
            break
        }
    }

    // MARK: - WebSocket settings

    /// Keys of `webSocket:`.
    static let webSocketKeys = [
        "maxFrameBytes", "maxMessageBytes", "allowBinary", "idleTimeoutSeconds", "maxConnectionSeconds",
        "outboundQueueBytes", "stuckClientTimeoutSeconds", "compression", "newConnectionRate", "messageRate",
    ]
    /// Keys of `webSocket.compression:`.
    static let compressionKeys = ["mode", "windowBits", "level", "minBytes"]

    /// Decodes `webSocket:` (limits and permessage-deflate).
    static func decodeWebSocketSettings(_ node: Node, path: String, reader: inout YAMLReader) -> WebSocketSettings {
        var settings = WebSocketSettings()
        guard let mapping = reader.mapping(node, path: path, keys: Self.webSocketKeys) else { return settings }
        Self.readInt(mapping, "maxFrameBytes", minimum: 1, into: &settings.maxFrameBytes, &reader)
        Self.readInt(mapping, "maxMessageBytes", minimum: 1, into: &settings.maxMessageBytes, &reader)
        Self.readBool(mapping, "allowBinary", into: &settings.allowBinary, &reader)
        Self.readInt(mapping, "idleTimeoutSeconds", minimum: 1, into: &settings.idleTimeoutSeconds, &reader)
        Self.readInt(mapping, "maxConnectionSeconds", minimum: 1, into: &settings.maxConnectionSeconds, &reader)
        Self.readInt(mapping, "outboundQueueBytes", minimum: 1, into: &settings.outboundQueueBytes, &reader)
        Self.readInt(
            mapping,
            "stuckClientTimeoutSeconds",
            minimum: 1,
            into: &settings.stuckClientTimeoutSeconds,
            &reader
        )
        if let rate = mapping["newConnectionRate"] {
            settings.newConnectionRate = Self.decodeThrottle(
                rate,
                path: mapping.path("newConnectionRate"),
                reader: &reader
            )
        }
        if let rate = mapping["messageRate"] {
            settings.messageRate = Self.decodeThrottle(rate, path: mapping.path("messageRate"), reader: &reader)
        }
        if settings.maxFrameBytes > settings.maxMessageBytes {
            reader.report(
                "must not exceed maxMessageBytes (\(settings.maxFrameBytes) > \(settings.maxMessageBytes))",
                path: mapping.path("maxFrameBytes")
            )
        }
        if let compression = mapping["compression"] {
            settings.compression = Self.decodeCompression(compression, path: mapping.path("compression"), &reader)
        }
        return settings
    }

    /// Decodes `webSocket.compression:`.
    static func decodeCompression(_ node: Node, path: String, _ reader: inout YAMLReader) -> CompressionSettings {
        var compression = CompressionSettings()
        guard let mapping = reader.mapping(node, path: path, keys: Self.compressionKeys) else { return compression }
        if let mode = mapping["mode"],
            let value = reader.choice(
                mode,
                path: mapping.path("mode"),
                from: [CompressionSettings.Mode.off, .noContextTakeover, .contextTakeover]
            )
        {
            compression.mode = value
        }
        Self.readInt(mapping, "windowBits", minimum: 9, maximum: 15, into: &compression.windowBits, &reader)
        Self.readInt(mapping, "level", minimum: 1, maximum: 9, into: &compression.level, &reader)
        Self.readInt(mapping, "minBytes", minimum: 0, into: &compression.minBytes, &reader)
        return compression
    }
}
