import SwitchboardCore
import SwitchboardPipeline
import Testing

struct RouteSelectionTests {
    private func api(_ expression: String, routes: [String]) throws -> CompiledWebSocketAPI {
        let definition = APIDefinition(
            id: "chat",
            protocolType: .webSocket,
            routeSelectionExpression: expression,
            stages: [.init(name: "dev")],
            routes: routes.map { RouteDefinition(routeKey: $0) }
        )
        return CompiledWebSocketAPI(
            definition: definition,
            routeSelection: try SelectionExpression(parsing: expression),
            routes: Dictionary(
                uniqueKeysWithValues: definition.routes.map {
                    ($0.routeKey, CompiledRoute(definition: $0, invoker: nil))
                }
            )
        )
    }

    @Test(
        "messages route by exact key, else $default",
        arguments: [
            (#"{"action":"join"}"#, "join"),
            (#"{"action":"Join"}"#, "$default"),
            (#"{"action":"missing"}"#, "$default"),
            ("not json", "$default"),
            (#"{"action":"$connect"}"#, "$default"),
            (#"{"action":"$default"}"#, "$default"),
            (#"{"other":1}"#, "$default"),
        ]
    )
    func exactMatch(body: String, expected: String) throws {
        let api = try self.api("$request.body.action", routes: ["$connect", "$default", "join"])
        #expect(api.selectRoute(body: Array(body.utf8))?.definition.routeKey == expected)
    }

    @Test("without $default an unmatched message selects nothing")
    func noDefault() throws {
        let api = try self.api("$request.body.action", routes: ["join"])
        #expect(api.selectRoute(body: Array(#"{"action":"leave"}"#.utf8)) == nil)
        #expect(api.selectRoute(body: Array("text".utf8)) == nil)
    }

    @Test("several variables and a static expression")
    func compositeAndStatic() throws {
        let composite = try self.api("${request.body.service}/${request.body.action}", routes: ["chat/join"])
        #expect(
            composite.selectRoute(body: Array(#"{"service":"chat","action":"join"}"#.utf8))?.definition.routeKey
                == "chat/join"
        )
        let fixed = try self.api("\\$default", routes: ["$default"])
        #expect(fixed.selectRoute(body: Array("anything".utf8))?.definition.routeKey == "$default")
    }
}
