/// The HTTP API payload format 2.0 event.
extension ProxyEvent {
    /// The HTTP API event for `payloadFormatVersion` `2.0`, in the order of the AWS example: `version`,
    /// `routeKey`, `rawPath`, `rawQueryString`, [`cookies`], `headers`, [`queryStringParameters`],
    /// `requestContext`, [`body`], [`pathParameters`], `isBase64Encoded`, [`stageVariables`]. Bracketed
    /// members are omitted when empty, as AWS omits them.
    ///
    /// - Header names are lower-cased, sorted, and repeated headers comma-joined; `Cookie` headers leave
    ///   `headers` and become `cookies`, split at `;` (surrounding spaces trimmed, empty pieces dropped).
    /// - Query parameters are decoded and repeated names comma-joined; `rawQueryString` is the query as sent
    ///   (`""` when none).
    /// - `rawPath`, `requestContext.http.path` and path parameters are percent-decoded, as HTTP APIs deliver
    ///   them.
    /// - `requestContext.time` is in Common Log Format and `timeEpoch` in milliseconds.
    ///
    /// - Parameter request: The request.
    /// - Returns: The event object.
    package static func httpV2(_ request: ProxyRequest) -> JSONValue {
        var event = JSONObject()
        event.reserveCapacity(12)
        event["version"] = "2.0"
        event["routeKey"] = .string(request.routeKey)
        let rawPath = Self.decodedPath(request.rawPath)
        event["rawPath"] = .string(rawPath)
        event["rawQueryString"] = .string(request.rawQuery ?? "")
        let cookies = Self.cookies(in: request.headers)
        if !cookies.isEmpty {
            event["cookies"] = .array(cookies.map(JSONValue.string))
        }
        let lowered = request.headers.lazy.filter { $0.name.lowercased() != "cookie" }.map {
            (name: $0.name.lowercased(), value: $0.value)
        }
        let headers = Self.group(Array(lowered)) { $0 }.sorted { Self.precedes($0.name, $1.name) }
        event["headers"] = .object(Self.joinedValues(headers))
        let query = Self.queryGroups(request.rawQuery)
        if !query.isEmpty {
            event["queryStringParameters"] = .object(Self.joinedValues(query))
        }
        event["requestContext"] = .object(Self.httpV2RequestContext(request, path: rawPath))
        let body = Self.body(of: request)
        if let text = body.text {
            event["body"] = .string(text)
        }
        if let parameters = Self.pathParameters(request.pathParameters, decode: true) {
            event["pathParameters"] = .object(parameters)
        }
        event["isBase64Encoded"] = .bool(body.isBase64)
        if let variables = Self.stageVariables(request.stageVariables) {
            event["stageVariables"] = .object(variables)
        }
        return .object(event)
    }

    /// The 2.0 `requestContext`, alphabetical as in the AWS example: `accountId`, `apiId`, [`authorizer`],
    /// `domainName`, `domainPrefix`, `http`, `requestId`, `routeKey`, `stage`, `time`, `timeEpoch`.
    private static func httpV2RequestContext(_ request: ProxyRequest, path: String) -> JSONObject {
        var context = JSONObject()
        context.reserveCapacity(11)
        context["accountId"] = .string(request.accountId)
        context["apiId"] = .string(request.apiId)
        if let authorizer = request.authorizer {
            context["authorizer"] = .object(authorizer)
        }
        context["domainName"] = .string(request.domainName)
        context["domainPrefix"] = .string(Self.domainPrefix(request.domainName))
        context["http"] = .object(
            JSONObject([
                ("method", .string(request.method)), ("path", .string(path)),
                ("protocol", .string(request.protocolName)), ("sourceIp", .string(request.sourceIp)),
                ("userAgent", .string(request.userAgent ?? "")),
            ])
        )
        context["requestId"] = .string(request.requestId)
        context["routeKey"] = .string(request.routeKey)
        context["stage"] = .string(request.stage)
        context["time"] = .string(Timestamp.clf(epochMillis: request.requestTimeMillis))
        context["timeEpoch"] = .number(String(request.requestTimeMillis))
        return context
    }

    /// The cookies of every `Cookie` header, in order: each header split at `;`, pieces trimmed of spaces and
    /// tabs, empty pieces dropped.
    static func cookies(in headers: [(name: String, value: String)]) -> [String] {
        var cookies: [String] = []
        for header in headers where header.name.lowercased() == "cookie" {
            for piece in header.value.split(separator: ";", omittingEmptySubsequences: true) {
                let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
                if let first = piece.firstIndex(where: { !isSpace($0) }),
                    let last = piece.lastIndex(where: { !isSpace($0) })
                {
                    cookies.append(String(piece[first...last]))
                }
            }
        }
        return cookies
    }
}
