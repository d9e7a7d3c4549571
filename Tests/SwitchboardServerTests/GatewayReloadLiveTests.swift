import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SwitchboardConfig
import SwitchboardCore
import SwitchboardServer
import SwitchboardTesting
import Synchronization
import Testing

/// A WebSocket API `chat` (stage `dev`) whose `hello` route answers `greeting`, plus `extra` verbatim.
private func chatYAML(greeting: String, extra: String = "", listen: String = "127.0.0.1:0") -> String {
    """
    server: { listen: \(listen) }
    apis:
      - id: chat
        protocolType: WEBSOCKET
        routeSelectionExpression: $request.body.action
        stages: [ { name: dev } ]
        routes:
          hello:
            integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: \(greeting) } } ] }
            routeResponseSelectionExpression: $default
    \(extra)
    """
}

/// Two more APIs, as `apis:` list items: an HTTP API `shop` and a WebSocket API `more`.
private let moreAPIs = """
      - id: shop
        protocolType: HTTP
        stages: [ { name: $default } ]
        routes:
          GET /items: { integration: { type: MOCK, requestTemplates: { $default: '{"statusCode": 200}' }, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: items } } ] } }
      - id: more
        protocolType: WEBSOCKET
        routeSelectionExpression: $request.body.action
        stages: [ { name: dev } ]
        routes:
          hello: { integration: { type: MOCK } }
    """

private let mappings = """
    domains:
      - domainName: "*"
        mappings:
          - { apiMappingKey: chat, api: chat, stage: dev }
          - { apiMappingKey: shop, api: shop, stage: $default }
    """

/// The configuration text a test changes between reloads.
private final class ConfigText: Sendable {
    private let text: Mutex<String>

    init(_ text: String) { self.text = Mutex(text) }

    var value: String {
        get { self.text.withLock { $0 } }
        set { self.text.withLock { $0 = newValue } }
    }
}

private func config(_ yaml: String) throws -> GatewayConfig {
    try ConfigLoader.load(yaml: yaml, file: "reload.yaml", environment: [:])
}

struct GatewayReloadLiveTests {
    @Test("a reload changes the routes of messages on an established connection and keeps it open")
    func newRoutesOnOpenConnection() async throws {
        try await LiveGateway.with(try config(chatYAML(greeting: "one"))) { port, server, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "one")

            try server.gateway.reload(try config(chatYAML(greeting: "two")))
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "two")
            #expect(server.gateway.table.count == 1)
        }
    }

    @Test("a reload adds APIs: a new HTTP API answers and the old WebSocket connection stays")
    func addedAPIs() async throws {
        try await LiveGateway.with(try config(chatYAML(greeting: "one"))) { port, server, http in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            let snapshot = try server.gateway.reload(
                try config(chatYAML(greeting: "two", extra: moreAPIs + "\n" + mappings))
            )
            #expect(snapshot.config.apis.map(\.id) == ["chat", "shop", "more"])
            let response = try await http.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/shop/items"),
                timeout: .seconds(5)
            )
            #expect(response.status.code == 200)
            #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "items")
            // The single-API stage URL no longer selects `chat`, but the established connection is untouched.
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "two")
            let (mapped, handshake) = try await RawWebSocketClient.connect(port: port, path: "/chat")
            #expect(handshake.status == 101)
            try await mapped.sendText(#"{"action":"hello"}"#)
            #expect(try await mapped.receive().text == "two")
        }
    }

    @Test("an API removed by a reload keeps serving the connections it already has")
    func removedAPIKeepsConnections() async throws {
        try await LiveGateway.with(try config(chatYAML(greeting: "one"))) { port, server, _ in
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try server.gateway.reload(try config("server: { listen: 127.0.0.1:0 }\napis:\n" + moreAPIs))
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "one")
            let (_, handshake) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            #expect(handshake.status == 403)
        }
    }

    @Test("changing server.listen is refused with the key named, and the running configuration stays")
    func fixedKeyRefused() async throws {
        try await LiveGateway.with(try config(chatYAML(greeting: "one"))) { port, server, _ in
            let changed = try config(chatYAML(greeting: "two", listen: "127.0.0.1:1"))
            #expect(throws: GatewayReloadError(problems: ["server.listen cannot change on reload; restart to apply"])) {
                try server.gateway.reload(changed)
            }
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "one")
        }
    }

    @Test("every key that needs a restart is named")
    func fixedKeys() throws {
        let old = try config(chatYAML(greeting: "one"))
        var new = old
        #expect(Gateway.fixedKeysChanged(from: old, to: new).isEmpty)
        new.server.port = 9
        new.server.nodeId = "b"
        new.server.eventLoopThreads = 3
        new.registry = .redis("redis://127.0.0.1:6379")
        new.cluster.nodeTimeoutMillis = 1
        new.server.headerReadTimeoutMillis = 5
        new.apis = []
        #expect(
            Gateway.fixedKeysChanged(from: old, to: new) == [
                "server.listen", "server.nodeId", "server.eventLoopThreads", "registry", "cluster.nodeTimeoutMillis",
            ]
        )
    }

    @Test(
        "the reloader logs an invalid file's diagnostics, keeps serving, then applies a fixed file on the next trigger"
    )
    func reloaderService() async throws {
        let yaml = ConfigText(chatYAML(greeting: "one"))
        try await LiveGateway.with(try config(yaml.value)) { port, server, _ in
            let (triggers, trigger) = AsyncStream.makeStream(of: Void.self)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let reloader = ConfigReloader(gateway: server.gateway, triggers: triggers, logger: logger) {
                Result { () throws(ConfigError) in
                    try ConfigLoader.load(yaml: yaml.value, file: "reload.yaml", environment: [:])
                }
            }
            yaml.value = chatYAML(greeting: "two") + "\n  bad: ["
            guard case .rejected(let problems) = reloader.reload() else {
                Issue.record("an invalid file was applied")
                return
            }
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("reload.yaml:") == true)
            let (client, _) = try await RawWebSocketClient.connect(port: port, path: "/dev")
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "one")

            yaml.value = chatYAML(greeting: "three")
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await reloader.run() }
                trigger.yield()
                trigger.finish()
            }
            try await client.sendText(#"{"action":"hello"}"#)
            #expect(try await client.receive().text == "three")
        }
    }
}
