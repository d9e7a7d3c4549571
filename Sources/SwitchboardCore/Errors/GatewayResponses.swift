/// An API's gateway responses (`gatewayResponses`), compiled once: renders every ``GatewayError`` the way AWS
/// would with the API's customizations.
///
/// Rules (AWS `supported-gateway-response-types`, `api-gateway-gatewayResponse-definition`):
/// - Uncustomized: the error's status, `Content-Type: application/json`, `x-amzn-ErrorType` and the body
///   `{"message":$context.error.messageString}`, byte-for-byte ``GatewayError/bodyJSON``.
/// - A type without its own override falls back to `DEFAULT_4XX` or `DEFAULT_5XX`, chosen by the error's status
///   class (its headers and templates). A `DEFAULT_4XX`/`DEFAULT_5XX` `statusCode` replaces the status of every
///   4XX/5XX response whose own override sets none. `UNAUTHORIZED` inherits too: AWS's table omits the sentence
///   for it, but adding CORS headers to `DEFAULT_4XX` is the widely used way to decorate authorizer 401s.
/// - `REQUEST_TOO_LARGE` cannot be customized (AWS known issue): its overrides, and the fallback, are ignored.
/// - Errors without a type (the `@connections` API) are never customized.
/// - The body template is chosen by the request's `Accept` (first media range with an exact template, ignoring
///   parameters); otherwise `application/json`; otherwise the first content type in sorted order. An override
///   without templates keeps the default template. The chosen content type becomes `Content-Type`.
/// - Header mappings (`gatewayresponse.header.<Name>`) are added after `Content-Type` and `x-amzn-ErrorType` and
///   replace a header of the same name; a source without a value adds nothing.
package struct GatewayResponses: Sendable {
    /// A header source.
    private enum HeaderSource: Sendable, Equatable {
        case constant(String)
        case requestHeader(String)
        case requestQueryString(String)
        case requestPathParameter(String)
        case inputParameter(String)
        case stageVariable(String)
        case context(String)
    }

    /// One override, compiled.
    private struct Compiled: Sendable {
        var statusCode: Int?
        var headers: [(name: String, source: HeaderSource)]
        var templates: [(contentType: String, template: GatewayResponseTemplate)]
    }

    private let overrides: [GatewayResponseType: Compiled]

    /// No customizations: every error renders as AWS's default.
    package init() {
        self.overrides = [:]
    }

    /// Compiles the API's customizations. Entries that do not compile (see ``validate(parameterKey:value:)``) and
    /// statuses outside 100–599 are skipped.
    /// - Parameter overrides: Overrides by response type.
    package init(_ overrides: [GatewayResponseType: GatewayResponseOverride]) {
        var compiled: [GatewayResponseType: Compiled] = [:]
        for (type, override) in overrides where type != .requestTooLarge {
            var headers: [(name: String, source: HeaderSource)] = []
            for (key, value) in override.responseParameters.sorted(by: { $0.key < $1.key }) {
                guard case .success(let header) = Self.compileParameter(key: key, value: value) else { continue }
                headers.append(header)
            }
            let templates = override.responseTemplates.sorted { $0.key < $1.key }.map {
                (contentType: $0.key, template: GatewayResponseTemplate($0.value))
            }
            let status = override.statusCode.flatMap { (100...599).contains($0) ? $0 : nil }
            compiled[type] = Compiled(statusCode: status, headers: headers, templates: templates)
        }
        self.overrides = compiled
    }

    // MARK: - Rendering

    /// Renders an error as the client sees it.
    /// - Parameters:
    ///   - error: The error.
    ///   - context: The request-side values for templates and header mappings.
    /// - Returns: The status, headers and body to send.
    package func render(
        _ error: GatewayError,
        context: some GatewayResponseContext
    ) -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        let (own, fallback) = self.overrides(for: error)
        let chosen = own ?? fallback
        let status = own?.statusCode ?? fallback?.statusCode ?? error.status

        var contentType = "application/json"
        var template = GatewayResponseTemplate.default
        if let templates = chosen?.templates, !templates.isEmpty {
            let index = Self.templateIndex(templates.map(\.contentType), accept: context.requestHeader("Accept"))
            contentType = templates[index].contentType
            template = templates[index].template
        }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", contentType), ("x-amzn-ErrorType", error.errorType),
        ]
        if let challenge = error.wwwAuthenticate { headers.append(("www-authenticate", challenge)) }
        for (name, source) in chosen?.headers ?? [] {
            guard let value = Self.resolve(source, context: context) else { continue }
            headers.removeAll { $0.name.caseInsensitiveEquals(name) }
            headers.append((name, value))
        }
        return (status, headers, Array(template.render(error: error, context: context).utf8))
    }

    private func overrides(for error: GatewayError) -> (own: Compiled?, fallback: Compiled?) {
        guard let type = error.type, type != .requestTooLarge else { return (nil, nil) }
        let fallback: Compiled?
        switch error.status {
        case 400...499: fallback = self.overrides[.default4XX]
        case 500...599: fallback = self.overrides[.default5XX]
        default: fallback = nil
        }
        return (self.overrides[type], fallback)
    }

    /// Picks a template: the first `Accept` media range with an exact template, else `application/json`, else the
    /// first one.
    private static func templateIndex(_ contentTypes: [String], accept: String?) -> Int {
        for range in accept?.commaSeparatedElements ?? [] {
            let mediaType = range.split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace() } ?? ""
            if let index = contentTypes.firstIndex(where: { $0.caseInsensitiveEquals(mediaType) }) {
                return index
            }
        }
        return contentTypes.firstIndex { $0.caseInsensitiveEquals("application/json") } ?? 0
    }

    private static func resolve(_ source: HeaderSource, context: some GatewayResponseContext) -> String? {
        switch source {
        case .constant(let text): text
        case .requestHeader(let name): context.requestHeader(name)
        case .requestQueryString(let name): context.requestQueryString(name)
        case .requestPathParameter(let name): context.requestPathParameter(name)
        case .inputParameter(let name):
            context.requestPathParameter(name) ?? context.requestQueryString(name) ?? context.requestHeader(name)
        case .stageVariable(let name): context.stageVariable(name)
        case .context(let name) where name == "requestId": context.requestId
        case .context(let name): context.contextVariable(name)
        }
    }

    // MARK: - Validation

    /// Checks one `responseParameters` entry of a gateway response.
    /// - Parameters:
    ///   - parameterKey: The key, `gatewayresponse.header.<Name>`.
    ///   - value: The source: `'static'`, `method.request.header.<n>`, `method.request.querystring.<n>`,
    ///     `method.request.path.<n>`, `stageVariables.<n>` or `context.<n>`.
    /// - Returns: A message naming the problem, or `nil` when the entry is valid.
    package static func validate(parameterKey: String, value: String) -> String? {
        guard case .failure(let message) = Self.compileParameter(key: parameterKey, value: value) else { return nil }
        return message.text
    }

    /// Checks a gateway response's `statusCode`.
    /// - Parameter statusCode: The configured status.
    /// - Returns: A message naming the problem, or `nil` when it matches AWS's `[1-5]\d\d`.
    package static func validate(statusCode: Int) -> String? {
        (100...599).contains(statusCode) ? nil : "statusCode \(statusCode) must be between 100 and 599"
    }

    private struct Invalid: Error {
        var text: String
    }

    private static func compileParameter(
        key: String,
        value: String
    ) -> Result<(name: String, source: HeaderSource), Invalid> {
        let prefix = "gatewayresponse.header."
        guard key.hasPrefix(prefix), key.utf8.count > prefix.utf8.count else {
            return .failure(Invalid(text: "'\(key)': expected gatewayresponse.header.<name>"))
        }
        let name = String(key.dropFirst(prefix.count))
        if value.utf8.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return .success((name, .constant(String(value.dropFirst().dropLast()))))
        }
        let sources: [(prefix: String, make: (String) -> HeaderSource)] = [
            ("method.request.header.", { .requestHeader($0) }),
            ("method.request.querystring.", { .requestQueryString($0) }),
            ("method.request.path.", { .requestPathParameter($0) }),
            ("method.input.params.", { .inputParameter($0) }),
            ("stageVariables.", { .stageVariable($0) }),
            ("context.", { .context($0) }),
        ]
        for (sourcePrefix, make) in sources where value.hasPrefix(sourcePrefix) && value.count > sourcePrefix.count {
            return .success((name, make(String(value.dropFirst(sourcePrefix.count)))))
        }
        return .failure(
            Invalid(
                text: "'\(key)': unsupported source '\(value)' (use 'static text', method.request.header|querystring|"
                    + "path.<name>, stageVariables.<name> or context.<name>)"
            )
        )
    }
}
