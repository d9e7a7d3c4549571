/// A variable that an API Gateway selection or mapping expression can reference, such as
/// `$request.body.action` or `${context.requestId}`.
package enum SelectionVariable: Sendable, Equatable {
    /// `request.body` (whole body, empty path) or `request.body.<jsonpath>`.
    case requestBody(JSONPath)
    /// `request.header.<name>`.
    case requestHeader(String)
    /// `request.querystring.<name>`.
    case requestQuerystring(String)
    /// `request.method`.
    case requestMethod
    /// `request.path`.
    case requestPath
    /// `request.basePath` (also spelled `request.basepath`).
    case requestBasePath
    /// `context.<name>`; `context.identity.sourceIp` is `.context("identity.sourceIp")`.
    case context(String)
    /// `stageVariables.<name>`.
    case stageVariable(String)
    /// `integration.response.statuscode` or `response.statuscode`.
    case integrationResponseStatusCode
    /// `integration.response.header.<name>` or `response.header.<name>`.
    case integrationResponseHeader(String)
    /// `integration.response.body` (whole body) or `integration.response.body.<jsonpath>`; also spelled
    /// `response.body…`.
    case integrationResponseBodyPath(JSONPath)

    /// Parses a variable name, without its `$` or braces.
    ///
    /// - Parameter name: For example `request.body.data.room` or `context.requestId`.
    /// - Throws: `SelectionExpressionError` for an unknown variable or an invalid body path; offsets count
    ///   from the start of `name`.
    package init(parsing name: String) throws(SelectionExpressionError) {
        self = try Self.parse(name, nameOffset: 0)
    }

    /// The canonical name of the variable, without `$` (`request.body.a[0]`, `context.requestId`).
    package var name: String {
        switch self {
        case .requestBody(let path): "request.body" + path.description.dropFirst()
        case .requestHeader(let name): "request.header." + name
        case .requestQuerystring(let name): "request.querystring." + name
        case .requestMethod: "request.method"
        case .requestPath: "request.path"
        case .requestBasePath: "request.basePath"
        case .context(let name): "context." + name
        case .stageVariable(let name): "stageVariables." + name
        case .integrationResponseStatusCode: "integration.response.statuscode"
        case .integrationResponseHeader(let name): "integration.response.header." + name
        case .integrationResponseBodyPath(let path): "integration.response.body" + path.description.dropFirst()
        }
    }

    /// Parses a variable name found at `nameOffset` in a larger expression, so errors point into it.
    static func parse(_ name: String, nameOffset: Int) throws(SelectionExpressionError) -> SelectionVariable {
        switch name {
        case "request.method": return .requestMethod
        case "request.path": return .requestPath
        case "request.basePath", "request.basepath": return .requestBasePath
        case "integration.response.statuscode", "response.statuscode": return .integrationResponseStatusCode
        default: break
        }
        if let path = try Self.bodyPath(name, prefix: "request.body", nameOffset: nameOffset) {
            return .requestBody(path)
        }
        for prefix in ["integration.response.body", "response.body"] {
            if let path = try Self.bodyPath(name, prefix: prefix, nameOffset: nameOffset) {
                return .integrationResponseBodyPath(path)
            }
        }
        if let rest = Self.suffix(of: name, after: "request.header.") { return .requestHeader(rest) }
        if let rest = Self.suffix(of: name, after: "request.querystring.") { return .requestQuerystring(rest) }
        if let rest = Self.suffix(of: name, after: "context.") { return .context(rest) }
        if let rest = Self.suffix(of: name, after: "stageVariables.") { return .stageVariable(rest) }
        for prefix in ["integration.response.header.", "response.header."] {
            if let rest = Self.suffix(of: name, after: prefix) { return .integrationResponseHeader(rest) }
        }
        throw SelectionExpressionError(offset: nameOffset, reason: "unknown variable '$\(name)'")
    }

    /// The non-empty remainder of `name` after `prefix`, or `nil`.
    private static func suffix(of name: String, after prefix: String) -> String? {
        guard name.utf8.count > prefix.utf8.count, name.hasPrefix(prefix) else { return nil }
        return String(name.utf8.dropFirst(prefix.utf8.count))
    }

    /// The JSONPath after a body prefix: empty for the bare prefix, parsed for `prefix.…` or `prefix[…]`,
    /// `nil` when `name` is not a body variable.
    private static func bodyPath(
        _ name: String,
        prefix: String,
        nameOffset: Int
    ) throws(SelectionExpressionError) -> JSONPath? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.utf8.dropFirst(prefix.utf8.count)
        guard let first = rest.first else { return JSONPath() }
        guard first == UInt8(ascii: ".") || first == UInt8(ascii: "[") else { return nil }
        do throws(JSONPathError) {
            return try JSONPath(parsing: "$" + (String(rest) ?? ""))
        } catch {
            // Offset `n` in "$rest" is byte `n - 1` of `rest`.
            throw SelectionExpressionError(
                offset: nameOffset + prefix.utf8.count + max(error.offset - 1, 0),
                reason: "invalid path in '$\(name)': \(error.reason)"
            )
        }
    }
}
