internal import SwitchboardCore
internal import Yams

extension ConfigLoader {
    /// Keys of a REST method (`resources./pets.GET`).
    static let methodKeys = [
        "integration", "authorizationType", "authorizerId", "apiKeyRequired", "requestValidator", "requestModels",
        "requestParameters",
    ]
    /// HTTP methods a REST resource or HTTP API route may name.
    static let httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]
    /// Accepted REST `authorizationType` values.
    static let restAuthorizationTypes = ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"]
    /// The model every REST API has without declaring it.
    static let builtInModels = ["Empty", "Error"]

    // MARK: - Resources

    /// Decodes a REST API's `resources:` (resource path → method → definition), in file order.
    static func decodeResources(
        _ node: Node,
        path: String,
        of api: APIDefinition,
        reader: inout YAMLReader
    ) -> [ResourceDefinition] {
        guard let mapping = reader.mapping(node, path: path, keys: nil) else { return [] }
        var resources: [ResourceDefinition] = []
        for entry in mapping.entries {
            if let problem = RESTResourceTree.validate(resourcePath: entry.key) {
                reader.report(problem, at: entry.keyNode, path: entry.path)
                continue
            }
            guard let methods = reader.mapping(entry.value, path: entry.path, keys: nil) else { continue }
            var resource = ResourceDefinition(path: entry.key)
            for method in methods.entries {
                guard Self.httpMethods.contains(method.key) else {
                    reader.report(
                        "unknown HTTP method '\(method.key)' (use \(Self.httpMethods.joined(separator: ", ")))",
                        at: method.keyNode,
                        path: method.path
                    )
                    continue
                }
                if let definition = Self.decodeMethod(method, of: api, reader: &reader) {
                    resource.methods.append(definition)
                }
            }
            resources.append(resource)
        }
        return resources
    }

    /// Decodes one REST method.
    static func decodeMethod(
        _ entry: YAMLMapping.Entry,
        of api: APIDefinition,
        reader: inout YAMLReader
    ) -> MethodDefinition? {
        guard let mapping = reader.mapping(entry.value, path: entry.path, keys: Self.methodKeys) else { return nil }
        var method = MethodDefinition(httpMethod: entry.key)
        if let integration = mapping["integration"] {
            method.integration = Self.decodeIntegration(
                integration,
                path: mapping.path("integration"),
                protocolType: .rest,
                strict: true,
                reader: &reader
            )
        }
        if let typeNode = mapping["authorizationType"],
            let type = reader.string(typeNode, path: mapping.path("authorizationType"))
        {
            if Self.restAuthorizationTypes.contains(type) {
                method.authorizationType = type
            } else {
                reader.report(
                    "must be one of \(Self.restAuthorizationTypes.joined(separator: ", ")) (got \(type))",
                    at: typeNode,
                    path: mapping.path("authorizationType")
                )
            }
        }
        method.authorizerId = Self.optionalString(mapping, "authorizerId", &reader)
        if let id = method.authorizerId, api.authorizers[id] == nil {
            reader.report("no authorizer named '\(id)' in this API's authorizers", path: mapping.path("authorizerId"))
        }
        Self.readBool(mapping, "apiKeyRequired", into: &method.apiKeyRequired, &reader)
        if let validator = mapping["requestValidator"] {
            method.requestValidator = reader.choice(
                validator,
                path: mapping.path("requestValidator"),
                from: MethodDefinition.RequestValidator.allCases
            )
        }
        if let models = mapping["requestModels"] {
            let modelsPath = mapping.path("requestModels")
            method.requestModels = reader.stringMap(models, path: modelsPath)
            for (contentType, name) in method.requestModels.sorted(by: { $0.key < $1.key })
            where api.models[name] == nil && !Self.builtInModels.contains(name) {
                let known = api.models.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                reader.report(
                    "no model named '\(name)' in this API's models" + (known.isEmpty ? "" : " (has \(known))"),
                    path: YAMLReader.join(modelsPath, contentType)
                )
            }
        }
        if let parameters = mapping["requestParameters"],
            let map = reader.mapping(parameters, path: mapping.path("requestParameters"), keys: nil)
        {
            for item in map.entries {
                guard Self.isMethodRequestParameter(item.key) else {
                    reader.report(
                        "must be method.request.path.NAME, method.request.querystring.NAME or "
                            + "method.request.header.NAME",
                        at: item.keyNode,
                        path: item.path
                    )
                    continue
                }
                method.requestParameters[item.key] = reader.bool(item.value, path: item.path) ?? false
            }
        }
        return method
    }

    /// Whether `name` is `method.request.(path|querystring|header).NAME`.
    static func isMethodRequestParameter(_ name: String) -> Bool {
        for prefix in ["method.request.path.", "method.request.querystring.", "method.request.header."]
        where name.hasPrefix(prefix) {
            return Self.isParameterName(name.dropFirst(prefix.count))
        }
        return false
    }

    /// Checks a REST integration's `requestParameters`: targets `integration.request.(path|querystring|header).N`,
    /// sources `method.request.(path|querystring|multivaluequerystring|header|multivalueheader).N`,
    /// `method.request.body[.PATH]`, `context.N`, `stageVariables.N` or `'static'`.
    static func checkRESTRequestParameters(_ parameters: [String: String], path: String, reader: inout YAMLReader) {
        let targets = ["integration.request.path.", "integration.request.querystring.", "integration.request.header."]
        let sources = [
            "method.request.path.", "method.request.querystring.", "method.request.multivaluequerystring.",
            "method.request.header.", "method.request.multivalueheader.", "method.request.body.", "context.",
            "stageVariables.",
        ]
        for (target, source) in parameters.sorted(by: { $0.key < $1.key }) {
            let entryPath = YAMLReader.join(path, target)
            if !targets.contains(where: { target.hasPrefix($0) && target.count > $0.count }) {
                reader.report(
                    "target must be integration.request.path.NAME, integration.request.querystring.NAME or "
                        + "integration.request.header.NAME",
                    path: entryPath
                )
            }
            let isStatic = source.count >= 2 && source.hasPrefix("'") && source.hasSuffix("'")
            if !isStatic && source != "method.request.body"
                && !sources.contains(where: { source.hasPrefix($0) && source.count > $0.count })
            {
                reader.report(
                    "unsupported source '\(source)': use method.request.(path|querystring|header|"
                        + "multivaluequerystring|multivalueheader).NAME, method.request.body[.PATH], context.NAME, "
                        + "stageVariables.NAME or a 'static' value",
                    path: entryPath
                )
            }
        }
    }

    // MARK: - Models

    /// Decodes `models:` (name → JSON Schema draft 4), compiling each schema so that errors name the model.
    /// Models may `$ref` each other as AWS spells it: `https://apigateway.amazonaws.com/restapis/{id}/models/{Name}`.
    static func decodeModels(_ node: Node, path: String, apiId: String, reader: inout YAMLReader) -> [String: JSONValue]
    {
        guard let mapping = reader.mapping(node, path: path, keys: nil) else { return [:] }
        var schemas: [(entry: YAMLMapping.Entry, schema: JSONValue)] = []
        var remotes: [String: JSONValue] = [:]
        for entry in mapping.entries {
            let schema = Self.jsonValue(of: entry.value)
            schemas.append((entry, schema))
            remotes[JSONSchema.modelURI(apiId: apiId, name: entry.key)] = schema
        }
        var models: [String: JSONValue] = [:]
        for (entry, schema) in schemas {
            do {
                _ = try JSONSchema(schema, remotes: remotes)
                models[entry.key] = schema
            } catch {
                reader.report("not a valid JSON Schema (draft 4): \(error.message)", at: entry.value, path: entry.path)
            }
        }
        return models
    }

    /// Converts a YAML node to JSON: plain scalars by their resolved YAML type, quoted scalars as strings.
    static func jsonValue(of node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if YAMLReader.isNull(node) { return .null }
                if let bool = Bool.construct(from: scalar) { return .bool(bool) }
                if let int = Int.construct(from: scalar) { return .number(String(int)) }
                if let double = Double.construct(from: scalar), double.isFinite { return .number(scalar.string) }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                object[key.string ?? ""] = Self.jsonValue(of: value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map { Self.jsonValue(of: $0) })
        case .alias:
            return .null
        }
    }
}
