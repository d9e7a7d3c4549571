import Foundation
import Testing

@testable import SwitchboardCore

struct WebSocketEventTests {
    static let domain = "dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com"
    static let userAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/120.0.0.0 Safari/537.36"
    static let sourceIp = "49.105.91.154"
    static let upgradeHeaders: [(name: String, value: String)] = [
        ("Host", domain),
        ("Origin", "https://example.com"),
        ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("Sec-WebSocket-Version", "13"),
        ("User-Agent", userAgent),
        ("X-Amzn-Trace-Id", "Root=1-65abb491-4c2b1f0e6d3a7b8c9d0e1f2a"),
        ("X-Forwarded-For", sourceIp),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Proto", "https"),
    ]

    /// The golden file `Fixtures/websocket-events/<name>`, without its trailing newline.
    static func golden(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/websocket-events/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    static func connect(
        headers: [(name: String, value: String)] = upgradeHeaders,
        queryString: [(name: String, value: String)]? = nil,
        authorizer: JSONObject? = nil,
        stageVariables: [(String, String)]? = nil
    ) -> WebSocketEvent {
        WebSocketEvent(
            routeKey: "$connect",
            eventType: .connect,
            requestId: "R1kmxFq0NjMFftw=",
            requestTimeEpochMillis: 1_705_751_697_419,
            stage: "prod",
            connectedAtEpochMillis: 1_705_751_697_419,
            sourceIp: sourceIp,
            userAgent: userAgent,
            domainName: domain,
            connectionId: "R1kmxc2VNjMCFIA=",
            apiId: "dl7ptocha9",
            headers: headers,
            queryString: queryString,
            authorizer: authorizer,
            stageVariables: stageVariables
        )
    }

    static func message(
        body: String,
        isBase64Encoded: Bool = false,
        authorizer: JSONObject? = nil,
        stageVariables: [(String, String)]? = nil
    ) -> WebSocketEvent {
        WebSocketEvent(
            routeKey: "$default",
            eventType: .message,
            messageId: "R1knPc2ntjMCFIA=",
            requestId: "R1knPH17NjMFftw=",
            requestTimeEpochMillis: 1_705_751_700_453,
            stage: "prod",
            connectedAtEpochMillis: 1_705_751_697_419,
            sourceIp: sourceIp,
            userAgent: userAgent,
            domainName: domain,
            connectionId: "R1kmxc2VNjMCFIA=",
            apiId: "dl7ptocha9",
            body: body,
            isBase64Encoded: isBase64Encoded,
            authorizer: authorizer,
            stageVariables: stageVariables
        )
    }

    static func disconnect(
        statusCode: Int?,
        userAgent: String?,
        authorizer: JSONObject? = nil
    ) -> WebSocketEvent {
        WebSocketEvent(
            routeKey: "$disconnect",
            eventType: .disconnect,
            requestId: "R1koeHsUtjMFbRw=",
            requestTimeEpochMillis: 1_705_751_708_326,
            stage: "prod",
            connectedAtEpochMillis: 1_705_751_697_419,
            sourceIp: sourceIp,
            userAgent: userAgent,
            domainName: domain,
            connectionId: "R1kmxc2VNjMCFIA=",
            apiId: "dl7ptocha9",
            headers: [("Ignored", "on disconnect")],
            disconnectStatusCode: statusCode,
            authorizer: authorizer,
            stageVariables: []
        )
    }

    @Test("CONNECT without a query string matches the AWS shape")
    func connectPlain() throws {
        #expect(Self.connect().lambdaProxyEvent().serialized == (try Self.golden("connect.json")))
    }

    @Test("CONNECT with query string, repeated names, stage variables and authorizer")
    func connectFull() throws {
        let event = Self.connect(
            headers: Self.upgradeHeaders + [("x-custom", "a"), ("X-Custom", "b")],
            queryString: [("token", "abc 123"), ("room", "lobby"), ("tag", "a"), ("tag", "b")],
            authorizer: ["principalId": "user-42", "tier": "gold", "count": "1", "admin": "true"],
            stageVariables: [("lambdaAlias", "live"), ("env", "prod")]
        )
        #expect(event.lambdaProxyEvent().serialized == (try Self.golden("connect-query-authorizer.json")))
    }

    @Test("CONNECT with an empty query string still has both query objects")
    func connectEmptyQuery() throws {
        let event = Self.connect(headers: [], queryString: [], stageVariables: [])
        #expect(event.lambdaProxyEvent().serialized == (try Self.golden("connect-empty-query.json")))
    }

    @Test("MESSAGE matches the AWS capture")
    func message() throws {
        let event = Self.message(body: "{\r\n\t\"a\": 1\r\n}")
        #expect(event.lambdaProxyEvent().serialized == (try Self.golden("message.json")))
    }

    @Test("binary MESSAGE with authorizer and stage variables")
    func messageBinary() throws {
        let event = Self.message(
            body: "AAECAwQ=",
            isBase64Encoded: true,
            authorizer: ["principalId": "user-42", "tier": "gold"],
            stageVariables: [("env", "prod")]
        )
        #expect(event.lambdaProxyEvent().serialized == (try Self.golden("message-binary-authorizer.json")))
    }

    @Test("DISCONNECT matches the AWS capture")
    func disconnect() throws {
        let event = Self.disconnect(statusCode: 1001, userAgent: Self.userAgent)
        #expect(event.lambdaProxyEvent().serialized == (try Self.golden("disconnect.json")))
    }

    @Test("DISCONNECT without a close code or user agent, with authorizer")
    func disconnectDefaults() throws {
        let event = Self.disconnect(statusCode: nil, userAgent: nil, authorizer: ["principalId": "user-42"])
        #expect(event.lambdaProxyEvent().serialized == (try Self.golden("disconnect-authorizer.json")))
    }

    @Test("messageId appears only on MESSAGE, body only on MESSAGE")
    func fieldPresence() throws {
        var connect = Self.connect()
        connect.messageId = "should-not-appear"
        connect.body = "nor-this"
        let rendered = try #require(connect.lambdaProxyEvent().objectValue)
        #expect(rendered["body"] == nil)
        #expect(rendered["requestContext"]?["messageId"] == nil)
        #expect(rendered["queryStringParameters"] == nil)
        #expect(rendered["stageVariables"] == nil)
        let message = try #require(Self.message(body: "x").lambdaProxyEvent().objectValue)
        #expect(message["headers"] == nil)
        #expect(message.keys == ["requestContext", "body", "isBase64Encoded"])
    }

    @Test("event type raw values are AWS's")
    func eventTypeRawValues() {
        #expect(WebSocketEventType.connect.rawValue == "CONNECT")
        #expect(WebSocketEventType.message.rawValue == "MESSAGE")
        #expect(WebSocketEventType.disconnect.rawValue == "DISCONNECT")
    }
}
