/// Rendering of ``WebSocketEvent`` as the Lambda proxy event API Gateway sends.
extension WebSocketEvent {
    /// The close code rendered when ``disconnectStatusCode`` is `nil` (RFC 6455 "no status received").
    package static let noStatusReceivedCode = 1005

    /// The Lambda proxy event, field for field as AWS sends it:
    ///
    /// - `CONNECT`: `headers`, `multiValueHeaders`, [`queryStringParameters`,
    ///   `multiValueQueryStringParameters`], [`stageVariables`], `requestContext`, `isBase64Encoded`.
    /// - `MESSAGE`: [`stageVariables`], `requestContext` (with `messageId`), `body`, `isBase64Encoded`.
    /// - `DISCONNECT`: the fixed `Host`/`x-api-key`/`X-Forwarded-For`/`x-restapi` headers and their
    ///   multi-value form, [`stageVariables`], `requestContext` (with `disconnectStatusCode` and
    ///   `disconnectReason`), `isBase64Encoded`.
    ///
    /// - Returns: The event as a JSON object.
    package func lambdaProxyEvent() -> JSONValue {
        var event = JSONObject()
        switch self.eventType {
        case .connect:
            let (single, multi) = Self.mergedHeaders(self.headers)
            event["headers"] = .object(single)
            event["multiValueHeaders"] = .object(multi)
            if let queryString = self.queryString {
                let (singleQuery, multiQuery) = Self.mergedQuery(queryString)
                event["queryStringParameters"] = .object(singleQuery)
                event["multiValueQueryStringParameters"] = .object(multiQuery)
            }
        case .disconnect:
            let fixed: [(String, String)] = [
                ("Host", self.domainName), ("x-api-key", ""), ("X-Forwarded-For", ""), ("x-restapi", ""),
            ]
            event["headers"] = .object(JSONObject(fixed.map { ($0.0, .string($0.1)) }))
            event["multiValueHeaders"] = .object(JSONObject(fixed.map { ($0.0, .array([.string($0.1)])) }))
        case .message:
            break
        }
        if let stageVariables = self.stageVariables, !stageVariables.isEmpty {
            event["stageVariables"] = .object(JSONObject(stageVariables.map { ($0.0, .string($0.1)) }))
        }
        event["requestContext"] = .object(self.requestContext())
        if self.eventType == .message {
            event["body"] = .string(self.body ?? "")
        }
        event["isBase64Encoded"] = .bool(self.isBase64Encoded)
        return .object(event)
    }

    /// The `requestContext` object, in AWS's member order for the event type.
    private func requestContext() -> JSONObject {
        var context = JSONObject()
        context["routeKey"] = .string(self.routeKey)
        switch self.eventType {
        case .message:
            context["messageId"] = .string(self.messageId ?? "")
        case .disconnect:
            context["disconnectStatusCode"] = .integer(self.disconnectStatusCode ?? Self.noStatusReceivedCode)
        case .connect:
            break
        }
        context["eventType"] = .string(self.eventType.rawValue)
        context["extendedRequestId"] = .string(self.requestId)
        context["requestTime"] = .string(Timestamp.clf(epochMillis: self.requestTimeEpochMillis))
        context["messageDirection"] = "IN"
        if self.eventType == .disconnect {
            context["disconnectReason"] = .string(self.disconnectReason ?? "")
        }
        context["stage"] = .string(self.stage)
        context["connectedAt"] = .number(String(self.connectedAtEpochMillis))
        context["requestTimeEpoch"] = .number(String(self.requestTimeEpochMillis))
        context["identity"] = .object(
            JSONObject([("userAgent", .string(self.userAgent ?? "")), ("sourceIp", .string(self.sourceIp))])
        )
        context["requestId"] = .string(self.requestId)
        context["domainName"] = .string(self.domainName)
        context["connectionId"] = .string(self.connectionId)
        context["apiId"] = .string(self.apiId)
        if let authorizer = self.authorizer {
            context["authorizer"] = .object(authorizer)
        }
        return context
    }

    /// Groups headers by case-insensitive name (first spelling kept): values comma-joined, and listed.
    private static func mergedHeaders(_ headers: [(name: String, value: String)]) -> (JSONObject, JSONObject) {
        let groups = Self.group(headers) { $0.lowercased() }
        let single = JSONObject(groups.map { ($0.name, .string($0.values.joined(separator: ","))) })
        let multi = JSONObject(groups.map { ($0.name, .array($0.values.map(JSONValue.string))) })
        return (single, multi)
    }

    /// Groups query parameters by exact name: the last value, and all values.
    private static func mergedQuery(_ parameters: [(name: String, value: String)]) -> (JSONObject, JSONObject) {
        let groups = Self.group(parameters) { $0 }
        let single = JSONObject(groups.map { ($0.name, .string($0.values.last ?? "")) })
        let multi = JSONObject(groups.map { ($0.name, .array($0.values.map(JSONValue.string))) })
        return (single, multi)
    }

    private static func group(
        _ pairs: [(name: String, value: String)],
        key: (String) -> String
    ) -> [(name: String, values: [String])] {
        var groups: [(name: String, values: [String])] = []
        var positions: [String: Int] = [:]
        for pair in pairs {
            let groupKey = key(pair.name)
            if let position = positions[groupKey] {
                groups[position].values.append(pair.value)
            } else {
                positions[groupKey] = groups.count
                groups.append((pair.name, [pair.value]))
            }
        }
        return groups
    }
}
