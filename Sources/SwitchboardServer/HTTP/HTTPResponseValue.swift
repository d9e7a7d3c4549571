package import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// A complete HTTP response produced by the gateway (management API, handshake rejections, errors).
package struct HTTPResponseValue: Sendable {
    /// Status code.
    package var status: Int
    /// Headers.
    package var headers: [(name: String, value: String)]
    /// Body.
    package var body: ByteBuffer

    /// Creates a response.
    package init(status: Int, headers: [(name: String, value: String)] = [], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    package static func json(_ status: Int, _ json: String, headers: [(name: String, value: String)] = []) -> Self {
        HTTPResponseValue(
            status: status,
            headers: [("Content-Type", "application/json")] + headers,
            body: ByteBuffer(string: json)
        )
    }

    /// An AWS-shaped error: `{"message": …}` with `x-amzn-ErrorType`.
    package static func error(_ error: GatewayError) -> Self {
        .json(
            error.status,
            error.bodyJSON,
            headers: [("x-amzn-ErrorType", error.errorType)]
                + (error.wwwAuthenticate.map { [("www-authenticate", $0)] } ?? [])
        )
    }
}
