internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Keys of a `routes` entry.
    static let routeKeys = [
        "integration", "routeResponseSelectionExpression", "authorizationType", "authorizerId", "apiKeyRequired",
        "authorizationScopes",
    ]
    /// Keys of `integration:`.
    static let integrationKeys = [
        "type", "uri", "integrationMethod", "timeoutInMillis", "requestParameters", "requestTemplates",
        "templateSelectionExpression", "integrationResponses", "payloadFormatVersion", "responseParameters",
        "passthroughBehavior", "contentHandling",
    ]
    /// Keys of an `integrationResponses[]` entry.
    static let integrationResponseKeys = [
        "integrationResponseKey", "statusCode", "responseTemplates", "templateSelectionExpression", "selectionPattern",
        "responseParameters",
    ]
    /// The WebSocket route keys AWS predefines.
    static let predefinedRouteKeys = ["$connect", "$disconnect", "$default"]
    /// Accepted `authorizationType` values.
    static let authorizationTypes = ["NONE", "AWS_IAM", "CUSTOM", "JWT"]
    /// Accepted `integrationMethod` values.
    static let integrationMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]

    // MARK: - Routes

    /// Decodes `routes:` (route key → definition), keeping file order.
    /// - Parameters:
    ///   - node: The `routes` mapping.
    ///   - path: Its key path.
    ///   - api: The API decoded so far (its protocol and authorizers are used).
    ///   - strict: Whether unknown keys are reported and WebSocket rules apply.
    ///   - reader: Collects diagnostics.
    static func decodeRoutes(
        _ node: Node,
        path: String,
        of api: APIDefinition,
        strict: Bool,
        reader: inout YAMLReader
    ) -> [RouteDefinition] {
        guard let mapping = reader.mapping(node, path: path, keys: nil) else { return [] }
        var routes: [RouteDefinition] = []
        for entry in mapping.entries {
            if api.protocolType == .http {
                Self.checkHTTPRouteKey(entry, reader: &reader)
            } else if strict {
                if entry.key.isEmpty {
                    reader.report("a route key must not be empty", at: entry.keyNode, path: entry.path)
                } else if entry.key.hasPrefix("$") && !Self.predefinedRouteKeys.contains(entry.key) {
                    reader.report(
                        "custom route keys must not start with '$' (only $connect, $disconnect and $default are "
                            + "predefined)",
                        at: entry.keyNode,
                        path: entry.path
                    )
                }
            }
            if let route = Self.decodeRoute(entry, of: api, strict: strict, reader: &reader) {
                routes.append(route)
            }
        }
        return routes
    }

    /// Decodes one route; a null body is a route with no integration.
    static func decodeRoute(
        _ entry: YAMLMapping.Entry,
        of api: APIDefinition,
        strict: Bool,
        reader: inout YAMLReader
    ) -> RouteDefinition? {
        guard let mapping = reader.mapping(entry.value, path: entry.path, keys: strict ? Self.routeKeys : nil) else {
            return nil
        }
        var route = RouteDefinition(routeKey: entry.key)
        if let integration = mapping["integration"] {
            route.integration = Self.decodeIntegration(
                integration,
                path: mapping.path("integration"),
                protocolType: api.protocolType,
                strict: strict,
                reader: &reader
            )
        }
        if let selection = mapping["routeResponseSelectionExpression"],
            let value = reader.string(selection, path: mapping.path("routeResponseSelectionExpression"))
        {
            route.routeResponseSelectionExpression = value
            if value != "$default" {
                reader.report(
                    "must be $default, the only route response selection expression (got '\(value)')",
                    at: selection,
                    path: mapping.path("routeResponseSelectionExpression")
                )
            }
        }
        Self.decodeAuthorization(mapping, into: &route, of: api, strict: strict, reader: &reader)
        Self.readBool(mapping, "apiKeyRequired", into: &route.apiKeyRequired, &reader)
        if let scopes = mapping["authorizationScopes"] {
            route.authorizationScopes = reader.stringList(scopes, path: mapping.path("authorizationScopes"))
            if route.authorizationScopes.count > 10 {
                reader.report("at most 10 scopes per route", path: mapping.path("authorizationScopes"))
            }
        }
        return route
    }

    /// Decodes `authorizationType` and `authorizerId`, checking the authorizer exists.
    static func decodeAuthorization(
        _ mapping: YAMLMapping,
        into route: inout RouteDefinition,
        of api: APIDefinition,
        strict: Bool,
        reader: inout YAMLReader
    ) {
        var typeIsValid = true
        if let typeNode = mapping["authorizationType"],
            let type = reader.string(typeNode, path: mapping.path("authorizationType"))
        {
            typeIsValid = Self.authorizationTypes.contains(type)
            if typeIsValid {
                route.authorizationType = type
                if strict && api.protocolType == .webSocket && type != "NONE" && route.routeKey != "$connect" {
                    reader.report(
                        "authorization is only supported on the $connect route of a WEBSOCKET API",
                        at: typeNode,
                        path: mapping.path("authorizationType")
                    )
                }
            } else {
                reader.report(
                    "must be one of \(Self.authorizationTypes.joined(separator: ", ")) (got \(type))",
                    at: typeNode,
                    path: mapping.path("authorizationType")
                )
            }
        }
        let usesAuthorizer = route.authorizationType == "CUSTOM" || route.authorizationType == "JWT"
        guard let idNode = mapping["authorizerId"] else {
            if usesAuthorizer {
                reader.report(
                    "missing required key 'authorizerId' (authorizationType \(route.authorizationType) names an "
                        + "authorizer)",
                    at: mapping.node,
                    path: mapping.path
                )
            }
            return
        }
        guard let id = reader.string(idNode, path: mapping.path("authorizerId")) else { return }
        route.authorizerId = id
        if api.authorizers[id] == nil {
            let known = api.authorizers.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            reader.report(
                "no authorizer named '\(id)' in this API's authorizers"
                    + (known.isEmpty ? " (it has none)" : " (has \(known))"),
                at: idNode,
                path: mapping.path("authorizerId")
            )
        } else if !usesAuthorizer && typeIsValid {
            reader.report(
                "authorizerId needs authorizationType CUSTOM or JWT (got \(route.authorizationType))",
                at: idNode,
                path: mapping.path("authorizerId")
            )
        }
    }

    // MARK: - Integration

    /// Decodes `integration:` on a route.
    static func decodeIntegration(
        _ node: Node,
        path: String,
        protocolType: ProtocolType,
        strict: Bool,
        reader: inout YAMLReader
    ) -> IntegrationDefinition? {
        guard let mapping = reader.mapping(node, path: path, keys: strict ? Self.integrationKeys : nil) else {
            return nil
        }
        // A missing or unknown type is reported, and the rest of the integration is still checked so that
        // every problem shows up in one run; the integration itself is dropped at the end.
        var parsedType: IntegrationType?
        if let typeNode = mapping["type"] {
            parsedType = reader.choice(typeNode, path: mapping.path("type"), from: IntegrationType.allCases)
        } else {
            reader.report("missing required key 'type'", at: mapping.node, path: path)
        }
        var integration = IntegrationDefinition(type: parsedType ?? .mock)
        integration.uri = Self.optionalString(mapping, "uri", &reader)
        if let type = parsedType {
            Self.checkURI(integration.uri, type: type, mapping: mapping, reader: &reader)
        }
        if let methodNode = mapping["integrationMethod"],
            let method = reader.string(methodNode, path: mapping.path("integrationMethod"))
        {
            if Self.integrationMethods.contains(method) {
                integration.integrationMethod = method
            } else {
                reader.report(
                    "must be one of \(Self.integrationMethods.joined(separator: ", ")) (got \(method))",
                    at: methodNode,
                    path: mapping.path("integrationMethod")
                )
            }
        }
        // HTTP and REST proxies keep the client's method unless the integration names one.
        if protocolType != .webSocket && parsedType == .httpProxy && !mapping.contains("integrationMethod") {
            integration.integrationMethod = "ANY"
        }
        if protocolType == .http { integration.timeoutInMillis = 30_000 }
        // HTTP APIs allow up to 30 s (their default); WebSocket and REST APIs up to 29 s.
        let maximum = protocolType == .http ? 30_000 : IntegrationDefinition.maxTimeoutInMillis
        Self.readInt(
            mapping,
            "timeoutInMillis",
            minimum: IntegrationDefinition.minTimeoutInMillis,
            maximum: maximum,
            into: &integration.timeoutInMillis,
            &reader
        )
        if let parameters = mapping["requestParameters"] {
            let parametersPath = mapping.path("requestParameters")
            integration.requestParameters = reader.stringMap(parameters, path: parametersPath)
            if strict {
                switch protocolType {
                case .webSocket:
                    Self.checkRequestParameters(integration.requestParameters, path: parametersPath, reader: &reader)
                case .rest:
                    Self.checkRESTRequestParameters(
                        integration.requestParameters,
                        path: parametersPath,
                        reader: &reader
                    )
                case .http:
                    Self.checkHTTPRequestParameters(
                        integration.requestParameters,
                        path: parametersPath,
                        reader: &reader
                    )
                }
            }
        }
        if let templates = mapping["requestTemplates"] {
            integration.requestTemplates = reader.stringMap(templates, path: mapping.path("requestTemplates"))
        }
        integration.templateSelectionExpression = Self.optionalString(mapping, "templateSelectionExpression", &reader)
        Self.decodeNonProxySettings(mapping, into: &integration, protocolType: protocolType, reader: &reader)
        if let responses = mapping["integrationResponses"],
            let items = reader.sequence(responses, path: mapping.path("integrationResponses"))
        {
            for (index, item) in items.enumerated() {
                let itemPath = YAMLReader.join(mapping.path("integrationResponses"), index: index)
                if let response = Self.decodeIntegrationResponse(item, path: itemPath, strict: strict, reader: &reader)
                {
                    integration.integrationResponses.append(response)
                }
            }
        }
        // HTTP APIs default to payload format 2.0 for Lambda proxies, as the AWS console does.
        if protocolType == .http && parsedType == .awsProxy { integration.payloadFormatVersion = "2.0" }
        if let versionNode = mapping["payloadFormatVersion"],
            let version = reader.string(versionNode, path: mapping.path("payloadFormatVersion"))
        {
            switch version {
            case "1.0", "1": integration.payloadFormatVersion = "1.0"
            case "2.0", "2": integration.payloadFormatVersion = "2.0"
            default:
                reader.report(
                    "must be 1.0 or 2.0 (got \(version))",
                    at: versionNode,
                    path: mapping.path("payloadFormatVersion")
                )
            }
        }
        return parsedType == nil ? nil : integration
    }

    /// Checks that an integration has the `uri` its type needs, in a plausible form.
    static func checkURI(_ uri: String?, type: IntegrationType, mapping: YAMLMapping, reader: inout YAMLReader) {
        let needsURI: Bool
        switch type {
        case .httpProxy, .http, .awsProxy, .aws: needsURI = true
        case .mock, .broadcast: needsURI = false
        }
        guard needsURI else { return }
        guard let uri else {
            if !mapping.contains("uri") {
                reader.report(
                    "missing required key 'uri' (\(type.rawValue) integrations need one)",
                    at: mapping.node,
                    path: mapping.path
                )
            }
            return
        }
        // A stage variable may supply the whole target, so it is checked at request time.
        if uri.hasPrefix("${stageVariables.") || uri.hasPrefix("$stageVariables.") { return }
        switch type {
        case .httpProxy, .http:
            if !Self.isHTTPURL(uri) {
                reader.report("must be an http:// or https:// URL (got '\(uri)')", path: mapping.path("uri"))
            }
        case .awsProxy, .aws:
            if !Self.isHTTPURL(uri) && !uri.hasPrefix("arn:") {
                reader.report(
                    "must be an ARN (arn:…) or an https:// invocation URL (got '\(uri)')",
                    path: mapping.path("uri")
                )
            }
        case .mock, .broadcast:
            break
        }
    }

    /// Decodes one `integrationResponses[]` entry.
    static func decodeIntegrationResponse(
        _ node: Node,
        path: String,
        strict: Bool,
        reader: inout YAMLReader
    ) -> IntegrationResponseDefinition? {
        guard let mapping = reader.mapping(node, path: path, keys: strict ? Self.integrationResponseKeys : nil) else {
            return nil
        }
        var response = IntegrationResponseDefinition()
        if let keyNode = mapping["integrationResponseKey"],
            let key = reader.string(keyNode, path: mapping.path("integrationResponseKey"))
        {
            response.integrationResponseKey = key
            if let problem = Self.integrationResponseKeyProblem(key) {
                reader.report(problem, at: keyNode, path: mapping.path("integrationResponseKey"))
            }
        }
        response.statusCode = Self.optionalString(mapping, "statusCode", &reader)
        if let templates = mapping["responseTemplates"] {
            response.responseTemplates = reader.stringMap(templates, path: mapping.path("responseTemplates"))
        }
        response.templateSelectionExpression = Self.optionalString(mapping, "templateSelectionExpression", &reader)
        response.selectionPattern = Self.optionalString(mapping, "selectionPattern", &reader)
        if let pattern = response.selectionPattern, (try? Regex(pattern)) == nil {
            reader.report("invalid regular expression '\(pattern)'", path: mapping.path("selectionPattern"))
        }
        if let parameters = mapping["responseParameters"] {
            response.responseParameters = reader.stringMap(parameters, path: mapping.path("responseParameters"))
        }
        return response
    }

    /// Why an `integrationResponseKey` is invalid (`$default` or `/regex/` on the status code), or `nil`.
    static func integrationResponseKeyProblem(_ key: String) -> String? {
        if key == "$default" { return nil }
        guard key.count >= 2, key.hasPrefix("/"), key.hasSuffix("/") else {
            return "must be $default or a /regex/ matched against the status code (got '\(key)')"
        }
        do {
            _ = try Regex(String(key.dropFirst().dropLast()))
            return nil
        } catch {
            return "invalid regular expression in '\(key)': \(error)"
        }
    }
}
