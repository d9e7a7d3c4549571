package import SwitchboardCore

/// The events Lambda authorizers receive, derived from the proxy events as AWS derives them: the same request
/// fields, without the body, with `type` and the ARN in front.
package enum AuthorizerEvents {
    /// REST TOKEN: `{type, authorizationToken, methodArn}`.
    package static func token(_ token: String, methodArn: String) -> JSONValue {
        .object(
            JSONObject([
                ("type", .string("TOKEN")), ("authorizationToken", .string(token)), ("methodArn", .string(methodArn)),
            ])
        )
    }

    /// REST REQUEST: `type`, `methodArn`, then the 1.0 proxy event's request fields.
    package static func restRequest(_ proxy: JSONValue, methodArn: String) -> JSONValue {
        Self.prefixed(proxy, with: [("type", .string("REQUEST")), ("methodArn", .string(methodArn))])
    }

    /// HTTP API format 1.0: `version`, `type`, `methodArn`, `identitySource` and `authorizationToken` (the
    /// identity values comma-joined), then the 1.0 proxy event's fields.
    package static func httpV1(_ proxy: JSONValue, routeArn: String, identity: [String]) -> JSONValue {
        let joined = JSONValue.string(identity.joined(separator: ","))
        return Self.prefixed(
            proxy,
            with: [
                ("version", "1.0"), ("type", .string("REQUEST")), ("methodArn", .string(routeArn)),
                ("identitySource", joined), ("authorizationToken", joined),
            ]
        )
    }

    /// HTTP API format 2.0: `version`, `type`, `routeArn`, `identitySource` (a list), then the 2.0 proxy event.
    package static func httpV2(_ proxy: JSONValue, routeArn: String, identity: [String]) -> JSONValue {
        Self.prefixed(
            proxy,
            with: [
                ("version", "2.0"), ("type", .string("REQUEST")), ("routeArn", .string(routeArn)),
                ("identitySource", .array(identity.map(JSONValue.string))),
            ]
        )
    }

    /// WebSocket `$connect` REQUEST: `type`, `methodArn`, then the CONNECT event's headers, query string, stage
    /// variables and request context.
    package static func webSocketConnect(_ connectEvent: JSONValue, methodArn: String) -> JSONValue {
        Self.prefixed(connectEvent, with: [("type", .string("REQUEST")), ("methodArn", .string(methodArn))])
    }

    private static func prefixed(_ proxy: JSONValue, with head: [(String, JSONValue)]) -> JSONValue {
        var event = JSONObject(head)
        for (key, value) in proxy.objectValue ?? JSONObject()
        where key != "body" && key != "isBase64Encoded" && !event.contains(key: key) {
            event[key] = value
        }
        return .object(event)
    }
}
