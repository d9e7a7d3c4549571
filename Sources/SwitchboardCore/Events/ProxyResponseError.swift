/// Why a Lambda proxy integration's result could not be turned into a response.
///
/// AWS answers a ``Kind/malformed`` result with `502 {"message":"Internal server error"}` (execution log:
/// `Execution failed due to configuration error: Malformed Lambda proxy response`) and a body that claims
/// base64 but is not (``Kind/invalidBase64``) with a 500; ``gatewayError`` gives those responses.
package struct ProxyResponseError: Error, Sendable, Equatable {
    /// The kind of failure.
    package enum Kind: Sendable {
        /// The result is not a proxy response: not JSON, not an object, an unknown member, a member of the
        /// wrong type, or a Lambda function error (`errorMessage`).
        case malformed
        /// `isBase64Encoded` is `true` but `body` is not valid base64.
        case invalidBase64
    }

    /// The kind of failure.
    package var kind: Kind
    /// A short description for the execution log (never shown to the client).
    package var detail: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - detail: A short description.
    package init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// A ``Kind/malformed`` error.
    /// - Parameter detail: A short description.
    /// - Returns: The error.
    package static func malformed(_ detail: String) -> ProxyResponseError {
        ProxyResponseError(kind: .malformed, detail: detail)
    }

    /// The client-visible error AWS returns for this failure: 502 for a malformed result, 500 for an invalid
    /// base64 body.
    package var gatewayError: GatewayError {
        switch self.kind {
        case .malformed: .badGateway
        case .invalidBase64: .internalError
        }
    }
}
