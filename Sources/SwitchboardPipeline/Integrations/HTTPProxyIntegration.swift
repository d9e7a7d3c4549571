package import AsyncHTTPClient
package import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// HTTP_PROXY: forwards the message (or, on `$connect`, the upgrade request's headers) to an HTTP endpoint.
///
/// The message is the request body; `requestParameters` add headers and query parameters; the URI may use
/// `${stageVariables.x}`. The backend's status, headers and body are the integration's result.
package struct HTTPProxyIntegration: IntegrationInvoker {
    /// Largest backend response read, as AWS's 10 MB payload limit.
    package static let maxResponseBytes = 10 * 1024 * 1024

    private static let hopByHop: Set<String> = [
        "host", "connection", "upgrade", "content-length", "transfer-encoding", "keep-alive", "te", "trailer",
        "proxy-authorization", "proxy-authenticate",
    ]

    private let client: HTTPClient
    private let pool: UpstreamConnectionPool?
    private let uri: String
    private let method: HTTPMethod
    private let timeoutMillis: Int64
    private let mapping: RequestParameterMapping

    /// Compiles an HTTP proxy integration.
    /// - Parameters:
    ///   - definition: the integration as configured.
    ///   - client: the shared, pooled HTTP client.
    ///   - pool: keep-alive connections per event loop: a message to a plain `http://` backend goes through the
    ///     connection's own loop (as HTTP APIs do), everything else through `client`.
    package init(definition: IntegrationDefinition, client: HTTPClient, pool: UpstreamConnectionPool? = nil) {
        self.client = client
        self.pool = pool
        self.uri = definition.uri ?? ""
        self.method = HTTPMethod(rawValue: definition.integrationMethod.uppercased())
        self.timeoutMillis = Int64(definition.timeoutInMillis)
        self.mapping = RequestParameterMapping(definition.requestParameters)
    }

    package func invoke(_ exchange: Exchange) async throws(IntegrationError) -> IntegrationResult {
        let mapped = self.mapping.resolve(exchange)
        let url = PercentEncoding.appending(
            query: PercentEncoding.queryString(mapped.query),
            to: StageVariableSubstitution.apply(self.uri, exchange.stageVariables)
        )
        var headers = HTTPHeaders()
        if exchange.eventType == .connect {
            for (name, value) in exchange.headers where !Self.hopByHop.contains(name.lowercased()) {
                headers.add(name: name, value: value)
            }
        }
        for (name, value) in mapped.headers {
            headers.replaceOrAdd(name: name, value: value)
        }
        let body = exchange.eventType == .message ? exchange.body : nil
        if let pool = self.pool, let eventLoop = exchange.eventLoop, pool.serves(eventLoop),
            let target = PlainHTTPURL(url)
        {
            return try await self.invoke(pool, eventLoop, target, headers: headers, body: body)
        }
        var request = HTTPClientRequest(url: url)
        request.method = self.method
        request.headers = headers
        if let body {
            request.body = .bytes(body)
        }
        return try await UpstreamCall.execute(request, client: self.client, timeoutMillis: self.timeoutMillis) {
            response,
            body in
            IntegrationResult(
                statusCode: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: body
            )
        }
    }

    /// The call on the event loop's keep-alive connections: the same request AsyncHTTPClient would send (`Host`,
    /// the mapped headers, the body framed with `Content-Length`), with the same failures.
    private func invoke(
        _ pool: UpstreamConnectionPool,
        _ eventLoop: any EventLoop,
        _ target: PlainHTTPURL,
        headers: HTTPHeaders,
        body: ByteBuffer?
    ) async throws(IntegrationError) -> IntegrationResult {
        do {
            let response = try await pool.execute(
                self.method,
                target,
                headers: headers,
                body: body,
                timeout: .milliseconds(self.timeoutMillis),
                on: eventLoop
            ).get()
            return IntegrationResult(
                statusCode: Int(response.head.status.code),
                headers: response.head.headers.map { ($0.name, $0.value) },
                body: response.body
            )
        } catch UpstreamFailure.timeout(let detail) {
            throw IntegrationError(.timeout, detail)
        } catch UpstreamFailure.tooLarge(let detail), UpstreamFailure.unreachable(let detail) {
            throw IntegrationError(.unreachable, detail)
        } catch {
            throw IntegrationError(.unreachable, "\(target.host):\(target.port): \(error)")
        }
    }
}

/// Why an upstream call failed.
package enum UpstreamFailure: Error, Sendable {
    /// No answer within the integration timeout.
    case timeout(String)
    /// The response body is larger than 10 MB.
    case tooLarge(String)
    /// The upstream could not be reached (or broke the connection).
    case unreachable(String)
}

/// One upstream HTTP call with the integration timeout and a 10 MB body limit, shared by every integration.
package enum UpstreamCall {
    /// Executes a request and reads the body up to 10 MB.
    /// - Parameters:
    ///   - request: the request.
    ///   - client: the HTTP client.
    ///   - timeoutMillis: the integration timeout.
    /// - Returns: the response head and body.
    /// - Throws: ``UpstreamFailure``.
    package static func fetch(
        _ request: HTTPClientRequest,
        client: HTTPClient,
        timeoutMillis: Int64
    ) async throws(UpstreamFailure) -> (HTTPClientResponse, ByteBuffer) {
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeoutMillis))
            return (response, try await response.body.collect(upTo: HTTPProxyIntegration.maxResponseBytes))
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            throw .timeout("\(request.url): \(error)")
        } catch is NIOTooManyBytesError {
            throw .tooLarge("\(request.url): response body over \(HTTPProxyIntegration.maxResponseBytes) bytes")
        } catch {
            throw .unreachable("\(request.url): \(error)")
        }
    }

    /// Executes a request for a WebSocket route and interprets the response.
    /// - Parameters:
    ///   - request: the request.
    ///   - client: the HTTP client.
    ///   - timeoutMillis: the integration timeout.
    ///   - interpret: turns the response into a result.
    /// - Returns: the result.
    /// - Throws: ``IntegrationError`` (`timeout`, `unreachable`, or what `interpret` throws).
    package static func execute(
        _ request: HTTPClientRequest,
        client: HTTPClient,
        timeoutMillis: Int64,
        interpret: (HTTPClientResponse, ByteBuffer) throws(IntegrationError) -> IntegrationResult
    ) async throws(IntegrationError) -> IntegrationResult {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            (response, body) = try await Self.fetch(request, client: client, timeoutMillis: timeoutMillis)
        } catch {
            switch error {
            case .timeout(let detail): throw IntegrationError(.timeout, detail)
            case .tooLarge(let detail), .unreachable(let detail): throw IntegrationError(.unreachable, detail)
            }
        }
        return try interpret(response, body)
    }
}
