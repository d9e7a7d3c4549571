extension HTTPParameterMapping {
    /// Headers AWS refuses to map, by exact lower-cased name.
    private static let reservedHeaders: Set<String> = [
        "authorization", "connection", "content-encoding", "content-length", "content-location", "forwarded",
        "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding",
        "upgrade", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "via",
    ]

    /// Headers AWS refuses to map, by lower-cased prefix.
    private static let reservedHeaderPrefixes = ["access-control-", "apigw-", "x-amz-", "x-amzn-"]

    /// Whether AWS reserves a header, so no request or response mapping may target it: `access-control-*`,
    /// `apigw-*`, `Authorization`, `Connection`, `Content-Encoding`, `Content-Length`, `Content-Location`,
    /// `Forwarded`, `Keep-Alive`, `Origin`, `Proxy-Authenticate`, `Proxy-Authorization`, `TE`, `Trailers`,
    /// `Transfer-Encoding`, `Upgrade`, `x-amz-*`, `x-amzn-*`, `X-Forwarded-For`, `X-Forwarded-Host`,
    /// `X-Forwarded-Proto` and `Via`.
    /// - Parameter name: The header name, in any case.
    /// - Returns: `true` when the header is reserved.
    package static func isReservedHeader(_ name: some StringProtocol) -> Bool {
        let lowered = name.asciiLowercased
        return Self.reservedHeaders.contains(lowered) || Self.reservedHeaderPrefixes.contains { lowered.hasPrefix($0) }
    }

    // MARK: - Validation

    /// Checks one `requestParameters` entry.
    /// - Parameters:
    ///   - requestKey: The key, e.g. `append:header.header1`.
    ///   - value: The value, e.g. `$context.requestId`.
    /// - Returns: A message naming the problem, or `nil` when the entry is valid.
    package static func validate(requestKey: String, value: String) -> String? {
        guard case .failure(let error) = Self.compileRequest(key: requestKey, value: value) else { return nil }
        return error.message
    }

    /// Checks one entry of a status code's `responseParameters`.
    /// - Parameters:
    ///   - responseKey: The key, e.g. `overwrite:statuscode`.
    ///   - value: The value, e.g. `403`.
    /// - Returns: A message naming the problem, or `nil` when the entry is valid.
    package static func validate(responseKey: String, value: String) -> String? {
        guard case .failure(let error) = Self.compileResponse(key: responseKey, value: value) else { return nil }
        return error.message
    }

    /// Checks a `responseParameters` key, which must be an integration status code.
    /// - Parameter responseStatusKey: The key, e.g. `500`.
    /// - Returns: A message naming the problem, or `nil` when the key is a status code from 100 to 599.
    package static func validate(responseStatusKey: String) -> String? {
        guard responseStatusKey.utf8.count == 3, let code = Int(responseStatusKey), (100...599).contains(code) else {
            return "responseParameters key '\(responseStatusKey)' must be an HTTP status code such as 500"
        }
        return nil
    }

    // MARK: - Compiling

    /// Compiles a request entry.
    static func compileRequest(key: String, value: String) -> Result<Rule<RequestTarget>, HTTPMappingValue.ParseError> {
        let expected =
            "expected append|overwrite|remove:header.<name>, append|overwrite|remove:querystring.<name> or "
            + "overwrite:path"
        guard let (action, target) = Self.splitKey(key) else { return Self.failure(key, expected) }
        let parsedTarget: RequestTarget
        if target == "path" {
            guard action == .overwrite else { return Self.failure(key, "only overwrite is supported for path") }
            parsedTarget = .path
        } else if let name = Self.name(after: "header.", in: target) {
            if Self.isReservedHeader(name) {
                return Self.failure(key, "header '\(name)' is reserved and cannot be mapped")
            }
            parsedTarget = .header(name)
        } else if let name = Self.name(after: "querystring.", in: target) {
            parsedTarget = .querystring(name)
        } else {
            return Self.failure(key, expected)
        }
        return Self.compileValue(key: key, value: value, action: action, allowResponse: false).map {
            Rule(action: action, target: parsedTarget, value: $0)
        }
    }

    /// Compiles a response entry.
    static func compileResponse(
        key: String,
        value: String
    ) -> Result<Rule<ResponseTarget>, HTTPMappingValue.ParseError> {
        let expected = "expected append|overwrite|remove:header.<name> or overwrite:statuscode"
        guard let (action, target) = Self.splitKey(key) else { return Self.failure(key, expected) }
        let parsedTarget: ResponseTarget
        if target == "statuscode" {
            guard action == .overwrite else { return Self.failure(key, "only overwrite is supported for statuscode") }
            parsedTarget = .statusCode
        } else if let name = Self.name(after: "header.", in: target) {
            if Self.isReservedHeader(name) {
                return Self.failure(key, "header '\(name)' is reserved and cannot be mapped")
            }
            parsedTarget = .header(name)
        } else {
            return Self.failure(key, expected)
        }
        let compiled = Self.compileValue(key: key, value: value, action: action, allowResponse: true)
        if case .success(let mappingValue) = compiled, parsedTarget == .statusCode,
            case .literal(let text)? = mappingValue.parts.first, mappingValue.parts.count == 1,
            Self.statusCodeIsValid(text) == false
        {
            return Self.failure(key, "status code '\(text)' must be an integer from 100 to 599")
        }
        return compiled.map { Rule(action: action, target: parsedTarget, value: $0) }
    }

    private static func compileValue(
        key: String,
        value: String,
        action: Action,
        allowResponse: Bool
    ) -> Result<HTTPMappingValue, HTTPMappingValue.ParseError> {
        if action == .remove { return .success(HTTPMappingValue(parts: [])) }
        let compiled: HTTPMappingValue
        do {
            compiled = try HTTPMappingValue(parsing: value)
        } catch {
            return Self.failure(key, "invalid value: \(error.message)")
        }
        if compiled.parts.isEmpty { return Self.failure(key, "the value must not be empty") }
        for reference in compiled.references {
            if allowResponse, reference.readsRequest {
                return Self.failure(key, "response mappings cannot read $request values")
            }
            if !allowResponse, reference.readsResponse {
                return Self.failure(key, "request mappings cannot read $response values")
            }
        }
        return .success(compiled)
    }

    private static func statusCodeIsValid(_ text: String) -> Bool {
        guard let code = Int(text.trimmingWhitespace()) else { return false }
        return (100...599).contains(code)
    }

    private static func splitKey(_ key: String) -> (Action, Substring)? {
        guard let colon = key.firstIndex(of: ":"), let action = Action(rawValue: String(key[..<colon])) else {
            return nil
        }
        return (action, key[key.index(after: colon)...])
    }

    private static func name(after prefix: String, in target: Substring) -> String? {
        guard target.hasPrefix(prefix), target.count > prefix.count else { return nil }
        return String(target.dropFirst(prefix.count))
    }

    private static func failure<Success>(
        _ key: String,
        _ reason: String
    ) -> Result<Success, HTTPMappingValue.ParseError> {
        .failure(HTTPMappingValue.ParseError(message: "'\(key)': \(reason)"))
    }
}
