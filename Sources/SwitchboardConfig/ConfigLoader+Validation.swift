internal import SwitchboardCore

extension ConfigLoader {
    /// Checks that span the document, after decoding: API ids are unique, and domain mappings name existing
    /// APIs and stages without repeating a base path. Positions come from the reader's key-path table.
    static func validate(_ config: GatewayConfig, reader: inout YAMLReader) {
        Self.checkUsagePlans(config, reader: &reader)
        var firstPathOfId: [String: String] = [:]
        for (index, api) in config.apis.enumerated() where !api.id.isEmpty {
            let path = YAMLReader.join(YAMLReader.join("apis", index: index), "id")
            if let first = firstPathOfId[api.id] {
                reader.report("duplicate API id '\(api.id)' (first used at \(first))", path: path)
            } else {
                firstPathOfId[api.id] = path
            }
        }
        for (domainIndex, domain) in config.domains.enumerated() {
            let domainPath = YAMLReader.join("domains", index: domainIndex)
            var seenKeys: Set<String> = []
            for (index, mapping) in domain.mappings.enumerated() {
                let path = YAMLReader.join(YAMLReader.join(domainPath, "mappings"), index: index)
                if !seenKeys.insert(mapping.apiMappingKey).inserted {
                    reader.report(
                        "duplicate apiMappingKey '\(mapping.apiMappingKey)' on domain '\(domain.domainName)'",
                        path: YAMLReader.join(path, "apiMappingKey")
                    )
                }
                guard !mapping.api.isEmpty else { continue }
                guard let api = config.api(id: mapping.api) else {
                    let known = config.apis.map(\.id).filter { !$0.isEmpty }.map { "'\($0)'" }
                    reader.report(
                        "no API with id '\(mapping.api)'"
                            + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"),
                        path: YAMLReader.join(path, "api")
                    )
                    continue
                }
                if !mapping.stage.isEmpty && api.stage(named: mapping.stage) == nil {
                    let known = api.stages.map { "'\($0.name)'" }.joined(separator: ", ")
                    reader.report(
                        "API '\(api.id)' has no stage '\(mapping.stage)'"
                            + (known.isEmpty ? "" : " (has \(known))"),
                        path: YAMLReader.join(path, "stage")
                    )
                }
            }
        }
    }

    // MARK: - Request parameters

    /// The `route.request.…` sources a WebSocket integration may map from.
    static let routeRequestSources = [
        "route.request.header.", "route.request.querystring.", "route.request.multivalueheader.",
        "route.request.multivaluequerystring.", "route.request.body.",
    ]

    /// Checks `requestParameters` of a WebSocket integration: each target is
    /// `integration.request.(header|querystring).NAME`; each source is `context.X`, `stageVariables.X`,
    /// `route.request.(header|querystring|multivalueheader|multivaluequerystring).X`, `route.request.body.X`,
    /// or a `'static'` value.
    static func checkRequestParameters(_ parameters: [String: String], path: String, reader: inout YAMLReader) {
        for (target, source) in parameters.sorted(by: { $0.key < $1.key }) {
            let entryPath = YAMLReader.join(path, target)
            if !Self.isRequestParameterTarget(target) {
                reader.report(
                    "target must be integration.request.header.NAME or integration.request.querystring.NAME",
                    path: entryPath
                )
            }
            if !Self.isRequestParameterSource(source) {
                reader.report(
                    "unsupported source '\(source)': use context.NAME, stageVariables.NAME, "
                        + "route.request.(header|querystring|multivalueheader|multivaluequerystring).NAME, "
                        + "route.request.body.PATH or a 'static' value",
                    path: entryPath
                )
            }
        }
    }

    /// Whether `target` is `integration.request.header.NAME` or `integration.request.querystring.NAME`.
    static func isRequestParameterTarget(_ target: String) -> Bool {
        for prefix in ["integration.request.header.", "integration.request.querystring."]
        where target.hasPrefix(prefix) {
            return Self.isParameterName(target.dropFirst(prefix.count))
        }
        return false
    }

    /// Whether `source` is one of the request parameter sources a WebSocket integration accepts.
    static func isRequestParameterSource(_ source: String) -> Bool {
        if source.count >= 2 && source.hasPrefix("'") && source.hasSuffix("'") { return true }
        for prefix in ["context.", "stageVariables."] + Self.routeRequestSources where source.hasPrefix(prefix) {
            return Self.isParameterName(source.dropFirst(prefix.count))
        }
        return false
    }

    /// A non-empty name with no whitespace or control characters.
    static func isParameterName(_ name: Substring) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }
}
