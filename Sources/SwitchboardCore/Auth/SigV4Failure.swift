/// Why a request failed AWS Signature Version 4 verification, with an AWS-style message.
package struct SigV4Failure: Error, Sendable, Equatable {
    /// The class of failure; each maps to one client-visible ``GatewayError``.
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Neither an `Authorization` header nor presigned query parameters were sent.
        case missingAuthenticationToken
        /// The signature information is malformed or incomplete (`IncompleteSignatureException`).
        case incompleteSignature
        /// The access key id is not one of the configured credentials (`UnrecognizedClientException`).
        case unknownAccessKey
        /// The signature, its credential scope or the payload hash does not match (`InvalidSignatureException`).
        case signatureMismatch
        /// The request time is outside the allowed clock skew, or a presigned URL has expired.
        case expired
    }

    /// The class of failure.
    package var kind: Kind
    /// The message AWS would send for this failure.
    package var message: String

    /// Creates a failure.
    /// - Parameters:
    ///   - kind: The class of failure.
    ///   - message: The AWS-style message.
    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The gateway error to send for this failure (403 in every case, as AWS does).
    package var gatewayError: GatewayError {
        switch self.kind {
        case .missingAuthenticationToken:
            GatewayError(.missingAuthenticationToken, message: self.message)
        case .incompleteSignature:
            GatewayError(
                type: .invalidSignature,
                status: 403,
                errorType: "IncompleteSignatureException",
                message: self.message
            )
        case .unknownAccessKey:
            GatewayError(
                type: .invalidSignature,
                status: 403,
                errorType: "UnrecognizedClientException",
                message: self.message
            )
        case .signatureMismatch, .expired:
            GatewayError(.invalidSignature, message: self.message)
        }
    }
}

extension SigV4Failure {
    static let missingToken = SigV4Failure(.missingAuthenticationToken, "Missing Authentication Token")
    static let mismatch = SigV4Failure(
        .signatureMismatch,
        "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )
    static let unknownKey = SigV4Failure(.unknownAccessKey, "The security token included in the request is invalid.")
}
