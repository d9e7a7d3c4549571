package import AsyncHTTPClient
import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// Calls an authorizer function with its event: through the Lambda Invoke API for a Lambda ARN or invocation
/// URI (signed when credentials are configured), or as a JSON `POST` to an `http(s)://` URL.
package struct AuthorizerInvoker: Sendable {
    /// Why an authorizer gave no usable answer.
    package enum Failure: Error, Sendable, Equatable {
        /// The function said `Unauthorized` (a function error with that message, or HTTP 401): 401.
        case unauthorized
        /// It could not be called, failed, or answered something unusable: 500.
        case failed(String)
    }

    /// How long an authorizer may take (AWS's authorizer timeout).
    package static let timeoutMillis: Int64 = 10_000

    private let aws: AWSConfig
    private let client: HTTPClient
    private let signer: (any AWSRequestSigner)?

    /// Creates an invoker.
    package init(aws: AWSConfig, client: HTTPClient, signer: (any AWSRequestSigner)?) {
        self.aws = aws
        self.client = client
        self.signer = signer
    }

    /// The URL an authorizer URI is called at.
    package func url(for authorizerUri: String) -> String {
        LambdaProxyIntegration.invocationURL(uri: authorizerUri, aws: self.aws)
    }

    /// Invokes the function and returns its JSON output.
    package func invoke(url: String, event: JSONValue) async throws(Failure) -> JSONValue {
        let isHTTP = url.hasPrefix("http://") || url.hasPrefix("https://")
        let isLambda = !isHTTP || url.contains("/2015-03-31/functions/")
        let payload = Array(event.serialized.utf8)
        let request = LambdaProxyIntegration.invokeRequest(
            url: url,
            payload: payload,
            signer: isLambda ? self.signer : nil
        )
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            (response, body) = try await UpstreamCall.fetch(
                request,
                client: self.client,
                timeoutMillis: Self.timeoutMillis
            )
        } catch {
            throw .failed("authorizer unreachable: \(error)")
        }
        let status = Int(response.status.code)
        if status == 401 { throw .unauthorized }
        guard (200..<300).contains(status) else { throw .failed("authorizer answered \(status)") }
        let output = try? JSONValue.parse(body.readableBytesView)
        if response.headers.first(name: "X-Amz-Function-Error") != nil {
            // AWS turns a function error whose message is exactly "Unauthorized" into a 401.
            if output?["errorMessage"]?.stringValue == "Unauthorized" { throw .unauthorized }
            throw .failed("authorizer function error: \(String(buffer: body).prefix(200))")
        }
        guard let output else { throw .failed("authorizer output is not JSON") }
        if output.stringValue == "Unauthorized" { throw .unauthorized }
        return output
    }
}
