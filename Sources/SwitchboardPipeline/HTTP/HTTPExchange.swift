package import NIOCore
package import SwitchboardCore

/// One HTTP or REST API request through the pipeline: what the client sent, what the steps learned (the
/// matched route, path parameters, validation details) and, once known, the response.
///
/// Steps read and write only this value; the runner owns timing, error mapping and the response headers
/// every API type adds.
package struct HTTPExchange: Sendable {
    /// The API.
    package let api: CompiledHTTPAPI
    /// The stage name (`$default` for the default stage).
    package var stage: String
    /// The stage's variables.
    package var stageVariables: [String: String]
    /// The request method.
    package var method: String
    /// The raw path below the stage (or API mapping), starting with `/`.
    package var path: String
    /// The raw query string without `?`, `nil` when absent.
    package var rawQuery: String?
    /// Decoded query parameters in order.
    package var query: [(name: String, value: String)]
    /// Request headers as received.
    package var headers: [(name: String, value: String)]
    /// The request body (empty when none was sent).
    package var body: ByteBuffer
    /// Whether the request carried a body (`Content-Length` or chunked).
    package var hasBody: Bool
    /// The client's address.
    package var sourceIp: String
    /// The `Host` header without port.
    package var domainName: String
    /// The request id.
    package var requestId: String
    /// The extended request id (REST; equals `requestId` for HTTP APIs).
    package var extendedRequestId: String
    /// When the request arrived (epoch ms).
    package var requestTimeMillis: Int64
    /// The matched route, once the route step ran.
    package var route: CompiledHTTPRoute?
    /// Path parameters from the match (raw values).
    package var pathParameters: [(name: String, value: String)] = []
    /// The authorizer's output as `requestContext.authorizer` shows it, when an authorizer ran.
    package var authorizer: JSONObject?
    /// The authorizer's output as `$context.authorizer.*` reads it (flat context, or `claims` and `scopes`).
    package var authorizerContext: JSONObject?
    /// The Lambda authorizer's `usageIdentifierKey`.
    package var usageIdentifierKey: String?
    /// The API key presented (`$context.identity.apiKey`).
    package var apiKey: String?
    /// The API key's name (`$context.identity.apiKeyId`).
    package var apiKeyId: String?
    /// The SigV4 access key of an `AWS_IAM` caller (`$context.identity.accessKey`).
    package var callerAccessKey: String?
    /// The `aws.iamUsers` ARN of an `AWS_IAM` caller (`$context.identity.userArn`).
    package var callerArn: String?
    /// Schema violations, for `$context.error.validationErrorString`.
    package var validationErrorString: String?
    /// The raw query string sent to the integration (parameter mapping may change it).
    package var integrationQuery: String?
    /// The path sent to the integration when parameter mapping overwrote it.
    package var integrationPath: String?
    /// The listener's address, for `Forwarded: by=`.
    package var localAddress: String?
    /// The listener's port, for `X-Forwarded-Port`.
    package var localPort: Int?
    /// The client connection's event loop (upstream calls stay on it).
    package var eventLoop: (any EventLoop)?

    /// Creates an exchange.
    package init(
        api: CompiledHTTPAPI,
        stage: String,
        method: String,
        path: String,
        rawQuery: String?,
        headers: [(name: String, value: String)],
        body: ByteBuffer,
        hasBody: Bool,
        sourceIp: String,
        domainName: String,
        requestId: String,
        extendedRequestId: String,
        requestTimeMillis: Int64
    ) {
        self.api = api
        self.stage = stage
        self.stageVariables = api.stageVariables[stage] ?? [:]
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.query = rawQuery.map { PercentEncoding.queryPairs($0) } ?? []
        self.integrationQuery = rawQuery
        self.headers = headers
        self.body = body
        self.hasBody = hasBody
        self.sourceIp = sourceIp
        self.domainName = domainName
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
        self.requestTimeMillis = requestTimeMillis
    }

    /// The first value of a request header, case-insensitively.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of a request header, case-insensitively.
    package func headerValues(_ name: String) -> [String] {
        self.headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The last value of a query parameter (REST semantics).
    package func queryValue(_ name: String) -> String? {
        self.query.last { $0.name == name }?.value
    }

    /// The value of a path parameter, percent-decoded.
    package func pathParameter(_ name: String) -> String? {
        self.pathParameters.first { $0.name == name }.map { PercentEncoding.decode($0.value[...], plusIsSpace: false) }
    }

    /// The route key (HTTP APIs) or resource path (REST APIs) of the matched route.
    package var resourcePath: String { self.route?.resourcePath ?? "" }

    /// The path as `$context.path` shows it: with the stage prefix for a named stage.
    package var contextPath: String {
        self.stage == "$default" ? self.path : "/" + self.stage + (self.path == "/" ? "" : self.path)
    }

    /// Resolves a `$context` variable name.
    /// - Parameter name: the name after `context.`.
    /// - Returns: the value, or `nil` when unknown.
    package func contextVariable(_ name: String) -> String? {
        switch name {
        case "requestId", "awsEndpointRequestId": return self.requestId
        case "extendedRequestId": return self.extendedRequestId
        case "deploymentId": return self.deploymentId
        case "apiId": return self.api.definition.id
        case "accountId": return self.api.accountId
        case "stage": return self.stage
        case "httpMethod": return self.method
        case "path": return self.contextPath
        case "resourcePath": return self.api.isREST ? self.resourcePath : self.route?.resourcePath
        case "routeKey": return self.route?.routeKey
        case "resourceId": return self.route?.resourceId
        case "domainName": return self.domainName
        case "domainPrefix": return String(self.domainName.prefix { $0 != "." })
        case "protocol": return "HTTP/1.1"
        case "requestTime": return Timestamp.clf(epochMillis: self.requestTimeMillis)
        case "requestTimeEpoch": return String(self.requestTimeMillis)
        case "identity.sourceIp": return self.sourceIp
        case "identity.userAgent": return self.header("User-Agent")
        case "error.validationErrorString": return self.validationErrorString
        case "identity.apiKey": return self.apiKey
        case "identity.apiKeyId": return self.apiKeyId
        case "identity.accessKey": return self.callerAccessKey
        case "identity.userArn": return self.callerArn
        default:
            if name.hasPrefix("authorizer."), let authorizer = self.authorizerContext ?? self.authorizer {
                return JSONValue.object(authorizer).lookup(dottedPath: name.dropFirst("authorizer.".count))?
                    .selectionString
            }
            return nil
        }
    }

    /// The request's method ARN, `{prefix}{stage}/{METHOD}/{path without its leading /}`, as authorizers and
    /// policies see it (`prefix` is `arn:aws:execute-api:{region}:{account}:{api}/`).
    package func methodArn(prefix: String) -> String {
        let path = self.path.hasPrefix("/") ? self.path.dropFirst() : self.path[...]
        return prefix + self.stage + "/" + self.method + "/" + path
    }

    /// The stage's deployment id (`$context.deploymentId`): 6 base-36 characters, stable per API and stage, as
    /// AWS's ids look (`pmhybe`).
    package var deploymentId: String {
        HTTPAPICompiler.resourceId(self.api.definition.id + "/" + self.stage)
    }

    /// The headers a Lambda proxy event carries: the client's, plus what AWS adds in front of every function —
    /// `X-Forwarded-For` (the client's address appended to any list the client sent), `X-Forwarded-Port`,
    /// `X-Forwarded-Proto` (replacing the client's) and `X-Amzn-Trace-Id` (the client's, else a new X-Ray id).
    func eventHeaders() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(self.headers.count + 4)
        var forwardedFor: String?
        var traceId: String?
        for header in self.headers {
            if header.name.caseInsensitiveEquals("X-Forwarded-For") {
                forwardedFor = forwardedFor.map { $0 + ", " + header.value } ?? header.value
            } else if header.name.caseInsensitiveEquals("X-Forwarded-Port")
                || header.name.caseInsensitiveEquals("X-Forwarded-Proto")
            {
                continue
            } else if header.name.caseInsensitiveEquals("X-Amzn-Trace-Id") {
                traceId = traceId ?? header.value
            } else {
                headers.append(header)
            }
        }
        headers.append(("X-Amzn-Trace-Id", traceId ?? Self.newTraceId(epochMillis: self.requestTimeMillis)))
        headers.append(("X-Forwarded-For", forwardedFor.map { $0 + ", " + self.sourceIp } ?? self.sourceIp))
        headers.append(("X-Forwarded-Port", self.localPort.map(String.init) ?? "80"))
        headers.append(("X-Forwarded-Proto", "http"))
        return headers
    }

    /// A new X-Ray trace header value, `Root=1-{epoch seconds, 8 hex}-{96 random bits, 24 hex}`.
    static func newTraceId(epochMillis: Int64) -> String {
        func hex(_ value: UInt64, digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        let seconds = UInt64(max(0, epochMillis / 1000)) & 0xFFFF_FFFF
        let high = UInt64.random(in: 0...UInt64(UInt32.max))
        let low = UInt64.random(in: 0...UInt64.max)
        return "Root=1-" + hex(seconds, digits: 8) + "-" + hex(high, digits: 8) + hex(low, digits: 16)
    }

    /// The request as the Lambda proxy event builders see it.
    package func proxyRequest(isBase64Body: Bool) -> ProxyRequest {
        var request = ProxyRequest(
            method: self.method,
            path: self.path,
            requestContextPath: self.contextPath,
            rawPath: self.contextPath,
            rawQuery: self.rawQuery,
            headers: self.eventHeaders(),
            body: self.hasBody ? Array(self.body.readableBytesView) : nil,
            sourceIp: self.sourceIp,
            userAgent: self.header("User-Agent"),
            domainName: self.domainName,
            apiId: self.api.definition.id,
            stage: self.stage,
            deploymentId: self.deploymentId,
            accountId: self.api.accountId,
            requestId: self.requestId,
            extendedRequestId: self.extendedRequestId,
            requestTimeMillis: self.requestTimeMillis,
            resourcePath: self.resourcePath,
            resourceId: self.route?.resourceId ?? "",
            routeKey: self.route?.routeKey ?? "$default",
            pathParameters: self.pathParameters,
            stageVariables: self.stageVariables,
            authorizer: self.authorizer,
            isBase64Body: isBase64Body,
            protocolName: "HTTP/1.1"
        )
        request.accessKey = self.callerAccessKey
        request.userArn = self.callerArn
        request.apiKey = self.apiKey
        request.apiKeyId = self.apiKeyId
        return request
    }
}
