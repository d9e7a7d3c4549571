internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Accepted `passthroughBehavior` values.
    static let passthroughBehaviors = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"]
    /// Accepted `contentHandling` values.
    static let contentHandlings = ["CONVERT_TO_TEXT", "CONVERT_TO_BINARY"]

    /// Decodes the integration keys only HTTP and REST APIs use: `responseParameters` (HTTP APIs, by status
    /// code), `passthroughBehavior` and `contentHandling` (REST non-proxy).
    static func decodeNonProxySettings(
        _ mapping: YAMLMapping,
        into integration: inout IntegrationDefinition,
        protocolType: ProtocolType,
        reader: inout YAMLReader
    ) {
        if let node = mapping["passthroughBehavior"],
            let value = reader.string(node, path: mapping.path("passthroughBehavior"))
        {
            if Self.passthroughBehaviors.contains(value) {
                integration.passthroughBehavior = value
            } else {
                reader.report(
                    "must be one of \(Self.passthroughBehaviors.joined(separator: ", ")) (got \(value))",
                    at: node,
                    path: mapping.path("passthroughBehavior")
                )
            }
        }
        if let node = mapping["contentHandling"], let value = reader.string(node, path: mapping.path("contentHandling"))
        {
            if Self.contentHandlings.contains(value) {
                integration.contentHandling = value
            } else {
                reader.report(
                    "must be one of \(Self.contentHandlings.joined(separator: ", ")) (got \(value))",
                    at: node,
                    path: mapping.path("contentHandling")
                )
            }
        }
        guard let node = mapping["responseParameters"] else { return }
        let path = mapping.path("responseParameters")
        guard protocolType == .http else {
            reader.report(
                "responseParameters on an integration are for HTTP APIs; REST APIs set them per integration response",
                at: node,
                path: path
            )
            return
        }
        guard let byStatus = reader.mapping(node, path: path, keys: nil) else { return }
        for entry in byStatus.entries {
            guard let status = Int(entry.key), (100...599).contains(status) else {
                reader.report(
                    "must be an integration status code such as \"500\" (got '\(entry.key)')",
                    at: entry.keyNode,
                    path: entry.path
                )
                continue
            }
            let map = reader.stringMap(entry.value, path: entry.path)
            for (key, value) in map.sorted(by: { $0.key < $1.key }) {
                if let problem = HTTPParameterMapping.validate(responseKey: key, value: value) {
                    reader.report(problem, path: YAMLReader.join(entry.path, key))
                }
            }
            integration.responseParameters[entry.key] = map
        }
    }

    /// Checks an HTTP API integration's `requestParameters` (`append|overwrite|remove:header.N`, …).
    static func checkHTTPRequestParameters(_ parameters: [String: String], path: String, reader: inout YAMLReader) {
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            if let problem = HTTPParameterMapping.validate(requestKey: key, value: value) {
                reader.report(problem, path: YAMLReader.join(path, key))
            }
        }
    }

    /// Checks an HTTP API route key (`$default` or `METHOD /path`).
    static func checkHTTPRouteKey(_ entry: YAMLMapping.Entry, reader: inout YAMLReader) {
        if let problem = HTTPRouteTable.validate(routeKey: entry.key) {
            reader.report(problem, at: entry.keyNode, path: entry.path)
        }
    }

    // MARK: - CORS

    /// Keys of `corsConfiguration:`.
    static let corsKeys = [
        "allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge", "allowCredentials",
    ]

    /// Decodes an HTTP API's `corsConfiguration:`.
    static func decodeCORS(_ node: Node, path: String, reader: inout YAMLReader) -> CORSConfiguration? {
        guard let mapping = reader.mapping(node, path: path, keys: Self.corsKeys) else { return nil }
        var cors = CORSConfiguration()
        for (key, keyPath) in [
            ("allowOrigins", \CORSConfiguration.allowOrigins), ("allowMethods", \.allowMethods),
            ("allowHeaders", \.allowHeaders), ("exposeHeaders", \.exposeHeaders),
        ] {
            if let list = mapping[key] {
                cors[keyPath: keyPath] = reader.stringList(list, path: mapping.path(key), allowSingle: true)
            }
        }
        if let maxAge = mapping["maxAge"] { cors.maxAge = reader.int(maxAge, path: mapping.path("maxAge")) }
        Self.readBool(mapping, "allowCredentials", into: &cors.allowCredentials, &reader)
        for problem in cors.validationErrors() {
            reader.report(problem, at: node, path: path)
        }
        return cors
    }

    // MARK: - Gateway responses

    /// Keys of a `gatewayResponses` entry.
    static let gatewayResponseKeys = ["statusCode", "responseParameters", "responseTemplates"]

    /// Decodes `gatewayResponses:` (type → override).
    static func decodeGatewayResponses(
        _ node: Node,
        path: String,
        reader: inout YAMLReader
    ) -> [GatewayResponseType: GatewayResponseOverride] {
        guard let mapping = reader.mapping(node, path: path, keys: nil) else { return [:] }
        var responses: [GatewayResponseType: GatewayResponseOverride] = [:]
        for entry in mapping.entries {
            guard let type = GatewayResponseType(rawValue: entry.key) else {
                reader.report(
                    "unknown gateway response type '\(entry.key)' (e.g. DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, "
                        + "BAD_REQUEST_BODY)",
                    at: entry.keyNode,
                    path: entry.path
                )
                continue
            }
            guard let body = reader.mapping(entry.value, path: entry.path, keys: Self.gatewayResponseKeys) else {
                continue
            }
            var override = GatewayResponseOverride()
            if let status = body["statusCode"] {
                let text = reader.string(status, path: body.path("statusCode")) ?? ""
                if let code = Int(text), (100...599).contains(code) {
                    override.statusCode = code
                } else {
                    reader.report(
                        "must be an HTTP status code (got '\(text)')",
                        at: status,
                        path: body.path("statusCode")
                    )
                }
            }
            if let parameters = body["responseParameters"] {
                override.responseParameters = reader.stringMap(parameters, path: body.path("responseParameters"))
                for key in override.responseParameters.keys.sorted() where !key.hasPrefix("gatewayresponse.header.") {
                    reader.report(
                        "must be gatewayresponse.header.NAME",
                        path: YAMLReader.join(body.path("responseParameters"), key)
                    )
                }
            }
            if let templates = body["responseTemplates"] {
                override.responseTemplates = reader.stringMap(templates, path: body.path("responseTemplates"))
            }
            responses[type] = override
        }
        return responses
    }
}
