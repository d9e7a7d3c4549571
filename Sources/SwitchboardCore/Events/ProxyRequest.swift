/// Everything the Lambda proxy events need about one HTTP request, filled in by the server.
///
/// ``ProxyEvent`` renders it as the event AWS sends for a REST `AWS_PROXY` integration (format 1.0) or an
/// HTTP API Lambda integration (format 1.0 or 2.0). The server passes raw, undecoded request data; each
/// format decodes what AWS decodes (reference `aws-http-rest.md` §2.1–§2.2).
package struct ProxyRequest: Sendable {
    /// The request method, e.g. `GET`.
    package var method: String
    /// The request path below the stage as the client sent it: not percent-decoded, trailing slash kept
    /// (`/pets/1`). REST renders it verbatim as `path`; HTTP APIs percent-decode it.
    package var path: String
    /// The value of `requestContext.path` in format 1.0 events, computed by the server (for a REST API on
    /// its execute-api endpoint, the stage-prefixed path such as `/dev/pets/1`).
    package var requestContextPath: String
    /// The format 2.0 `rawPath`, computed by the server (stage-prefixed for a named stage, e.g.
    /// `/dev/pets/1`). HTTP APIs deliver it percent-decoded.
    package var rawPath: String
    /// The query string without its `?`, as the client sent it; `nil` when the URL had none.
    package var rawQuery: String?
    /// The request headers in arrival order, with the client's name casing. Repeated names are allowed.
    package var headers: [(name: String, value: String)]
    /// The request body, or `nil` when the request had none. An empty body is treated as no body.
    package var body: [UInt8]?
    /// The client's source IP.
    package var sourceIp: String
    /// The client's `User-Agent`, or `nil` when it sent none.
    package var userAgent: String?
    /// The `Host` the client used, without a port.
    package var domainName: String
    /// The API id.
    package var apiId: String
    /// The stage name (`$default` for an HTTP API default stage).
    package var stage: String
    /// The deployment id of the stage (REST `requestContext.deploymentId`).
    package var deploymentId: String
    /// The AWS account id reported in `requestContext.accountId`.
    package var accountId: String
    /// The request id.
    package var requestId: String
    /// The extended request id.
    package var extendedRequestId: String
    /// When the gateway received the request, in milliseconds since the Unix epoch.
    package var requestTimeMillis: Int64
    /// The REST resource path (`/pets/{petId}`) or HTTP API route path; `$default` for the HTTP API
    /// `$default` route (as AWS reports it in format 1.0 `resource` and `resourcePath`).
    package var resourcePath: String
    /// The REST resource id; for HTTP APIs the value AWS reports as `resourceId` (`$default` for the
    /// `$default` route).
    package var resourceId: String
    /// The HTTP API route key (`GET /pets/{id}` or `$default`).
    package var routeKey: String
    /// The path parameters as matched, raw (not percent-decoded), in route order. REST renders them
    /// verbatim; HTTP APIs percent-decode them.
    package var pathParameters: [(name: String, value: String)]
    /// The stage variables; rendered with their names sorted.
    package var stageVariables: [String: String]
    /// The object rendered verbatim as `requestContext.authorizer`, or `nil` for none. The authorizer step
    /// shapes it per format, as AWS does: REST Lambda authorizers give `principalId`, `integrationLatency`
    /// and the flattened `context` keys; HTTP API 1.0 JWT authorizers `claims` and `scopes`; HTTP API 2.0
    /// `{"jwt":{"claims":…,"scopes":…}}`, `{"lambda":{…context…}}` or `{"iam":{…}}`.
    package var authorizer: JSONObject?
    /// The SigV4 access key of an `AWS_IAM` caller (`identity.accessKey`), `nil` otherwise.
    package var accessKey: String?
    /// The IAM user ARN of an `AWS_IAM` caller (`identity.userArn`), `nil` otherwise.
    package var userArn: String?
    /// The API key presented to an `apiKeyRequired` method (REST `identity.apiKey`), `nil` otherwise.
    package var apiKey: String?
    /// That key's id (REST `identity.apiKeyId`).
    package var apiKeyId: String?
    /// Whether the body is passed base64-encoded, decided by the server from the binary rules (see
    /// ``BinaryMediaTypes``).
    package var isBase64Body: Bool
    /// The request protocol, e.g. `HTTP/1.1`.
    package var protocolName: String

    /// Creates a request description.
    /// - Parameters:
    ///   - method: The request method.
    ///   - path: The raw path below the stage.
    ///   - requestContextPath: The format 1.0 `requestContext.path`.
    ///   - rawPath: The format 2.0 `rawPath`, before decoding.
    ///   - rawQuery: The raw query string without `?`, or `nil`.
    ///   - headers: The request headers in arrival order.
    ///   - body: The body, or `nil`.
    ///   - sourceIp: The client's source IP.
    ///   - userAgent: The client's user agent, or `nil`.
    ///   - domainName: The host name without port.
    ///   - apiId: The API id.
    ///   - stage: The stage name.
    ///   - deploymentId: The stage's deployment id.
    ///   - accountId: The account id.
    ///   - requestId: The request id.
    ///   - extendedRequestId: The extended request id.
    ///   - requestTimeMillis: The request time, epoch milliseconds.
    ///   - resourcePath: The resource or route path.
    ///   - resourceId: The resource id.
    ///   - routeKey: The HTTP API route key.
    ///   - pathParameters: The raw path parameters.
    ///   - stageVariables: The stage variables.
    ///   - authorizer: The `requestContext.authorizer` object, or `nil`.
    ///   - isBase64Body: Whether the body is passed base64-encoded.
    ///   - protocolName: The request protocol.
    package init(
        method: String,
        path: String,
        requestContextPath: String,
        rawPath: String,
        rawQuery: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        sourceIp: String,
        userAgent: String? = nil,
        domainName: String,
        apiId: String,
        stage: String,
        deploymentId: String = "",
        accountId: String,
        requestId: String,
        extendedRequestId: String,
        requestTimeMillis: Int64,
        resourcePath: String,
        resourceId: String,
        routeKey: String = "$default",
        pathParameters: [(name: String, value: String)] = [],
        stageVariables: [String: String] = [:],
        authorizer: JSONObject? = nil,
        isBase64Body: Bool = false,
        protocolName: String = "HTTP/1.1"
    ) {
        self.method = method
        self.path = path
        self.requestContextPath = requestContextPath
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.sourceIp = sourceIp
        self.userAgent = userAgent
        self.domainName = domainName
        self.apiId = apiId
        self.stage = stage
        self.deploymentId = deploymentId
        self.accountId = accountId
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
        self.requestTimeMillis = requestTimeMillis
        self.resourcePath = resourcePath
        self.resourceId = resourceId
        self.routeKey = routeKey
        self.pathParameters = pathParameters
        self.stageVariables = stageVariables
        self.authorizer = authorizer
        self.isBase64Body = isBase64Body
        self.protocolName = protocolName
    }
}
