import SwitchboardCore
import SwitchboardPipeline
import Testing

struct RequestParameterMappingTests {
    @Test("sources resolve from context, stage variables, the upgrade request, the body and constants")
    func resolves() {
        let mapping = RequestParameterMapping([
            "integration.request.header.connectionId": "context.connectionId",
            "integration.request.header.X-Color": "stageVariables.color",
            "integration.request.header.X-Agent": "route.request.header.User-Agent",
            "integration.request.querystring.room": "route.request.querystring.room",
            "integration.request.header.X-Static": "'fixed'",
            "integration.request.header.X-Body": "route.request.body.data.n",
            "not.a.target": "context.connectionId",
        ])
        let connect = PipelineFixtures.exchange(
            route: "$connect",
            eventType: .connect,
            headers: [("user-agent", "ua/1")],
            query: [("room", "r1")]
        )
        let resolved = mapping.resolve(connect)
        #expect(
            resolved.headers.map { "\($0.name)=\($0.value)" }.sorted() == [
                "X-Agent=ua/1", "X-Color=blue", "X-Static=fixed", "connectionId=R1kmxc2VNjMCFIA=",
            ]
        )
        #expect(resolved.query.map { "\($0.name)=\($0.value)" } == ["room=r1"])
        let message = PipelineFixtures.exchange(body: #"{"data":{"n":7}}"#, headers: [("user-agent", "ua/1")])
        let fromMessage = mapping.resolve(message)
        #expect(fromMessage.headers.contains { $0.name == "X-Body" && $0.value == "7" })
        #expect(!fromMessage.headers.contains { $0.name == "X-Agent" })  // route.request.header is $connect only
    }

    @Test(
        "stage variables substitute into URIs",
        arguments: [
            ("${stageVariables.base}/x", "http://b/x"), ("http://h/${stageVariables.missing}/y", "http://h//y"),
            ("no variables", "no variables"), ("${stageVariables.unterminated", "${stageVariables.unterminated"),
        ]
    )
    func stageVariables(text: String, expected: String) {
        #expect(StageVariableSubstitution.apply(text, ["base": "http://b"]) == expected)
    }
}
