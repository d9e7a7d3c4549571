package import NIOCore
import SwitchboardCore

/// What an integration answered.
package struct IntegrationResult: Sendable {
    /// The status code (from the backend, a Lambda proxy result, or a MOCK template).
    package var statusCode: Int
    /// Response headers.
    package var headers: [(name: String, value: String)]
    /// The body to send back on a two-way route (for a Lambda proxy result, its `body`).
    package var body: ByteBuffer
    /// Whether the body should go back as a binary frame.
    package var isBinary: Bool

    /// Creates a result.
    package init(
        statusCode: Int,
        headers: [(name: String, value: String)] = [],
        body: ByteBuffer = ByteBuffer(),
        isBinary: Bool = false
    ) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.isBinary = isBinary
    }

    /// Whether the status is 2xx.
    package var isSuccess: Bool { (200..<300).contains(self.statusCode) }

    /// The first value of a header, case-insensitively.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}

/// Why an integration failed; each maps to one client-visible outcome.
package struct IntegrationError: Error, Sendable, CustomStringConvertible {
    /// The failure kinds.
    package enum Kind: String, Sendable {
        /// The backend did not answer within `timeoutInMillis`.
        case timeout
        /// The backend could not be reached.
        case unreachable
        /// The Lambda function raised an error.
        case functionError
        /// The backend's answer could not be interpreted.
        case malformedResponse
        /// The integration is misconfigured.
        case configuration
    }
    /// The kind.
    package var kind: Kind
    /// Detail for logs (never sent to clients).
    package var detail: String

    /// Creates an error.
    package init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// A log-friendly description.
    package var description: String { "\(self.kind.rawValue): \(self.detail)" }

    /// The status a `$connect` handshake answers with for this failure.
    package var handshakeStatus: Int {
        switch self.kind {
        case .timeout: 504
        case .unreachable, .functionError, .malformedResponse: 502
        case .configuration: 500
        }
    }
}
