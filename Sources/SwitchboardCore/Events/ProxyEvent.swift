/// The Lambda proxy integration events API Gateway sends for REST and HTTP APIs, member for member and in
/// AWS's order, so that ``JSONValue/serialized`` gives the bytes a function would receive from AWS.
///
/// Field order sources (reference `aws-http-rest.md` §2.1–§2.2):
/// - REST (``restV1(_:)``): real AWS captures published by Powertools for AWS Lambda
///   (`aws-powertools/powertools-lambda-typescript`, `packages/parser/tests/events/apigw-rest/no-auth.json`
///   and `lambda-authorizer-auth.json`, recorded June 2024 for issue #2624). The Developer Guide example in
///   `set-up-lambda-proxy-integrations` has the same top-level order; LocalStack's AWS-recorded snapshot
///   (`tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json`,
///   `test_lambda_aws_proxy_integration`) confirms the values (`null`s, `deploymentId`, undecoded path,
///   decoded query, last-value-wins) but its keys are sorted by the snapshot tool, so it is no order source.
/// - HTTP API 1.0 (``httpV1(_:)``): the `http-api-develop-integrations-lambda` example (top level) and the
///   AWS-captured (lightly edited) fixtures in `awslabs/aws-serverless-java-container`
///   (`SpringDelegatingLambdaContainerHandlerTests`, March 2023): alphabetical `requestContext` with
///   `identity.cognitoAmr`, no `authorizer` member without an authorizer, `$default` as
///   `resource`/`resourceId`/`resourcePath`, headers sorted by exact name.
/// - HTTP API 2.0 (``httpV2(_:)``): the `http-api-develop-integrations-lambda` example, matched by the real
///   Powertools capture `apigw-http/lambda-authorizer-auth.json` (absent `body`/`queryStringParameters`/
///   `cookies`/`pathParameters`/`stageVariables` are omitted).
package enum ProxyEvent {
    /// The REST API `AWS_PROXY` event (payload format 1.0).
    ///
    /// `path` and `pathParameters` are rendered as sent (not percent-decoded); query parameters are decoded
    /// (`+` is a space), the single-value map keeping each name's last value. Headers are grouped by
    /// case-insensitive name (first spelling kept) and sorted case-insensitively, as AWS does; the single-value
    /// map keeps the last value. Absent query, path parameters, stage variables and body are `null`.
    ///
    /// - Parameter request: The request.
    /// - Returns: The event object.
    package static func restV1(_ request: ProxyRequest) -> JSONValue {
        var event = JSONObject()
        event.reserveCapacity(12)
        event["resource"] = .string(request.resourcePath)
        event["path"] = .string(request.path)
        event["httpMethod"] = .string(request.method)
        let headers = Self.sortedHeaderGroups(request.headers, caseInsensitiveOrder: true)
        event["headers"] = .object(Self.lastValues(headers))
        event["multiValueHeaders"] = .object(Self.allValues(headers))
        Self.addV1Query(request.rawQuery, to: &event)
        event["pathParameters"] =
            Self.pathParameters(request.pathParameters, decode: false).map(JSONValue.object) ?? .null
        event["stageVariables"] = Self.stageVariables(request.stageVariables).map(JSONValue.object) ?? .null
        event["requestContext"] = .object(Self.restRequestContext(request))
        let body = Self.body(of: request)
        event["body"] = body.text.map(JSONValue.string) ?? .null
        event["isBase64Encoded"] = .bool(body.isBase64)
        return .object(event)
    }

    /// The HTTP API event for `payloadFormatVersion` `1.0`.
    ///
    /// Like ``restV1(_:)`` with HTTP API differences: a leading `"version":"1.0"`, `requestContext` before
    /// `pathParameters`/`stageVariables`, an alphabetical `requestContext` without `deploymentId`, headers
    /// sorted by exact name, and the path, `requestContext.path` and path parameters percent-decoded (HTTP
    /// APIs decode them; `+` stays `+`).
    ///
    /// - Parameter request: The request.
    /// - Returns: The event object.
    package static func httpV1(_ request: ProxyRequest) -> JSONValue {
        var event = JSONObject()
        event.reserveCapacity(13)
        event["version"] = "1.0"
        event["resource"] = .string(request.resourcePath)
        event["path"] = .string(Self.decodedPath(request.path))
        event["httpMethod"] = .string(request.method)
        let headers = Self.sortedHeaderGroups(request.headers, caseInsensitiveOrder: false)
        event["headers"] = .object(Self.lastValues(headers))
        event["multiValueHeaders"] = .object(Self.allValues(headers))
        Self.addV1Query(request.rawQuery, to: &event)
        event["requestContext"] = .object(Self.httpV1RequestContext(request))
        event["pathParameters"] =
            Self.pathParameters(request.pathParameters, decode: true).map(JSONValue.object) ?? .null
        event["stageVariables"] = Self.stageVariables(request.stageVariables).map(JSONValue.object) ?? .null
        let body = Self.body(of: request)
        event["body"] = body.text.map(JSONValue.string) ?? .null
        event["isBase64Encoded"] = .bool(body.isBase64)
        return .object(event)
    }

    // MARK: - Request contexts

    /// The REST `requestContext`, in the order of the real AWS capture: `resourceId`, [`authorizer`],
    /// `resourcePath`, `httpMethod`, `extendedRequestId`, `requestTime`, `path`, `accountId`, `protocol`,
    /// `stage`, `domainPrefix`, `requestTimeEpoch`, `requestId`, `identity`, `domainName`, `deploymentId`,
    /// `apiId`.
    private static func restRequestContext(_ request: ProxyRequest) -> JSONObject {
        var context = JSONObject()
        context.reserveCapacity(17)
        context["resourceId"] = .string(request.resourceId)
        if let authorizer = request.authorizer {
            context["authorizer"] = .object(authorizer)
        }
        context["resourcePath"] = .string(request.resourcePath)
        context["httpMethod"] = .string(request.method)
        context["extendedRequestId"] = .string(request.extendedRequestId)
        context["requestTime"] = .string(Timestamp.clf(epochMillis: request.requestTimeMillis))
        context["path"] = .string(request.requestContextPath)
        context["accountId"] = .string(request.accountId)
        context["protocol"] = .string(request.protocolName)
        context["stage"] = .string(request.stage)
        context["domainPrefix"] = .string(Self.domainPrefix(request.domainName))
        context["requestTimeEpoch"] = .number(String(request.requestTimeMillis))
        context["requestId"] = .string(request.requestId)
        // Identity order of the real capture; the fields we cannot know are null, as without IAM auth.
        let userAgent = request.userAgent.map(JSONValue.string) ?? .null
        let accessKey = request.accessKey.map(JSONValue.string) ?? .null
        var identity = JSONObject([
            ("cognitoIdentityPoolId", .null), ("accountId", .null), ("cognitoIdentityId", .null),
            ("caller", .null), ("sourceIp", .string(request.sourceIp)), ("principalOrgId", .null),
            ("accessKey", accessKey), ("cognitoAuthenticationType", .null),
            ("cognitoAuthenticationProvider", .null), ("userArn", request.userArn.map(JSONValue.string) ?? .null),
            ("userAgent", userAgent), ("user", .null),
        ])
        if let apiKey = request.apiKey {
            identity["apiKey"] = .string(apiKey)
            identity["apiKeyId"] = request.apiKeyId.map(JSONValue.string) ?? .null
        }
        context["identity"] = .object(identity)
        context["domainName"] = .string(request.domainName)
        context["deploymentId"] = .string(request.deploymentId)
        context["apiId"] = .string(request.apiId)
        return context
    }

    /// The HTTP API 1.0 `requestContext`, alphabetical as in the AWS example and captures.
    private static func httpV1RequestContext(_ request: ProxyRequest) -> JSONObject {
        var context = JSONObject()
        context.reserveCapacity(16)
        context["accountId"] = .string(request.accountId)
        context["apiId"] = .string(request.apiId)
        if let authorizer = request.authorizer {
            context["authorizer"] = .object(authorizer)
        }
        context["domainName"] = .string(request.domainName)
        context["domainPrefix"] = .string(Self.domainPrefix(request.domainName))
        context["extendedRequestId"] = .string(request.extendedRequestId)
        context["httpMethod"] = .string(request.method)
        let userAgent = request.userAgent.map(JSONValue.string) ?? .null
        context["identity"] = .object(
            JSONObject([
                ("accessKey", request.accessKey.map(JSONValue.string) ?? .null), ("accountId", .null),
                ("caller", .null), ("cognitoAmr", .null),
                ("cognitoAuthenticationProvider", .null), ("cognitoAuthenticationType", .null),
                ("cognitoIdentityId", .null), ("cognitoIdentityPoolId", .null), ("principalOrgId", .null),
                ("sourceIp", .string(request.sourceIp)), ("user", .null), ("userAgent", userAgent),
                ("userArn", request.userArn.map(JSONValue.string) ?? .null),
            ])
        )
        context["path"] = .string(Self.decodedPath(request.requestContextPath))
        context["protocol"] = .string(request.protocolName)
        context["requestId"] = .string(request.requestId)
        context["requestTime"] = .string(Timestamp.clf(epochMillis: request.requestTimeMillis))
        context["requestTimeEpoch"] = .number(String(request.requestTimeMillis))
        context["resourceId"] = .string(request.resourceId)
        context["resourcePath"] = .string(request.resourcePath)
        context["stage"] = .string(request.stage)
        return context
    }

    /// Adds `queryStringParameters` (last value per name) and `multiValueQueryStringParameters`, both
    /// `null` when the query string yields no parameter.
    private static func addV1Query(_ rawQuery: String?, to event: inout JSONObject) {
        let query = Self.queryGroups(rawQuery)
        if query.isEmpty {
            event["queryStringParameters"] = .null
            event["multiValueQueryStringParameters"] = .null
        } else {
            event["queryStringParameters"] = .object(Self.lastValues(query))
            event["multiValueQueryStringParameters"] = .object(Self.allValues(query))
        }
    }
}
