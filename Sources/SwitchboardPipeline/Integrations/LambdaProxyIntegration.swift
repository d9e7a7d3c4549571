package import AsyncHTTPClient
package import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// Signs outgoing AWS requests (SigV4). The server supplies one when `aws.credentials` are configured.
package protocol AWSRequestSigner: Sendable {
    /// Returns the headers to add so the request is signed.
    /// - Parameters:
    ///   - method: HTTP method.
    ///   - url: the full URL.
    ///   - headers: headers that will be sent (to be signed).
    ///   - body: the body.
    ///   - service: the signing name (`lambda`, `sqs`, ...).
    /// - Returns: `Authorization`, `X-Amz-Date` and friends.
    func signatureHeaders(
        method: String,
        url: String,
        headers: [(name: String, value: String)],
        body: [UInt8],
        service: String
    ) -> [(name: String, value: String)]
}

/// AWS_PROXY: invokes a Lambda function through the Lambda Invoke API
/// (`POST {endpoint}/2015-03-31/functions/{name}/invocations`) with the WebSocket proxy event, and reads
/// the proxy result (`statusCode`, `headers`, `body`, `isBase64Encoded`).
package struct LambdaProxyIntegration: IntegrationInvoker {
    private let client: HTTPClient
    private let invocationURL: String
    private let timeoutMillis: Int64
    private let signer: (any AWSRequestSigner)?

    /// Compiles a Lambda proxy integration.
    /// - Parameters:
    ///   - definition: the integration (its `uri` is a function ARN, an API Gateway Lambda invocation ARN,
    ///     or an `http(s)://` invocation URL).
    ///   - aws: region and the `lambda` endpoint.
    ///   - client: the shared HTTP client.
    ///   - signer: signs requests when credentials are configured.
    package init(
        definition: IntegrationDefinition,
        aws: AWSConfig,
        client: HTTPClient,
        signer: (any AWSRequestSigner)?
    ) {
        self.client = client
        self.timeoutMillis = Int64(definition.timeoutInMillis)
        self.signer = signer
        self.invocationURL = Self.invocationURL(uri: definition.uri ?? "", aws: aws)
    }

    /// The Invoke API URL for an integration URI.
    /// - Parameters:
    ///   - uri: the configured URI.
    ///   - aws: the AWS settings.
    /// - Returns: the URL to POST the event to.
    package static func invocationURL(uri: String, aws: AWSConfig) -> String {
        if uri.hasPrefix("http://") || uri.hasPrefix("https://") { return uri }
        var function = uri
        if let range = uri.firstRange(of: "/functions/") {
            function = String(uri[range.upperBound...])
            if let end = function.firstRange(of: "/invocations") { function = String(function[..<end.lowerBound]) }
        }
        if function.hasPrefix("arn:aws:lambda:"), let range = function.firstRange(of: ":function:") {
            function = String(function[range.upperBound...])
        }
        let endpoint = aws.endpoints["lambda"] ?? "https://lambda.\(aws.region).amazonaws.com"
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        return "\(base)/2015-03-31/functions/\(PercentEncoding.encode(function, keep: ":"))/invocations"
    }

    package func invoke(_ exchange: Exchange) async throws(IntegrationError) -> IntegrationResult {
        let url = StageVariableSubstitution.apply(self.invocationURL, exchange.stageVariables)
        let payload = Array(exchange.webSocketEvent.lambdaProxyEvent().serialized.utf8)
        let request = Self.invokeRequest(url: url, payload: payload, signer: self.signer)
        return try await UpstreamCall.execute(request, client: self.client, timeoutMillis: self.timeoutMillis) {
            response,
            body throws(IntegrationError) in
            guard (200..<300).contains(Int(response.status.code)) else {
                throw IntegrationError(
                    .unreachable,
                    "Lambda Invoke API answered \(response.status.code): \(String(buffer: body))"
                )
            }
            if let functionError = response.headers.first(name: "X-Amz-Function-Error") {
                throw IntegrationError(.functionError, "\(functionError): \(String(buffer: body))")
            }
            return try Self.interpret(body)
        }
    }

    /// Interprets a Lambda proxy result for a WebSocket route.
    /// - Parameter payload: the function's response payload.
    /// - Returns: the result (status defaults to 200; a non-object result is sent back as it is).
    /// - Throws: ``IntegrationError`` `malformedResponse` for a body that is not valid base64 when flagged.
    package static func interpret(_ payload: ByteBuffer) throws(IntegrationError) -> IntegrationResult {
        guard case .object(let object)? = try? JSONValue.parse(payload.readableBytesView) else {
            return IntegrationResult(statusCode: 200, body: payload)
        }
        guard object["statusCode"] != nil || object["body"] != nil || object["headers"] != nil else {
            return IntegrationResult(statusCode: 200, body: payload)
        }
        let status = object["statusCode"]?.intValue ?? object["statusCode"]?.stringValue.flatMap { Int($0) } ?? 200
        var headers: [(name: String, value: String)] = []
        if case .object(let map)? = object["headers"] {
            for (name, value) in map { headers.append((name, value.selectionString)) }
        }
        var body = ByteBuffer()
        if let text = object["body"]?.stringValue {
            if object["isBase64Encoded"]?.boolValue == true {
                guard let bytes = Base64.decode(text) else {
                    throw IntegrationError(.malformedResponse, "body is not valid base64")
                }
                body = ByteBuffer(bytes: bytes)
            } else {
                body = ByteBuffer(string: text)
            }
        } else if let other = object["body"], other != .null {
            body = ByteBuffer(string: other.serialized)
        }
        return IntegrationResult(statusCode: status, headers: headers, body: body)
    }

    /// The Lambda Invoke API request (`RequestResponse`) for a payload, signed when a signer is given.
    /// - Parameters:
    ///   - url: the invocation URL.
    ///   - payload: the event JSON.
    ///   - signer: SigV4 signer for service `lambda`, or `nil`.
    /// - Returns: the request.
    package static func invokeRequest(
        url: String,
        payload: [UInt8],
        signer: (any AWSRequestSigner)?
    ) -> HTTPClientRequest {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("X-Amz-Invocation-Type", "RequestResponse"),
        ]
        if let signer {
            headers += signer.signatureHeaders(
                method: "POST",
                url: url,
                headers: headers,
                body: payload,
                service: "lambda"
            )
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: payload))
        return request
    }
}
