import SwitchboardCore
import Testing

struct APISelectorTests {
    private let twoAPIs = GatewayConfig(
        apis: [
            APIDefinition(id: "chat", protocolType: .webSocket, stages: [.init(name: "dev"), .init(name: "prod")]),
            APIDefinition(id: "shop", protocolType: .http, stages: [.init(name: "$default")]),
        ],
        domains: [
            DomainConfig(
                domainName: "*",
                mappings: [
                    APIMapping(apiMappingKey: "chat", api: "chat", stage: "dev"),
                    APIMapping(apiMappingKey: "chat/v2", api: "chat", stage: "prod"),
                ]
            ),
            DomainConfig(
                domainName: "shop.example.com",
                mappings: [APIMapping(apiMappingKey: "", api: "shop", stage: "$default")]
            ),
        ]
    )

    @Test("execute-api hosts select the API with the stage as first segment")
    func executeAPIHost() {
        let selector = APISelector(config: self.twoAPIs)
        #expect(
            selector.select(host: "chat.execute-api.localhost:8080", path: "/prod/@connections/x")
                == .init(apiId: "chat", stage: "prod", remainingPath: "/@connections/x")
        )
        #expect(selector.select(host: "chat.execute-api.localhost", path: "/nostage") == nil)
    }

    @Test("the longest mapping key wins, exact hosts before the wildcard")
    func mappings() {
        let selector = APISelector(config: self.twoAPIs)
        #expect(selector.select(host: "h", path: "/chat") == .init(apiId: "chat", stage: "dev", remainingPath: "/"))
        #expect(
            selector.select(host: "h", path: "/chat/v2/@connections/a")
                == .init(apiId: "chat", stage: "prod", remainingPath: "/@connections/a")
        )
        #expect(
            selector.select(host: "shop.example.com:443", path: "/items/1")
                == .init(apiId: "shop", stage: "$default", remainingPath: "/items/1")
        )
        #expect(selector.select(host: "h", path: "/chatty") == nil)
    }

    @Test("with one API the first segment is the stage, or $default")
    func singleAPI() {
        let one = GatewayConfig(apis: [
            APIDefinition(id: "chat", protocolType: .webSocket, stages: [.init(name: "dev")])
        ])
        #expect(
            APISelector(config: one).select(host: nil, path: "/dev")
                == .init(apiId: "chat", stage: "dev", remainingPath: "/")
        )
        #expect(APISelector(config: one).select(host: nil, path: "/other") == nil)
    }
}
