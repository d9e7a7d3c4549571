/// Supplies the values an HTTP API parameter mapping reads (`$request.*`, `$response.*`, `$context.*`,
/// `$stageVariables.*`).
///
/// Values come from the original request (and, for response mappings, the original integration response), not
/// from the message being rewritten. Every requirement has a default returning `nil`, so a request-side resolver
/// need not implement the response lookups and vice versa. ``HTTPParameterMapping`` calls each body accessor at
/// most once per `apply`.
package protocol ParameterMappingResolver {
    /// `$request.header.<name>`: every value of the header (name matched ASCII case-insensitively), comma-joined
    /// as AWS does (`value1,value2`); see ``HTTPParameterMapping/headerValue(named:in:)``.
    /// - Parameter name: The header name as written in the mapping.
    /// - Returns: The joined value, or `nil` when the header is absent.
    func requestHeader(_ name: String) -> String?
    /// `$request.querystring.<name>`: every value of the parameter (name matched case-sensitively), comma-joined;
    /// see ``HTTPParameterMapping/queryValue(named:in:)``.
    /// - Parameter name: The parameter name.
    /// - Returns: The joined value, or `nil` when the parameter is absent.
    func requestQueryString(_ name: String) -> String?
    /// `$request.body`: the whole request body as text.
    /// - Returns: The body, or `nil` when there is none.
    func requestBodyText() -> String?
    /// The request body parsed as JSON, for `$request.body.<jsonpath>`. AWS truncates the body at 100 KB before
    /// applying the path, so a larger body should yield `nil`
    /// (``HTTPParameterMapping/bodyJSONPathLimit``).
    /// - Returns: The parsed body, or `nil` when it is absent, too large or not JSON.
    func requestBodyJSON() -> JSONValue?
    /// `$request.path`: the request path without the stage name.
    /// - Returns: The path.
    func requestPath() -> String?
    /// `$request.path.<name>`: a path parameter of the matched route, e.g. `petId` for `/pets/{petId}`.
    /// - Parameter name: The parameter name.
    /// - Returns: The value, or `nil` when the route has no such parameter.
    func requestPathParameter(_ name: String) -> String?
    /// `$context.<name>`: a context variable such as `requestId` or `authorizer.claims.sub`.
    /// - Parameter name: The variable name without `$context.`.
    /// - Returns: The value, or `nil` when it is not set.
    func contextVariable(_ name: String) -> String?
    /// `$stageVariables.<name>`.
    /// - Parameter name: The stage variable name.
    /// - Returns: The value, or `nil` when it is not set.
    func stageVariable(_ name: String) -> String?
    /// `$response.header.<name>`: every value of the integration response header, comma-joined.
    /// - Parameter name: The header name.
    /// - Returns: The joined value, or `nil` when absent.
    func responseHeader(_ name: String) -> String?
    /// `$response.body`: the whole integration response body as text.
    /// - Returns: The body, or `nil` when there is none.
    func responseBodyText() -> String?
    /// The integration response body parsed as JSON, for `$response.body.<jsonpath>`.
    /// - Returns: The parsed body, or `nil` when it is absent or not JSON.
    func responseBodyJSON() -> JSONValue?
}

extension ParameterMappingResolver {
    /// Default: no request headers.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func requestHeader(_ name: String) -> String? { nil }
    /// Default: no query string.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func requestQueryString(_ name: String) -> String? { nil }
    /// Default: no request body.
    /// - Returns: `nil`.
    package func requestBodyText() -> String? { nil }
    /// Default: no JSON request body.
    /// - Returns: `nil`.
    package func requestBodyJSON() -> JSONValue? { nil }
    /// Default: no path.
    /// - Returns: `nil`.
    package func requestPath() -> String? { nil }
    /// Default: no path parameters.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func requestPathParameter(_ name: String) -> String? { nil }
    /// Default: no context variables.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func contextVariable(_ name: String) -> String? { nil }
    /// Default: no stage variables.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func stageVariable(_ name: String) -> String? { nil }
    /// Default: no response headers.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func responseHeader(_ name: String) -> String? { nil }
    /// Default: no response body.
    /// - Returns: `nil`.
    package func responseBodyText() -> String? { nil }
    /// Default: no JSON response body.
    /// - Returns: `nil`.
    package func responseBodyJSON() -> JSONValue? { nil }
}
