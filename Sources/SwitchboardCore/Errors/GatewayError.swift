/// A client-visible failure: the status, `x-amzn-ErrorType` and message of a gateway response.
///
/// House rule 4: every failure the client can see is a `GatewayError`. Most carry a
/// ``GatewayResponseType`` (so a customized gateway response can replace the default); errors of the
/// `@connections` management API (`GoneException`, `ForbiddenException`, …) have none, because AWS does not
/// let users customize them.
package struct GatewayError: Error, Sendable, Equatable {
    /// The gateway-response type, or `nil` for errors that are not gateway responses (`@connections`).
    package var type: GatewayResponseType?
    /// The HTTP status code.
    package var status: Int
    /// The `x-amzn-ErrorType` header value, e.g. `MissingAuthenticationTokenException`.
    package var errorType: String
    /// The message, rendered as `{"message":…}` by default (`$context.error.messageString`).
    package var message: String
    /// A `www-authenticate` challenge sent with the response (JWT authorizers), `nil` for none.
    package var wwwAuthenticate: String?

    /// Creates an error from all of its parts.
    /// - Parameters:
    ///   - type: The gateway-response type, or `nil`.
    ///   - status: The HTTP status code.
    ///   - errorType: The `x-amzn-ErrorType` header value.
    ///   - message: The message.
    package init(type: GatewayResponseType?, status: Int, errorType: String, message: String) {
        self.type = type
        self.status = status
        self.errorType = errorType
        self.message = message
    }

    /// Creates an error with a gateway-response type's default status, error type and (unless given) message.
    /// - Parameters:
    ///   - type: The gateway-response type.
    ///   - message: The message; `nil` uses ``GatewayResponseType/defaultMessage``.
    package init(_ type: GatewayResponseType, message: String? = nil) {
        self.init(
            type: type,
            status: type.defaultStatus,
            errorType: type.errorType,
            message: message ?? type.defaultMessage
        )
    }

    /// The default response body, `{"message":"…"}`, with the message JSON-escaped.
    package var bodyJSON: String {
        JSONValue.object(JSONObject([("message", .string(self.message))])).serialized
    }
}

// MARK: - Factories

extension GatewayError {
    /// `@connections`: 410 `GoneException`, the connection no longer exists (or never did).
    package static var gone: GatewayError {
        GatewayError(
            type: nil,
            status: 410,
            errorType: "GoneException",
            message: "The connection with the provided id no longer exists."
        )
    }

    /// 403 `ForbiddenException` with the message `Forbidden` (`@connections` without permission, wrong endpoint).
    package static var forbidden: GatewayError {
        GatewayError(type: nil, status: 403, errorType: "ForbiddenException", message: "Forbidden")
    }

    /// `@connections`: 413 `PayloadTooLargeException`, the posted data exceeds 128 KiB.
    package static var payloadTooLarge: GatewayError {
        GatewayError(
            type: nil,
            status: 413,
            errorType: "PayloadTooLargeException",
            message: "The data has exceeded the maximum size allowed."
        )
    }

    /// `@connections`: 429 `LimitExceededException`, throttled or the client's outbound buffer is full.
    ///
    /// botocore retries this code automatically in standard retry mode.
    package static var limitExceeded: GatewayError {
        GatewayError(type: nil, status: 429, errorType: "LimitExceededException", message: "Limit Exceeded")
    }

    /// 404 `NotFoundException` with the message `Not Found` (HTTP APIs: no route matched).
    package static var notFound: GatewayError {
        GatewayError(type: .resourceNotFound, status: 404, errorType: "NotFoundException", message: "Not Found")
    }

    /// 403 `MissingAuthenticationTokenException` with `Missing Authentication Token` (REST: no route matched,
    /// or an IAM-protected resource was called unsigned).
    package static var missingAuthenticationToken: GatewayError {
        GatewayError(.missingAuthenticationToken)
    }

    /// 500 `InternalServerErrorException` with `Internal server error` (an integration or gateway fault).
    package static var internalError: GatewayError {
        GatewayError(.default5XX)
    }

    /// 502 `InternalServerErrorException` with `Internal server error`: a Lambda proxy integration returned
    /// a malformed response, as AWS reports it.
    package static var badGateway: GatewayError {
        GatewayError(
            type: .default5XX,
            status: 502,
            errorType: "InternalServerErrorException",
            message: "Internal server error"
        )
    }

    /// 504 `InternalServerErrorException` with `Endpoint request timed out` (`INTEGRATION_TIMEOUT`).
    package static var integrationTimeout: GatewayError {
        GatewayError(.integrationTimeout)
    }

    /// 401 `UnauthorizedException` with `Unauthorized` (an authorizer rejected the caller, or identity
    /// sources were missing).
    package static var unauthorized: GatewayError {
        GatewayError(.unauthorized)
    }

    /// 403 `AccessDeniedException`: an authorizer's policy denied the call.
    package static var accessDenied: GatewayError {
        GatewayError(.accessDenied)
    }

    /// 429 `TooManyRequestsException` with `Too Many Requests` (`THROTTLED`).
    package static var throttled: GatewayError {
        GatewayError(.throttled)
    }

    /// 400 `BadRequestException` listing missing required parameters, as AWS formats it.
    /// - Parameter names: The missing parameter names, in declaration order.
    /// - Returns: A `BAD_REQUEST_PARAMETERS` error such as `Missing required request parameters: [q1, q2]`.
    package static func missingRequestParameters(_ names: [String]) -> GatewayError {
        GatewayError(
            .badRequestParameters,
            message: "Missing required request parameters: [" + names.joined(separator: ", ") + "]"
        )
    }
}
