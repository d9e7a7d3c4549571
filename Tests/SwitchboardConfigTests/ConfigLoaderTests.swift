import Foundation
import SwitchboardConfig
import SwitchboardCore
import Testing

struct ConfigLoaderTests {
    /// Loads `yaml` and returns the diagnostics it produced (empty when it loaded).
    static func diagnostics(_ yaml: String, environment: [String: String] = [:]) -> [ConfigDiagnostic] {
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "test.yaml", environment: environment)
            return []
        } catch {
            return error.diagnostics
        }
    }

    // MARK: - The DESIGN.md example

    @Test("the DESIGN.md example loads with its environment variables set")
    func designExampleLoads() throws {
        let config = try ConfigLoader.load(
            yaml: ConfigFixtures.designExample,
            file: "design.yaml",
            environment: ConfigFixtures.designEnvironment
        )
        #expect(config.server.host == "127.0.0.1")
        #expect(config.server.port == 8080)
        #expect(config.server.nodeId == "node-a")
        #expect(config.registry == .memory)
        #expect(config.aws.region == "us-east-1")
        #expect(config.aws.endpoints == ["lambda": "http://127.0.0.1:9001"])
        #expect(
            config.aws.credentials
                == AWSCredentials(
                    accessKeyId: "AKIDEXAMPLE",
                    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
                )
        )
        #expect(config.apis.map(\.id) == ["chat", "shop", "pets"])
        #expect(config.apis.map(\.protocolType) == [.webSocket, .http, .rest])

        let chat = try #require(config.api(id: "chat"))
        #expect(chat.routeSelectionExpression == "$request.body.action")
        #expect(chat.managementApi == ManagementAPIConfig(auth: .none))
        #expect(chat.stages == [StageDefinition(name: "dev", stageVariables: ["backend": "http://127.0.0.1:9000"])])
        #expect(chat.routes.map(\.routeKey) == ["$connect", "$disconnect", "$default", "sendmessage", "whoami"])
        #expect(chat.route("$connect")?.integration == IntegrationDefinition(type: .mock))
        #expect(
            chat.route("$disconnect")?.integration
                == IntegrationDefinition(type: .httpProxy, uri: "${stageVariables.backend}/disconnect")
        )
        let defaultRoute = try #require(chat.route("$default"))
        #expect(defaultRoute.isTwoWay)
        #expect(defaultRoute.integration?.type == .awsProxy)
        #expect(defaultRoute.integration?.uri == "arn:aws:lambda:us-east-1:000000000000:function:chat")
        #expect(chat.route("sendmessage")?.integration?.timeoutInMillis == 29_000)
        let whoami = try #require(chat.route("whoami")?.integration)
        #expect(whoami.requestTemplates == ["$default": #"{"statusCode": 200}"#])
        #expect(
            whoami.integrationResponses == [
                IntegrationResponseDefinition(
                    integrationResponseKey: "$default",
                    responseTemplates: ["$default": #"{"connectionId": "$context.connectionId"}"#]
                )
            ]
        )
        #expect(
            chat.authorizers == [
                "auth": AuthorizerDefinition(
                    authorizerType: "REQUEST",
                    authorizerUri: "arn:aws:lambda:us-east-1:000000000000:function:auth",
                    identitySource: ["route.request.header.Authorization"]
                )
            ]
        )
        #expect(chat.webSocket == WebSocketSettings())

        let shop = try #require(config.api(id: "shop"))
        #expect(shop.stages == [StageDefinition(name: "$default")])
        #expect(shop.routes.map(\.routeKey) == ["GET /items/{id}", "ANY /legacy/{proxy+}"])
        #expect(shop.route("GET /items/{id}")?.integration?.payloadFormatVersion == "2.0")

        let pets = try #require(config.api(id: "pets"))
        #expect(pets.stages == [StageDefinition(name: "dev")])
        #expect(pets.routes.isEmpty)
        #expect(pets.resources.map(\.path) == ["/pets/{petId}", "/pets"])
        #expect(pets.models["Pet"]?["required"] == .array([.string("name")]))
        let post = try #require(pets.resources.last?.methods.first)
        #expect(post.httpMethod == "POST")
        #expect(post.requestValidator == .body)
        #expect(post.requestModels == ["application/json": "Pet"])
        #expect(post.apiKeyRequired)
        #expect(post.integration?.integrationResponses.first?.statusCode == "201")

        #expect(
            config.domains == [
                DomainConfig(
                    domainName: "*",
                    mappings: [
                        APIMapping(apiMappingKey: "chat", api: "chat", stage: "dev"),
                        APIMapping(apiMappingKey: "shop", api: "shop", stage: "$default"),
                        APIMapping(apiMappingKey: "pets", api: "pets", stage: "dev"),
                    ]
                )
            ]
        )
    }

    @Test("the DESIGN.md example without its environment names each unset variable where it is used")
    func designExampleWithoutEnvironment() {
        let found = Self.diagnostics(ConfigFixtures.designExample)
        #expect(
            found.map(\.description) == [
                "test.yaml:8:31: aws.credentials.accessKeyId: environment variable AWS_ACCESS_KEY_ID is not set",
                "test.yaml:8:72: aws.credentials.secretAccessKey: environment variable AWS_SECRET_ACCESS_KEY is not set",
                "test.yaml:59:29: apiKeys[0].value: environment variable PARTNER_API_KEY is not set",
            ]
        )
    }

    // MARK: - Defaults and scalar forms

    @Test("absent keys take the documented defaults")
    func defaults() throws {
        let yaml = """
            apis:
              - id: chat
                protocolType: WEBSOCKET
                routeSelectionExpression: $request.body.action
                stages: [ { name: $default } ]
                routes:
                  $connect:
                  sendmessage: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:9000/m" } }
            """
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        #expect(config.server == ServerConfig())
        #expect(config.registry == .memory)
        #expect(config.aws == AWSConfig())
        #expect(config.domains.isEmpty)
        let api = try #require(config.apis.first)
        #expect(api.managementApi == ManagementAPIConfig())
        #expect(api.webSocket == WebSocketSettings())
        #expect(api.route("$connect") == RouteDefinition(routeKey: "$connect"))
        let integration = try #require(api.route("sendmessage")?.integration)
        #expect(integration.integrationMethod == "POST")
        #expect(integration.timeoutInMillis == 29_000)
        #expect(integration.payloadFormatVersion == "1.0")
    }

    @Test("server, registry, booleans and quoted integers are read as documented")
    func scalarForms() throws {
        let yaml = """
            server:
              listen: "[::1]:0"
              nodeId: node-b.eu_1
              shutdownGracePeriodMillis: 2_500
              headerReadTimeoutMillis: "3000"
              maxHeaderBytes: 8192
            registry: redis://127.0.0.1:6379/0
            apis:
              - id: chat2
                protocolType: WEBSOCKET
                routeSelectionExpression: ${request.body.action}
                managementApi: { auth: NONE, allowUnauthenticatedRemote: false }
                webSocket:
                  maxFrameBytes: 1024
                  maxMessageBytes: "4096"
                  allowBinary: true
                  idleTimeoutSeconds: 30
                  maxConnectionSeconds: 60
                  outboundQueueBytes: 65536
                  compression: { mode: contextTakeover, windowBits: 10, level: 9, minBytes: 0 }
                stages: [ { name: prod-1 } ]
                routes:
                  $default:
                    integration: { type: AWS_PROXY, uri: "arn:aws:lambda:::function:f", payloadFormatVersion: 1 }
                    apiKeyRequired: TRUE
            """
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        #expect(
            config.server
                == ServerConfig(
                    host: "::1",
                    port: 0,
                    nodeId: "node-b.eu_1",
                    shutdownGracePeriodMillis: 2_500,
                    headerReadTimeoutMillis: 3_000,
                    maxHeaderBytes: 8_192
                )
        )
        #expect(config.registry == .redis("redis://127.0.0.1:6379/0"))
        let api = try #require(config.apis.first)
        #expect(api.routeSelectionExpression == "${request.body.action}")
        #expect(
            api.webSocket
                == WebSocketSettings(
                    maxFrameBytes: 1_024,
                    maxMessageBytes: 4_096,
                    allowBinary: true,
                    idleTimeoutSeconds: 30,
                    maxConnectionSeconds: 60,
                    outboundQueueBytes: 65_536,
                    compression: CompressionSettings(mode: .contextTakeover, windowBits: 10, level: 9, minBytes: 0)
                )
        )
        #expect(api.route("$default")?.integration?.payloadFormatVersion == "1.0")
        #expect(api.route("$default")?.apiKeyRequired == true)
    }

    @Test("flow mappings, anchors and merge keys are accepted")
    func flowMappingsAndMergeKeys() throws {
        let yaml = """
            apis:
              - id: chat
                protocolType: WEBSOCKET
                routeSelectionExpression: $request.body.action
                stages: [ { name: dev, stageVariables: { backend: "http://b:1", port: 9000 } } ]
                routes:
                  $default: &proxy { integration: { type: HTTP_PROXY, uri: "http://b:1/x", timeoutInMillis: 1000 } }
                  b: *proxy
                  a:
                    <<: *proxy
                    routeResponseSelectionExpression: $default
            """
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        let api = try #require(config.apis.first)
        #expect(api.stages.first?.stageVariables == ["backend": "http://b:1", "port": "9000"])
        #expect(api.routes.map(\.routeKey) == ["$default", "b", "a"])
        #expect(api.route("b")?.integration?.timeoutInMillis == 1_000)
        #expect(api.route("a")?.integration?.uri == "http://b:1/x")
        #expect(api.route("a")?.isTwoWay == true)
    }

    @Test("HTTP and REST API keys decode into the model")
    func httpAndRESTDecode() throws {
        let yaml = """
            aws: { accountId: "123456789012" }
            apis:
              - id: shop
                protocolType: HTTP
                routeSelectionExpression: ${request.method} ${request.path}
                stages: [ { name: $default, autoDeploy: true } ]
                corsConfiguration: { allowOrigins: ["*"], allowMethods: [GET], maxAge: 60 }
                gatewayResponses: { DEFAULT_4XX: { statusCode: 418, responseParameters: { gatewayresponse.header.x-a: "'b'" } } }
                routes:
                  GET /items: { integration: { type: HTTP_PROXY, uri: "http://x/i" } }
                  POST /l: { integration: { type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:000000000000:function:f" } }
                  $default:
                    integration:
                      type: HTTP_PROXY
                      uri: "http://x"
                      requestParameters: { "overwrite:header.x-b": "$request.header.x-a" }
                      responseParameters: { "500": { "overwrite:statuscode": "503" } }
              - id: pets
                protocolType: REST
                stages: [ { name: dev, cacheClusterEnabled: false } ]
                binaryMediaTypes: [image/png]
                models: { Pet: { type: object, properties: { age: { type: integer, minimum: 0 } } } }
                resources:
                  /pets:
                    GET:
                      requestValidator: params
                      requestParameters: { method.request.querystring.owner: true, method.request.header.x-b: false }
                      integration:
                        type: AWS
                        uri: arn:aws:apigateway:us-east-1:sqs:action/SendMessage
                        passthroughBehavior: NEVER
                        requestParameters: { integration.request.querystring.MessageBody: method.request.body }
                        integrationResponses:
                          - { selectionPattern: '4\\d{2}', statusCode: "400", responseParameters: { method.response.header.x-c: "'d'" } }
            apiKeys: [ { name: partner, value: abcdefghijklmnopqrstu } ]
            usagePlans: [ { name: basic, throttle: { rateLimit: 1.5, burstLimit: 2 }, apiKeys: [partner] } ]
            """
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        #expect(config.aws.accountId == "123456789012")
        #expect(
            config.apiKeys == [
                APIKeyDefinition(name: "partner", valueSha256: APIKeyHash.sha256Hex("abcdefghijklmnopqrstu"))
            ]
        )
        #expect(config.usagePlans.first?.throttle == ThrottleSettings(rateLimit: 1.5, burstLimit: 2))
        let shop = try #require(config.api(id: "shop"))
        #expect(shop.route("GET /items")?.integration?.integrationMethod == "ANY")
        #expect(shop.route("GET /items")?.integration?.timeoutInMillis == 30_000)
        #expect(shop.route("POST /l")?.integration?.payloadFormatVersion == "2.0")
        #expect(shop.corsConfiguration == CORSConfiguration(allowOrigins: ["*"], allowMethods: ["GET"], maxAge: 60))
        #expect(shop.gatewayResponses[.default4XX]?.statusCode == 418)
        #expect(shop.route("$default")?.integration?.responseParameters == ["500": ["overwrite:statuscode": "503"]])
        let pets = try #require(config.api(id: "pets"))
        #expect(pets.binaryMediaTypes == ["image/png"])
        let get = try #require(pets.resources.first?.methods.first)
        #expect(
            get.requestParameters == ["method.request.querystring.owner": true, "method.request.header.x-b": false]
        )
        let integration = try #require(get.integration)
        #expect(integration.passthroughBehavior == "NEVER")
        #expect(integration.integrationResponses.first?.selectionPattern == "4\\d{2}")
        #expect(integration.integrationResponses.first?.responseParameters == ["method.response.header.x-c": "'d'"])
    }

    // MARK: - Reporting

    @Test("every problem in a file is reported at once, in file order")
    func severalErrorsAtOnce() {
        let yaml = """
            server:
              listen: 127.0.0.1:99999
            registry: etcd://x
            apis:
              - id: Chat
                protocolType: WEBSOCKET
                routeSelectionExpression: $request.body.action
                stages: [ { name: dev } ]
                routs: {}
                authorizers: { a: { authorizerType: REQUEST } }
              - id: shop
                protocolType: HTTP
                stages: []
            """
        let found = Self.diagnostics(yaml)
        #expect(
            found.map(\.description) == [
                "test.yaml:2:11: server.listen: port must be between 0 and 65535 (got '99999')",
                "test.yaml:3:11: registry: must be 'memory' or a redis:// URL (got 'etcd://x')",
                "test.yaml:5:9: apis[0].id: must be lower-case letters and digits, [a-z0-9]+ (got 'Chat')",
                "test.yaml:9:5: apis[0].routs: unknown key 'routs' (did you mean 'routes'?)",
                "test.yaml:10:23: apis[0].authorizers.a: missing required key 'authorizerUri' "
                    + "(a REQUEST authorizer calls a function)",
                "test.yaml:13:13: apis[1].stages: must list at least one stage",
            ]
        )
    }

    @Test("a YAML syntax error is reported where Yams finds it")
    func syntaxErrorLocation() throws {
        let yaml = """
            server:
              listen: 127.0.0.1:8080
            apis:
              - id: chat
                stages: [ { name: dev }
            """
        let found = Self.diagnostics(yaml)
        #expect(found.count == 1)
        let diagnostic = try #require(found.first)
        #expect(diagnostic.line == 6)
        #expect(diagnostic.column == 1)
        #expect(diagnostic.keyPath == "")
        #expect(diagnostic.message.hasPrefix("invalid YAML: "))
    }

    @Test("a tab in indentation is a syntax error on its line")
    func syntaxErrorTab() throws {
        let found = Self.diagnostics("server:\n\tlisten: 127.0.0.1:1\n")
        let diagnostic = try #require(found.first)
        #expect(found.count == 1)
        #expect(diagnostic.line == 2)
        #expect(diagnostic.message.contains("tab"))
    }

    @Test("a duplicated key is reported")
    func duplicateKey() throws {
        let found = Self.diagnostics("registry: memory\nregistry: memory\n")
        let diagnostic = try #require(found.first)
        #expect(found.count == 1)
        #expect(diagnostic.line == 1)
        #expect(diagnostic.message == "duplicate key 'registry' in a mapping")
    }

    @Test("an empty document is reported")
    func emptyDocument() {
        #expect(
            Self.diagnostics("# nothing here\n").map(\.description) == ["test.yaml:1:1: the configuration is empty"]
        )
    }

    @Test("a diagnostic renders as file:line:column: keyPath: message, an error as one per line")
    func descriptions() {
        let first = ConfigDiagnostic(
            file: "Config/switchboard.yaml",
            line: 12,
            column: 7,
            keyPath: "apis[0].routes.$default.integration.timeoutInMillis",
            message: "must be between 50 and 29000 (got 30000)"
        )
        #expect(
            first.description
                == "Config/switchboard.yaml:12:7: apis[0].routes.$default.integration.timeoutInMillis: "
                + "must be between 50 and 29000 (got 30000)"
        )
        let second = ConfigDiagnostic(file: "c.yaml", line: 0, column: 0, keyPath: "", message: "no such file")
        #expect(second.description == "c.yaml:0:0: no such file")
        #expect(ConfigError(diagnostics: [first, second]).description == "\(first)\n\(second)")
    }

    // MARK: - Files

    @Test("load(path:) reads a file and names it in diagnostics")
    func loadFromPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yaml")
        try ConfigFixtures.designExample.write(to: good, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: good.path, environment: ConfigFixtures.designEnvironment)
        #expect(config.apis.count == 3)

        let bad = directory.appendingPathComponent("bad.yaml")
        try "registry: nowhere\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: bad.path, environment: [:])
        }
        do {
            _ = try ConfigLoader.load(path: bad.path, environment: [:])
        } catch {
            #expect(error.diagnostics.first?.file == bad.path)
            #expect(error.diagnostics.first?.line == 1)
        }
    }

    @Test("an unreadable file is one diagnostic at line 0")
    func unreadableFile() {
        let path = "/nonexistent-\(UUID())/switchboard.yaml"
        do {
            _ = try ConfigLoader.load(path: path, environment: [:])
            Issue.record("loading a missing file succeeded")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.line == 0)
            #expect(error.diagnostics.first?.file == path)
            #expect(error.diagnostics.first?.message.contains("no such file") == true)
        }
    }
}
