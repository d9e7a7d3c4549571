import Foundation
import SwitchboardConfig
import SwitchboardCore
import Testing

struct ConfigLoaderSecurityTests {
    static let base = """
        throttle: { rateLimit: 50, burstLimit: 20 }
        aws:
          iamUsers:
            - { userName: reader, accessKeyId: AKIDREADER, secretAccessKey: s3cr3t, policy: { Statement: [ { Effect: Allow, Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:*:*:pets/*/GET/*" } ] } }
        apiKeys:
          - { name: partner, value: "abcdefghijklmnopqrstuvwxyz" }
          - { name: hashed, valueSha256: "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", enabled: false }
        usagePlans:
          - name: basic
            apiStages: [ { api: pets, stage: dev, throttle: { "/pets/GET": { rateLimit: 1, burstLimit: 1 } } } ]
            throttle: { rateLimit: 0.5, burstLimit: 2 }
            quota: { limit: 3, period: WEEK }
            apiKeys: [ partner ]
        apis:
          - id: chat
            protocolType: WEBSOCKET
            routeSelectionExpression: $request.body.action
            apiKeySelectionExpression: $context.authorizer.usageIdentifierKey
            webSocket: { newConnectionRate: { rateLimit: 100, burstLimit: 10 }, messageRate: { rateLimit: 5, burstLimit: 5 } }
            stages: [ { name: dev, defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 4 }, routeSettings: { echo: { throttlingRateLimit: 1, throttlingBurstLimit: 1 } } } ]
            authorizers:
              auth: { authorizerType: REQUEST, authorizerUri: "http://127.0.0.1:9/auth", identitySource: [route.request.header.Authorization] }
              jwt: { authorizerType: JWT, jwtConfiguration: { issuer: "https://issuer.example", audience: [app] } }
            routes:
              $connect: { authorizationType: CUSTOM, authorizerId: auth, apiKeyRequired: true, integration: { type: MOCK } }
              echo: { integration: { type: MOCK } }
          - id: pets
            protocolType: REST
            apiKeySource: AUTHORIZER
            policy: { Statement: [ { Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" } ] }
            stages: [ { name: dev, methodSettings: { "*/*": { throttlingRateLimit: 100, throttlingBurstLimit: 50 }, "/pets/{id}/GET": { throttlingRateLimit: 2, throttlingBurstLimit: 1 } } } ]
            authorizers:
              tok: { authorizerType: TOKEN, authorizerUri: "arn:aws:lambda:us-east-1:000000000000:function:t", identitySource: [method.request.header.Authorization], identityValidationExpression: "^Bearer .+$", authorizerResultTtlInSeconds: 60 }
            resources:
              /pets: { GET: { apiKeyRequired: true, authorizationType: CUSTOM, authorizerId: tok } }
        """

    @Test("throttles, keys, plans, authorizer settings and policies decode into the model")
    func decodes() throws {
        let config = try ConfigLoader.load(yaml: Self.base, file: "t.yaml", environment: [:])
        #expect(config.throttle == ThrottleSettings(rateLimit: 50, burstLimit: 20))
        #expect(config.aws.iamUsers.map(\.userName) == ["reader"])
        #expect(config.aws.iamUsers.first?.policy != nil)
        #expect(config.apiKeys.map(\.name) == ["partner", "hashed"])
        #expect(config.apiKeys[0].valueSha256 == APIKeyHash.sha256Hex("abcdefghijklmnopqrstuvwxyz"))
        #expect(config.apiKeys[1].valueSha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(config.apiKeys[1].enabled == false)
        let plan = try #require(config.usagePlans.first)
        #expect(plan.quota == QuotaSettings(limit: 3, period: .week))
        #expect(plan.apiStages.first?.throttle["GET /pets"] == ThrottleSettings(rateLimit: 1, burstLimit: 1))
        let chat = try #require(config.api(id: "chat"))
        #expect(chat.apiKeySource == .authorizer)
        #expect(chat.webSocket.messageRate == ThrottleSettings(rateLimit: 5, burstLimit: 5))
        #expect(chat.stages[0].defaultThrottle == ThrottleSettings(rateLimit: 10, burstLimit: 4))
        #expect(chat.stages[0].routeThrottles["echo"] == ThrottleSettings(rateLimit: 1, burstLimit: 1))
        #expect(chat.authorizers["jwt"]?.identitySource == ["$request.header.Authorization"])
        #expect(
            chat.authorizers["jwt"]?.jwtConfiguration
                == JWTConfiguration(issuer: "https://issuer.example", audience: ["app"])
        )
        let pets = try #require(config.api(id: "pets"))
        #expect(pets.stages[0].defaultThrottle?.burstLimit == 50)
        #expect(pets.stages[0].routeThrottles["GET /pets/{id}"]?.burstLimit == 1)
        #expect(pets.authorizers["tok"]?.authorizerResultTtlInSeconds == 60)
        #expect(pets.policy != nil)
    }

    @Test(
        "each mistake is one diagnostic at its key path",
        arguments: [
            ("value: \"abcdefghijklmnopqrstuvwxyz\"", "value: short", "apiKeys[0].value", "20 to 128"),
            ("apiKeys: [ partner ]", "apiKeys: [ nobody ]", "usagePlans[0].apiKeys[0]", "no API key named 'nobody'"),
            (
                "{ api: pets, stage: dev,", "{ api: pets, stage: prod,", "usagePlans[0].apiStages[0].stage",
                "no stage 'prod'"
            ),
            ("period: WEEK", "period: YEAR", "usagePlans[0].quota.period", "must be one of"),
            (
                "throttle: { rateLimit: 0.5, burstLimit: 2 }", "throttle: { rateLimit: fast, burstLimit: 2 }",
                "usagePlans[0].throttle.rateLimit", "must be a number"
            ),
            (
                "\"/pets/{id}/GET\"", "\"pets-GET\"", "apis[1].stages[0].methodSettings.pets-GET",
                "resource path and method"
            ),
            (
                "audience: [app] }", "audience: [app], jwksUri: ftp://x }",
                "apis[0].authorizers.jwt.jwtConfiguration.jwksUri", "http"
            ),
            (
                "authorizerResultTtlInSeconds: 60", "authorizerResultTtlInSeconds: 7200",
                "apis[1].authorizers.tok.authorizerResultTtlInSeconds", "between 0 and 3600"
            ),
            (
                "apiKeySelectionExpression: $context.authorizer.usageIdentifierKey",
                "apiKeySelectionExpression: $request.body.key", "apis[0].apiKeySelectionExpression", "must be"
            ),
            ("Effect: Allow, Principal", "Effect: Perhaps, Principal", "apis[1].policy", "not a resource policy"),
            (
                "Effect: Allow, Action: \"execute-api", "Effect: Maybe, Action: \"execute-api",
                "aws.iamUsers[0].policy", "not an IAM policy"
            ),
        ]
    )
    func diagnostics(_ original: String, _ replacement: String, _ keyPath: String, _ text: String) {
        let yaml = Self.base.replacingOccurrences(of: original, with: replacement)
        let diagnostics = ConfigLoaderTests.diagnostics(yaml)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.keyPath == keyPath)
        #expect(diagnostics.first?.message.contains(text) == true, "\(diagnostics)")
        #expect((diagnostics.first?.line ?? 0) > 0)
    }

    @Test("a key may be in one plan per API stage")
    func onePlanPerStage() {
        let yaml = Self.base.replacingOccurrences(
            of: "    apiKeys: [ partner ]\napis:",
            with:
                "    apiKeys: [ partner ]\n  - { name: second, apiStages: [ { api: pets, stage: dev } ], apiKeys: [ partner ] }\napis:"
        )
        let diagnostics = ConfigLoaderTests.diagnostics(yaml)
        #expect(diagnostics.map(\.keyPath) == ["usagePlans[1].apiStages[0]"], "\(diagnostics)")
    }
}
