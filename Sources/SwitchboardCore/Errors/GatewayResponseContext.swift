/// The request-side values a gateway response may use: `$context.*` and `$stageVariables.*` in templates, and
/// `method.request.*`, `context.*` and `stageVariables.*` in header mappings.
///
/// Only ``requestId`` is required; every lookup defaults to `nil`, so an error raised before routing can use a
/// minimal context.
package protocol GatewayResponseContext {
    /// `$context.requestId`.
    var requestId: String { get }
    /// `$context.error.validationErrorString`: the detailed request-validation message, if any.
    var validationErrorString: String? { get }
    /// `$context.<name>` other than `requestId` and `error.*`, e.g. `stage`, `apiId`, `authorizer.principalId`.
    /// - Parameter name: The variable name without `$context.`.
    /// - Returns: The value, or `nil` when it is not set.
    func contextVariable(_ name: String) -> String?
    /// `$stageVariables.<name>`.
    /// - Parameter name: The stage variable name.
    /// - Returns: The value, or `nil` when it is not set.
    func stageVariable(_ name: String) -> String?
    /// `method.request.header.<name>` (matched ASCII case-insensitively). Also used for `Accept`, which picks the
    /// body template.
    /// - Parameter name: The header name.
    /// - Returns: The value, or `nil` when absent.
    func requestHeader(_ name: String) -> String?
    /// `method.request.querystring.<name>`.
    /// - Parameter name: The parameter name.
    /// - Returns: The value, or `nil` when absent.
    func requestQueryString(_ name: String) -> String?
    /// `method.request.path.<name>`.
    /// - Parameter name: The path parameter name.
    /// - Returns: The value, or `nil` when absent (for instance before a route matched).
    func requestPathParameter(_ name: String) -> String?
}

extension GatewayResponseContext {
    /// Default: no validation details.
    package var validationErrorString: String? { nil }
    /// Default: no other context variables.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func contextVariable(_ name: String) -> String? { nil }
    /// Default: no stage variables.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func stageVariable(_ name: String) -> String? { nil }
    /// Default: no headers.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func requestHeader(_ name: String) -> String? { nil }
    /// Default: no query string.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func requestQueryString(_ name: String) -> String? { nil }
    /// Default: no path parameters.
    /// - Parameter name: Ignored.
    /// - Returns: `nil`.
    package func requestPathParameter(_ name: String) -> String? { nil }
}
