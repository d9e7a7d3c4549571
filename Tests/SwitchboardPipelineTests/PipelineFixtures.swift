import NIOCore
import SwitchboardCore
import SwitchboardPipeline

/// Builds exchanges for pipeline tests.
enum PipelineFixtures {
    static let connection = ConnectionInfo(
        connectionId: "R1kmxc2VNjMCFIA=",
        apiId: "chat",
        stage: "dev",
        domainName: "example.com",
        sourceIp: "10.0.0.1",
        userAgent: "tests",
        connectedAtMillis: 1_705_751_697_419
    )

    static func exchange(
        route: String = "$default",
        body: String? = nil,
        eventType: WebSocketEventType = .message,
        integration: IntegrationDefinition? = nil,
        headers: [(name: String, value: String)] = [],
        query: [(name: String, value: String)]? = nil,
        stageVariables: [String: String] = ["color": "blue"]
    ) -> Exchange {
        let definition = RouteDefinition(routeKey: route, integration: integration)
        return Exchange(
            route: CompiledRoute(definition: definition, invoker: nil),
            stageVariables: stageVariables,
            connection: connection,
            eventType: eventType,
            requestId: "R1knPH17NjMFftw=",
            messageId: eventType == .message ? "R1knPc2ntjMCFIA=" : nil,
            requestTimeMillis: 1_705_751_700_453,
            body: body.map { ByteBuffer(string: $0) },
            headers: headers,
            queryString: query
        )
    }
}
