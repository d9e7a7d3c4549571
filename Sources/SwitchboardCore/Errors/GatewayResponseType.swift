/// The gateway-response types of Amazon API Gateway, with AWS's names as raw values.
///
/// Every client-visible failure maps to one of these (house rule 4). The raw value is what AWS uses in
/// `x-amazon-apigateway-gateway-responses`, in `$context.error.responseType`, and what we use as a metric
/// label. Defaults follow the reference's gateway-response table (`aws-http-rest.md` §5.3).
package enum GatewayResponseType: String, Sendable, CaseIterable {
    /// Authorization failure: an explicit deny from an authorizer policy or a resource policy.
    case accessDenied = "ACCESS_DENIED"
    /// Invalid API configuration, e.g. an invalid integration endpoint.
    case apiConfigurationError = "API_CONFIGURATION_ERROR"
    /// The authorizer could not be reached or is misconfigured.
    case authorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
    /// The authorizer failed to authenticate the caller (for example it threw or returned garbage).
    case authorizerFailure = "AUTHORIZER_FAILURE"
    /// Required request parameters are missing or blank.
    case badRequestParameters = "BAD_REQUEST_PARAMETERS"
    /// The request body failed model validation.
    case badRequestBody = "BAD_REQUEST_BODY"
    /// Any other 4XX error; customizing it changes every unspecified 4XX type.
    case default4XX = "DEFAULT_4XX"
    /// Any other 5XX error; customizing it changes every unspecified 5XX type.
    case default5XX = "DEFAULT_5XX"
    /// An AWS authentication token (session token) expired.
    case expiredToken = "EXPIRED_TOKEN"
    /// The integration failed.
    case integrationFailure = "INTEGRATION_FAILURE"
    /// The integration timed out.
    case integrationTimeout = "INTEGRATION_TIMEOUT"
    /// The API key is missing or invalid.
    case invalidAPIKey = "INVALID_API_KEY"
    /// The AWS Signature Version 4 signature is invalid.
    case invalidSignature = "INVALID_SIGNATURE"
    /// No authentication token, or an unknown resource/method (REST APIs).
    case missingAuthenticationToken = "MISSING_AUTHENTICATION_TOKEN"
    /// The usage-plan quota was exceeded.
    case quotaExceeded = "QUOTA_EXCEEDED"
    /// The request is larger than the gateway accepts.
    case requestTooLarge = "REQUEST_TOO_LARGE"
    /// No resource matched (after authentication and authorization).
    case resourceNotFound = "RESOURCE_NOT_FOUND"
    /// The request was throttled by stage, method or usage-plan limits.
    case throttled = "THROTTLED"
    /// The authorizer rejected the caller (custom or Cognito authorizer, or missing identity sources).
    case unauthorized = "UNAUTHORIZED"
    /// The payload's media type is not supported (strict passthrough behaviour).
    case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
    /// AWS WAF blocked the request.
    case wafFiltered = "WAF_FILTERED"

    /// The HTTP status AWS uses for this type when the response is not customized.
    ///
    /// `DEFAULT_4XX` and `DEFAULT_5XX` have no status of their own in AWS (the original error's status is
    /// kept); we use 400 and 500 when one is needed.
    package var defaultStatus: Int {
        switch self {
        case .accessDenied, .expiredToken, .invalidAPIKey, .invalidSignature, .missingAuthenticationToken,
            .wafFiltered:
            403
        case .apiConfigurationError, .authorizerConfigurationError, .authorizerFailure, .default5XX:
            500
        case .badRequestParameters, .badRequestBody, .default4XX:
            400
        case .integrationFailure, .integrationTimeout:
            504
        case .quotaExceeded, .throttled:
            429
        case .requestTooLarge:
            413
        case .resourceNotFound:
            404
        case .unauthorized:
            401
        case .unsupportedMediaType:
            415
        }
    }

    /// The `x-amzn-ErrorType` header value for this type (the text SDKs turn into an error code).
    package var errorType: String {
        switch self {
        case .accessDenied: "AccessDeniedException"
        case .apiConfigurationError: "ApiConfigurationException"
        case .authorizerConfigurationError: "AuthorizerConfigurationException"
        case .authorizerFailure: "AuthorizerFailureException"
        case .badRequestParameters, .badRequestBody, .unsupportedMediaType, .default4XX: "BadRequestException"
        case .default5XX, .integrationFailure, .integrationTimeout: "InternalServerErrorException"
        case .expiredToken: "ExpiredTokenException"
        case .invalidAPIKey: "ForbiddenException"
        case .invalidSignature: "InvalidSignatureException"
        case .missingAuthenticationToken: "MissingAuthenticationTokenException"
        case .quotaExceeded: "LimitExceededException"
        case .requestTooLarge: "RequestTooLargeException"
        case .resourceNotFound: "ResourceNotFoundException"
        case .throttled: "TooManyRequestsException"
        case .unauthorized: "UnauthorizedException"
        case .wafFiltered: "WafFilteredException"
        }
    }

    /// The `$context.error.messageString` AWS sends for this type when nothing more specific is known.
    package var defaultMessage: String {
        switch self {
        case .accessDenied: "User is not authorized to access this resource with an explicit deny"
        case .apiConfigurationError, .authorizerConfigurationError, .authorizerFailure, .default5XX:
            "Internal server error"
        case .badRequestParameters: "Missing required request parameters"
        case .badRequestBody: "Invalid request body"
        case .default4XX: "Bad Request"
        case .expiredToken: "The security token included in the request is expired"
        case .integrationFailure: "Network error communicating with endpoint"
        case .integrationTimeout: "Endpoint request timed out"
        case .invalidAPIKey, .wafFiltered: "Forbidden"
        case .invalidSignature:
            "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. "
                + "Consult the service documentation for details."
        case .missingAuthenticationToken: "Missing Authentication Token"
        case .quotaExceeded: "Limit Exceeded"
        case .requestTooLarge: "Request Too Long"
        case .resourceNotFound: "Not Found"
        case .throttled: "Too Many Requests"
        case .unauthorized: "Unauthorized"
        case .unsupportedMediaType: "Unsupported Media Type"
        }
    }
}
