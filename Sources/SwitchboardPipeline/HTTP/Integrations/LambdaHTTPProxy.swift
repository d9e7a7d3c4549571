package import AsyncHTTPClient
import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// AWS_PROXY for HTTP and REST APIs: invokes a Lambda function through the Lambda Invoke API with the proxy
/// event (REST: format 1.0; HTTP APIs: `payloadFormatVersion` 1.0 or 2.0) and turns its result into the
/// response as AWS does — 1.0 strictly (a malformed result is 502 `Internal server error`), 2.0 with
/// inferred responses, cookies and base64 bodies.
package struct LambdaHTTPProxy: HTTPIntegration {
    /// Which event and result format.
    package enum Format: Sendable {
        /// REST APIs.
        case rest
        /// HTTP API, payload format 1.0.
        case httpV1
        /// HTTP API, payload format 2.0.
        case httpV2
    }

    private let client: HTTPClient
    private let invocationURL: String
    private let timeoutMillis: Int64
    private let signer: (any AWSRequestSigner)?
    private let format: Format
    private let binaryMediaTypes: [String]

    /// Compiles the integration.
    package init(
        definition: IntegrationDefinition,
        format: Format,
        binaryMediaTypes: [String],
        aws: AWSConfig,
        client: HTTPClient,
        signer: (any AWSRequestSigner)?
    ) {
        self.client = client
        self.timeoutMillis = Int64(definition.timeoutInMillis)
        self.signer = signer
        self.format = format
        self.binaryMediaTypes = binaryMediaTypes
        self.invocationURL = LambdaProxyIntegration.invocationURL(uri: definition.uri ?? "", aws: aws)
    }

    /// Whether the request body goes to the function base64-encoded.
    func isBase64Body(_ exchange: HTTPExchange) -> Bool {
        guard exchange.body.readableBytes > 0 else { return false }
        let contentType = exchange.header("Content-Type")
        switch self.format {
        case .rest: return BinaryMediaTypes.matches(contentType: contentType, binaryMediaTypes: self.binaryMediaTypes)
        case .httpV1, .httpV2: return !BinaryMediaTypes.httpAPIIsText(contentType: contentType)
        }
    }

    package func invoke(_ exchange: HTTPExchange) async throws(GatewayError) -> HTTPGatewayResponse {
        let url = StageVariableSubstitution.apply(self.invocationURL, exchange.stageVariables)
        let proxyRequest = exchange.proxyRequest(isBase64Body: self.isBase64Body(exchange))
        let event: JSONValue
        switch self.format {
        case .rest: event = ProxyEvent.restV1(proxyRequest)
        case .httpV1: event = ProxyEvent.httpV1(proxyRequest)
        case .httpV2: event = ProxyEvent.httpV2(proxyRequest)
        }
        let payload = Array(event.serialized.utf8)
        let request = LambdaProxyIntegration.invokeRequest(url: url, payload: payload, signer: self.signer)
        let format = self.format
        // REST returns a base64 body as bytes only when the client accepts a binary media type.
        let decodeBase64 =
            format != .rest
            || BinaryMediaTypes.matches(contentType: exchange.header("Accept"), binaryMediaTypes: self.binaryMediaTypes)
        return try await HTTPUpstream.call(request, client: self.client, timeoutMillis: self.timeoutMillis) {
            response,
            body throws(GatewayError) in
            // The Invoke API failing, or the function raising, is a 502 as AWS answers it.
            guard (200..<300).contains(Int(response.status.code)),
                response.headers.first(name: "X-Amz-Function-Error") == nil
            else { throw .badGateway }
            let result: ProxyResponse
            do throws(ProxyResponseError) {
                switch format {
                case .rest, .httpV1:
                    result = try ProxyResponse.interpretV1(Array(body.readableBytesView), decodeBase64: decodeBase64)
                case .httpV2:
                    result = try ProxyResponse.interpretV2(
                        Array(body.readableBytesView),
                        defaultContentType: "text/plain; charset=utf-8"
                    )
                }
            } catch {
                throw error.gatewayError
            }
            let headers = result.headers
            return HTTPGatewayResponse(
                status: result.statusCode,
                headers: headers,
                body: ByteBuffer(bytes: result.body)
            )
        }
    }
}
