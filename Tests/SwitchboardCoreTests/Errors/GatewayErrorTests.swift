import Testing

@testable import SwitchboardCore

struct GatewayErrorTests {
    @Test(
        "every response type has AWS's default status and error type",
        arguments: [
            (GatewayResponseType.accessDenied, 403, "AccessDeniedException"),
            (.apiConfigurationError, 500, "ApiConfigurationException"),
            (.authorizerConfigurationError, 500, "AuthorizerConfigurationException"),
            (.authorizerFailure, 500, "AuthorizerFailureException"),
            (.badRequestParameters, 400, "BadRequestException"),
            (.badRequestBody, 400, "BadRequestException"),
            (.default4XX, 400, "BadRequestException"),
            (.default5XX, 500, "InternalServerErrorException"),
            (.expiredToken, 403, "ExpiredTokenException"),
            (.integrationFailure, 504, "InternalServerErrorException"),
            (.integrationTimeout, 504, "InternalServerErrorException"),
            (.invalidAPIKey, 403, "ForbiddenException"),
            (.invalidSignature, 403, "InvalidSignatureException"),
            (.missingAuthenticationToken, 403, "MissingAuthenticationTokenException"),
            (.quotaExceeded, 429, "LimitExceededException"),
            (.requestTooLarge, 413, "RequestTooLargeException"),
            (.resourceNotFound, 404, "ResourceNotFoundException"),
            (.throttled, 429, "TooManyRequestsException"),
            (.unauthorized, 401, "UnauthorizedException"),
            (.unsupportedMediaType, 415, "BadRequestException"),
            (.wafFiltered, 403, "WafFilteredException"),
        ] as [(GatewayResponseType, Int, String)]
    )
    func defaults(_ expected: (type: GatewayResponseType, status: Int, errorType: String)) {
        #expect(expected.type.defaultStatus == expected.status)
        #expect(expected.type.errorType == expected.errorType)
        #expect(!expected.type.defaultMessage.isEmpty)
        let error = GatewayError(expected.type)
        #expect(error.type == expected.type)
        #expect(error.status == expected.status)
        #expect(error.message == expected.type.defaultMessage)
    }

    @Test("all 21 AWS gateway response types exist with AWS raw values")
    func rawValues() {
        #expect(GatewayResponseType.allCases.count == 21)
        #expect(GatewayResponseType(rawValue: "MISSING_AUTHENTICATION_TOKEN") == .missingAuthenticationToken)
        #expect(GatewayResponseType(rawValue: "DEFAULT_4XX") == .default4XX)
        #expect(GatewayResponseType.invalidAPIKey.rawValue == "INVALID_API_KEY")
        #expect(GatewayResponseType.wafFiltered.rawValue == "WAF_FILTERED")
    }

    @Test("well-known AWS default messages")
    func defaultMessages() {
        #expect(GatewayError.missingAuthenticationToken.bodyJSON == #"{"message":"Missing Authentication Token"}"#)
        #expect(GatewayError.unauthorized.bodyJSON == #"{"message":"Unauthorized"}"#)
        #expect(GatewayError.throttled.bodyJSON == #"{"message":"Too Many Requests"}"#)
        #expect(GatewayError.integrationTimeout.message == "Endpoint request timed out")
        #expect(GatewayError(.badRequestBody).message == "Invalid request body")
        #expect(GatewayError(.quotaExceeded).message == "Limit Exceeded")
        #expect(GatewayError(.invalidAPIKey).message == "Forbidden")
    }

    @Test(
        "factories carry AWS's status, error type and message",
        arguments: [
            (GatewayError.gone, 410, "GoneException", "The connection with the provided id no longer exists."),
            (.forbidden, 403, "ForbiddenException", "Forbidden"),
            (.payloadTooLarge, 413, "PayloadTooLargeException", "The data has exceeded the maximum size allowed."),
            (.limitExceeded, 429, "LimitExceededException", "Limit Exceeded"),
            (.notFound, 404, "NotFoundException", "Not Found"),
            (.missingAuthenticationToken, 403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
            (.internalError, 500, "InternalServerErrorException", "Internal server error"),
            (.badGateway, 502, "InternalServerErrorException", "Internal server error"),
            (.integrationTimeout, 504, "InternalServerErrorException", "Endpoint request timed out"),
            (.unauthorized, 401, "UnauthorizedException", "Unauthorized"),
            (
                .accessDenied, 403, "AccessDeniedException",
                "User is not authorized to access this resource with an explicit deny"
            ),
            (.throttled, 429, "TooManyRequestsException", "Too Many Requests"),
        ] as [(GatewayError, Int, String, String)]
    )
    func factories(_ expected: (error: GatewayError, status: Int, errorType: String, message: String)) {
        #expect(expected.error.status == expected.status)
        #expect(expected.error.errorType == expected.errorType)
        #expect(expected.error.message == expected.message)
    }

    @Test("@connections errors are not customizable gateway responses")
    func connectionsErrorsHaveNoType() {
        for error in [GatewayError.gone, .forbidden, .payloadTooLarge, .limitExceeded] {
            #expect(error.type == nil)
        }
    }

    @Test("missing parameters are listed as AWS formats them")
    func missingParameters() {
        let error = GatewayError.missingRequestParameters(["q1", "h2"])
        #expect(error.type == .badRequestParameters)
        #expect(error.status == 400)
        #expect(error.bodyJSON == #"{"message":"Missing required request parameters: [q1, h2]"}"#)
    }

    @Test("bodyJSON escapes the message")
    func bodyEscaping() {
        let error = GatewayError(.default4XX, message: "quote \" backslash \\ newline \n tab \t ctl \u{1} é")
        #expect(error.bodyJSON == #"{"message":"quote \" backslash \\ newline \n tab \t ctl \u0001 é"}"#)
    }

    @Test("a custom message keeps the type's status and error type")
    func customMessage() {
        let error = GatewayError(.accessDenied, message: "User is not authorized to access this resource")
        #expect(
            error
                == GatewayError(
                    type: .accessDenied,
                    status: 403,
                    errorType: "AccessDeniedException",
                    message: "User is not authorized to access this resource"
                )
        )
    }
}
