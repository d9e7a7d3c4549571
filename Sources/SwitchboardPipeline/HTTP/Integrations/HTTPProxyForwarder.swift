package import AsyncHTTPClient
package import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// HTTP_PROXY for HTTP and REST APIs: forwards the whole request to the integration URI over the shared,
/// pooled HTTP client and passes the whole response back, with API Gateway's header handling.
///
/// URI: `{name}` / `{proxy}` placeholders take the route's path parameters and `${stageVariables.x}` the
/// stage's variables; an HTTP API's `$default` route (or a URI with no path) gets the request path
/// appended, as AWS forwards the full path. The client's query string is appended. Hop-by-hop headers are
/// dropped, `X-Forwarded-For/Proto/Port` are set (appending to the client's), HTTP APIs also get a
/// `Forwarded` header; REST responses remap `Connection`, `Content-Length`, `Date` and `Server` to
/// `x-amzn-Remapped-*`.
package struct HTTPProxyForwarder: HTTPIntegration {
    /// Request headers never forwarded (AWS's list plus hop-by-hop headers).
    static let droppedRequestHeaders: Set<String> = [
        "connection", "content-length", "content-md5", "expect", "max-forwards", "proxy-authenticate", "server",
        "te", "transfer-encoding", "trailer", "upgrade", "www-authenticate", "host", "keep-alive",
        "proxy-connection", "proxy-authorization",
    ]
    /// Response headers never passed back.
    static let droppedResponseHeaders: Set<String> = [
        "transfer-encoding", "connection", "keep-alive", "content-length", "trailer", "upgrade",
    ]
    /// Response headers a REST API passes back renamed `x-amzn-Remapped-<name>` (AWS's list for every
    /// integration type).
    static let remappedResponseHeaders: Set<String> = ["connection", "content-length", "date", "server"]

    private let client: HTTPClient
    private let pool: UpstreamConnectionPool?
    private let uri: String
    private let method: String?
    private let timeoutMillis: Int64
    private let appendsPath: Bool
    private let isREST: Bool

    /// Compiles the integration.
    /// - Parameters:
    ///   - definition: the integration.
    ///   - routeKey: the route key (`$default` appends the request path).
    ///   - isREST: REST API semantics (response header remapping).
    ///   - client: the shared HTTP client.
    ///   - pool: event-loop-local connections for plain-HTTP upstreams, when the server provides them.
    package init(
        definition: IntegrationDefinition,
        routeKey: String,
        isREST: Bool,
        client: HTTPClient,
        pool: UpstreamConnectionPool? = nil
    ) {
        self.client = client
        self.pool = pool
        self.uri = definition.uri ?? ""
        // A proxy keeps the client's method unless the integration names one other than ANY.
        let configured = definition.integrationMethod.uppercased()
        self.method = configured == "ANY" ? nil : configured
        self.timeoutMillis = Int64(definition.timeoutInMillis)
        self.isREST = isREST
        self.appendsPath = !isREST && (routeKey == "$default" || Self.pathOf(self.uri).isEmpty)
    }

    package func invoke(_ exchange: HTTPExchange) async throws(GatewayError) -> HTTPGatewayResponse {
        var url = StageVariableSubstitution.apply(self.uri, exchange.stageVariables)
        url = Self.substitutePathParameters(url, exchange.pathParameters)
        if self.appendsPath {
            let path = exchange.integrationPath ?? exchange.path
            url = (url.hasSuffix("/") ? String(url.dropLast()) : url) + path
        }
        url = PercentEncoding.appending(query: exchange.integrationQuery ?? "", to: url)
        let method = HTTPMethod(rawValue: self.method ?? exchange.method)
        var headers = HTTPHeaders()
        var forwardedFor: String?
        for (name, value) in exchange.headers {
            let lower = name.lowercased()
            if Self.droppedRequestHeaders.contains(lower) { continue }
            if lower == "x-forwarded-for" {
                forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
                continue
            }
            if lower == "x-forwarded-proto" || lower == "x-forwarded-port" { continue }
            headers.add(name: name, value: value)
        }
        headers.add(
            name: "X-Forwarded-For",
            value: forwardedFor.map { $0 + ", " + exchange.sourceIp } ?? exchange.sourceIp
        )
        headers.add(name: "X-Forwarded-Proto", value: "http")
        headers.add(name: "X-Forwarded-Port", value: exchange.localPort.map(String.init) ?? "80")
        if !self.isREST {
            headers.add(
                name: "Forwarded",
                value:
                    "by=\(exchange.localAddress ?? "unknown");for=\(exchange.sourceIp);host=\(exchange.domainName);proto=http"
            )
        }
        let body = exchange.body.readableBytes > 0 ? exchange.body : nil
        if let pool = self.pool, let eventLoop = exchange.eventLoop, pool.serves(eventLoop),
            let target = PlainHTTPURL(url)
        {
            do {
                let response = try await pool.execute(
                    method,
                    target,
                    headers: headers,
                    body: body,
                    timeout: .milliseconds(self.timeoutMillis),
                    on: eventLoop
                ).get()
                return self.response(status: Int(response.head.status.code), response.head.headers, response.body)
            } catch let failure as UpstreamFailure {
                throw failure.gatewayError
            } catch {
                throw .badGateway
            }
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        return try await HTTPUpstream.call(request, client: self.client, timeoutMillis: self.timeoutMillis) {
            response,
            body in
            self.response(status: Int(response.status.code), response.headers, body)
        }
    }

    /// The client's response: the upstream's, with AWS's header handling.
    private func response(status: Int, _ upstreamHeaders: HTTPHeaders, _ body: ByteBuffer) -> HTTPGatewayResponse {
        var headers: [(name: String, value: String)] = []
        for (name, value) in upstreamHeaders {
            let lower = name.lowercased()
            if self.isREST && Self.remappedResponseHeaders.contains(lower) {
                headers.append(("x-amzn-Remapped-" + name, value))
                continue
            }
            if Self.droppedResponseHeaders.contains(lower) { continue }
            headers.append((name, value))
        }
        return HTTPGatewayResponse(status: status, headers: headers, body: body)
    }

    /// The path part of a URL (`http://host:1/a/b?x` → `/a/b`), empty when there is none.
    static func pathOf(_ url: String) -> Substring {
        guard let scheme = url.firstRange(of: "://") else { return "" }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        let path = rest[slash...].prefix { $0 != "?" }
        return path == "/" ? "" : path
    }

    /// Replaces `{name}` and `{name+}` with the raw path parameter values.
    static func substitutePathParameters(_ url: String, _ parameters: [(name: String, value: String)]) -> String {
        guard url.contains("{") else { return url }
        var result = url
        for (name, value) in parameters {
            result = result.replacing("{\(name)+}", with: value).replacing("{\(name)}", with: value)
        }
        return result
    }
}

/// One upstream HTTP call for HTTP and REST integrations through AsyncHTTPClient, failures mapped as
/// ``UpstreamFailure/gatewayError``.
package enum HTTPUpstream {
    /// Executes a request and interprets the response.
    package static func call(
        _ request: HTTPClientRequest,
        client: HTTPClient,
        timeoutMillis: Int64,
        interpret: (HTTPClientResponse, ByteBuffer) throws(GatewayError) -> HTTPGatewayResponse
    ) async throws(GatewayError) -> HTTPGatewayResponse {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            (response, body) = try await UpstreamCall.fetch(request, client: client, timeoutMillis: timeoutMillis)
        } catch {
            throw error.gatewayError
        }
        return try interpret(response, body)
    }
}

extension UpstreamFailure {
    /// AWS's answer for an HTTP or REST integration that failed this way: a timeout is 504
    /// `Endpoint request timed out`, a response over 10 MB 413, an unreachable upstream 502.
    package var gatewayError: GatewayError {
        switch self {
        case .timeout: .integrationTimeout
        case .tooLarge:
            GatewayError(
                .requestTooLarge,
                message: "Response payload size exceeded maximum allowed payload size (10485760 bytes)"
            )
        case .unreachable: .badGateway
        }
    }
}

/// A plain `http://host[:port][/path][?query]` URL split for a raw HTTP/1.1 request.
struct PlainHTTPURL {
    var host: String
    var port: Int
    var hostHeader: String
    var pathAndQuery: String

    init?(_ url: String) {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@"), !authority.hasPrefix("[") else { return nil }
        if let colon = authority.lastIndex(of: ":") {
            guard let port = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(port) else {
                return nil
            }
            self.host = String(authority[..<colon])
            self.port = port
        } else {
            self.host = String(authority)
            self.port = 80
        }
        self.hostHeader = String(authority)
        let tail = rest[authorityEnd...]
        self.pathAndQuery = tail.isEmpty ? "/" : (tail.hasPrefix("?") ? "/" + tail : String(tail))
    }
}
