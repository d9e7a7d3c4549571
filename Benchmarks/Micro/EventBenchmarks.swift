import Benchmark
import SwitchboardCore

/// Lambda proxy event building and serialization: what a Lambda proxy integration does for every request or
/// message before it invokes the function.
enum EventBenchmarks {
    /// Headers a browser or SDK typically sends.
    static let headers: [(name: String, value: String)] = [
        ("Host", "abc123.execute-api.us-east-1.amazonaws.com"), ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"),
        ("Accept", "application/json"), ("Accept-Encoding", "gzip, deflate, br"), ("Accept-Language", "en-US,en;q=0.9"),
        ("Content-Type", "application/json"), ("Content-Length", "64"), ("X-Request-Id", "7f1c2a9e-4b1d-4c55-9d0e"),
        ("X-Forwarded-For", "203.0.113.7"), ("Cookie", "session=abc; theme=dark"),
    ]

    /// `POST /pets/42/toys/7?limit=10&sort=asc&tag=a&tag=b` with a 64-byte JSON body, matched to a two-variable route.
    static let proxyRequest = ProxyRequest(
        method: "POST",
        path: "/pets/42/toys/7",
        requestContextPath: "/dev/pets/42/toys/7",
        rawPath: "/dev/pets/42/toys/7",
        rawQuery: "limit=10&sort=asc&tag=a&tag=b",
        headers: headers,
        body: Array(#"{"name":"ball","color":"red","price":4.99,"tags":["round","soft"]}"#.utf8),
        sourceIp: "203.0.113.7",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
        domainName: "abc123.execute-api.us-east-1.amazonaws.com",
        apiId: "abc123",
        stage: "dev",
        accountId: "123456789012",
        requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        extendedRequestId: "c6af9ac67b6111e6",
        requestTimeMillis: 1_700_000_000_123,
        resourcePath: "/pets/{id}/toys/{toyId}",
        resourceId: "r4nd0m",
        routeKey: "POST /pets/{id}/toys/{toyId}",
        pathParameters: [("id", "42"), ("toyId", "7")],
        stageVariables: ["backend": "pets-v2", "logLevel": "info"]
    )

    /// A WebSocket `MESSAGE` event carrying the 134-byte chat message.
    static let messageEvent = WebSocketEvent(
        routeKey: "sendmessage",
        eventType: .message,
        messageId: "c6af9ac6-msg",
        requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        requestTimeEpochMillis: 1_700_000_000_123,
        stage: "dev",
        connectedAtEpochMillis: 1_700_000_000_000,
        sourceIp: "203.0.113.7",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
        domainName: "abc123.execute-api.us-east-1.amazonaws.com",
        connectionId: "L0SM9cOFvHcCIhw=",
        apiId: "abc123",
        body: String(decoding: MessageBenchmarks.smallMessage, as: UTF8.self)
    )

    static func register() {
        let request = self.proxyRequest
        let message = self.messageEvent
        Benchmark("event: HTTP API payload 2.0, build + serialize") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ProxyEvent.httpV2(request).serialized)
            }
        }
        Benchmark("event: REST API payload 1.0, build + serialize") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ProxyEvent.restV1(request).serialized)
            }
        }
        Benchmark("event: HTTP API payload 2.0, build only") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ProxyEvent.httpV2(request))
            }
        }
        Benchmark("event: WebSocket MESSAGE, build + serialize") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(message.lambdaProxyEvent().serialized)
            }
        }
    }
}
