/// One customized gateway response (AWS `GatewayResponse`, `x-amazon-apigateway-gateway-responses.<TYPE>`).
///
/// Keys, all optional:
/// - `statusCode` (Int, AWS pattern `[1-5]\d\d`): replaces the type's status. On `DEFAULT_4XX`/`DEFAULT_5XX` it
///   replaces the status of every 4XX/5XX response that does not set its own.
/// - `responseParameters` (map): `gatewayresponse.header.<Name>` → a source: `'static text'`,
///   `method.request.header.<n>`, `method.request.querystring.<n>`, `method.request.path.<n>`,
///   `stageVariables.<n>` or `context.<n>`.
/// - `responseTemplates` (map): content type (e.g. `application/json`) → a body template. Templates are not
///   VTL: they only substitute `$context.*` (including `$context.error.message`, `messageString`,
///   `responseType` and `validationErrorString`) and `$stageVariables.*`.
///
/// ``GatewayResponses`` compiles a set of these once per API.
package struct GatewayResponseOverride: Sendable, Equatable {
    /// The status to send instead of the type's default, or `nil` to keep it.
    package var statusCode: Int?
    /// Header mappings: `gatewayresponse.header.<Name>` → source.
    package var responseParameters: [String: String]
    /// Body templates by content type.
    package var responseTemplates: [String: String]

    /// Creates an override.
    /// - Parameters:
    ///   - statusCode: The status, or `nil` to keep the default.
    ///   - responseParameters: Header mappings.
    ///   - responseTemplates: Body templates by content type.
    package init(
        statusCode: Int? = nil,
        responseParameters: [String: String] = [:],
        responseTemplates: [String: String] = [:]
    ) {
        self.statusCode = statusCode
        self.responseParameters = responseParameters
        self.responseTemplates = responseTemplates
    }
}
