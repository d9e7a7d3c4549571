import SwitchboardConfig
import SwitchboardCore
import Testing

extension ConfigLoaderTests {
    /// Server, registry, AWS, document shape, API, stage, management API, WebSocket and domain rules.
    static let documentCases: [ValidationCase] = [
        // server / registry / aws
        ValidationCase(
            name: "listen without a port",
            yaml: "server: { listen: 127.0.0.1 }",
            line: 1,
            keyPath: "server.listen",
            message: "must be host:port with an IPv4 address, localhost or [::1] (got '127.0.0.1')"
        ),
        ValidationCase(
            name: "listen on a host name",
            yaml: "server:\n  listen: example.com:80",
            line: 2,
            keyPath: "server.listen",
            message: "must be host:port with an IPv4 address, localhost or [::1] (got 'example.com:80')"
        ),
        ValidationCase(
            name: "listen with an IPv4 octet over 255",
            yaml: "server:\n  listen: 10.0.0.256:80",
            line: 2,
            keyPath: "server.listen",
            message: "must be host:port with an IPv4 address, localhost or [::1] (got '10.0.0.256:80')"
        ),
        ValidationCase(
            name: "listen port out of range",
            yaml: "server:\n\n  listen: localhost:65536",
            line: 3,
            keyPath: "server.listen",
            message: "port must be between 0 and 65535 (got '65536')"
        ),
        ValidationCase(
            name: "nodeId with a space",
            yaml: "server:\n  nodeId: node a",
            line: 2,
            keyPath: "server.nodeId",
            message: "must be letters, digits, '.', '_' or '-' (got 'node a')"
        ),
        ValidationCase(
            name: "negative shutdown grace period",
            yaml: "server:\n  shutdownGracePeriodMillis: -1",
            line: 2,
            keyPath: "server.shutdownGracePeriodMillis",
            message: "must be at least 0 (got -1)"
        ),
        ValidationCase(
            name: "zero maxHeaderBytes",
            yaml: "server:\n  maxHeaderBytes: 0",
            line: 2,
            keyPath: "server.maxHeaderBytes",
            message: "must be positive (got 0)"
        ),
        ValidationCase(
            name: "registry neither memory nor redis",
            yaml: "\nregistry: etcd://127.0.0.1:2379",
            line: 2,
            keyPath: "registry",
            message: "must be 'memory' or a redis:// URL (got 'etcd://127.0.0.1:2379')"
        ),
        ValidationCase(
            name: "aws endpoint that is not a URL",
            yaml: "aws:\n  endpoints:\n    lambda: localhost:9001",
            line: 3,
            keyPath: "aws.endpoints.lambda",
            message: "must be an http:// or https:// URL (got 'localhost:9001')"
        ),
        ValidationCase(
            name: "aws credentials without a secret",
            yaml: "aws:\n  credentials:\n    accessKeyId: AKID",
            line: 3,
            keyPath: "aws.credentials",
            message: "missing required key 'secretAccessKey'"
        ),
        // document shape
        ValidationCase(
            name: "a scalar where a mapping belongs",
            yaml: "server: 8080",
            line: 1,
            keyPath: "server",
            message: "expected a mapping (got 8080)"
        ),
        ValidationCase(
            name: "a mapping where a list belongs",
            yaml: "apis:\n  id: chat",
            line: 2,
            keyPath: "apis",
            message: "expected a list (got a mapping)"
        ),
        ValidationCase(
            name: "a misspelt top-level key",
            yaml: ValidationCase.chat(top: "domain: []"),
            line: 11,
            keyPath: "domain",
            message: "unknown key 'domain' (did you mean 'domains'?)"
        ),
        ValidationCase(
            name: "a key in the wrong letter case",
            yaml: ValidationCase.chat(api: "WebSocket: { allowBinary: true }"),
            line: 10,
            keyPath: "apis[0].WebSocket",
            message: "unknown key 'WebSocket' (did you mean 'webSocket'?)"
        ),
        ValidationCase(
            name: "an unknown key with nothing close",
            yaml: ValidationCase.chat(top: "logging: {}"),
            line: 11,
            keyPath: "logging",
            message: "unknown key 'logging'"
        ),
        // API
        ValidationCase(
            name: "API id with upper case",
            yaml: "apis:\n  - { id: Chat1, protocolType: HTTP, stages: [ { name: dev } ] }",
            line: 2,
            keyPath: "apis[0].id",
            message: "must be lower-case letters and digits, [a-z0-9]+ (got 'Chat1')"
        ),
        ValidationCase(
            name: "API id used twice",
            yaml: """
                apis:
                  - { id: shop, protocolType: HTTP, stages: [ { name: dev } ] }
                  - { id: shop, protocolType: REST, stages: [ { name: dev } ] }
                """,
            line: 3,
            keyPath: "apis[1].id",
            message: "duplicate API id 'shop' (first used at apis[0].id)"
        ),
        ValidationCase(
            name: "API without an id",
            yaml: "apis:\n  - { protocolType: HTTP, stages: [ { name: dev } ] }",
            line: 2,
            keyPath: "apis[0]",
            message: "missing required key 'id'"
        ),
        ValidationCase(
            name: "unknown protocolType",
            yaml: "apis:\n  - id: x\n    protocolType: GRPC\n    stages: [ { name: dev } ]",
            line: 3,
            keyPath: "apis[0].protocolType",
            message: "must be one of WEBSOCKET, HTTP, REST (got GRPC)"
        ),
        ValidationCase(
            name: "API without a protocolType",
            yaml: "apis:\n  - id: x\n    stages: [ { name: dev } ]",
            line: 2,
            keyPath: "apis[0]",
            message: "missing required key 'protocolType'"
        ),
        ValidationCase(
            name: "WebSocket API without a routeSelectionExpression",
            yaml: "apis:\n  - id: x\n    protocolType: WEBSOCKET\n    stages: [ { name: dev } ]",
            line: 2,
            keyPath: "apis[0]",
            message: "missing required key 'routeSelectionExpression' (WEBSOCKET APIs select routes with it, "
                + "e.g. $request.body.action)"
        ),
        ValidationCase(
            name: "unparsable routeSelectionExpression",
            yaml: "apis:\n  - id: x\n    protocolType: WEBSOCKET\n    routeSelectionExpression: ${request.body.action\n"
                + "    stages: [ { name: dev } ]",
            line: 4,
            keyPath: "apis[0].routeSelectionExpression",
            message: "invalid selection expression",
            exact: false
        ),
        ValidationCase(
            name: "REST-only key on a WebSocket API",
            yaml: ValidationCase.chat(api: "corsConfiguration: { allowOrigins: ['*'] }"),
            line: 10,
            keyPath: "apis[0].corsConfiguration",
            message: "unknown key 'corsConfiguration'"
        ),
        // stages
        ValidationCase(
            name: "API without stages",
            yaml: "apis:\n  - id: x\n    protocolType: HTTP",
            line: 2,
            keyPath: "apis[0]",
            message: "missing required key 'stages' (an API needs at least one stage)"
        ),
        ValidationCase(
            name: "API with an empty stage list",
            yaml: "apis:\n  - id: x\n    protocolType: HTTP\n    stages: []",
            line: 4,
            keyPath: "apis[0].stages",
            message: "must list at least one stage"
        ),
        ValidationCase(
            name: "stages given as a scalar",
            yaml: "apis:\n  - id: x\n    protocolType: HTTP\n    stages: dev",
            line: 4,
            keyPath: "apis[0].stages",
            message: "expected a list (got dev)"
        ),
        ValidationCase(
            name: "stage name with a space",
            yaml: "apis:\n  - id: x\n    protocolType: HTTP\n    stages:\n      - name: dev stage",
            line: 5,
            keyPath: "apis[0].stages[0].name",
            message: "must be $default or letters, digits, '_' and '-' (got 'dev stage')"
        ),
        ValidationCase(
            name: "stage name used twice",
            yaml: "apis:\n  - id: x\n    protocolType: HTTP\n    stages:\n      - name: dev\n      - name: dev",
            line: 6,
            keyPath: "apis[0].stages[1].name",
            message: "duplicate stage name 'dev'"
        ),
        ValidationCase(
            name: "stage caching enabled",
            yaml: """
                apis:
                  - id: chat
                    protocolType: WEBSOCKET
                    routeSelectionExpression: $request.body.action
                    stages:
                      - { name: dev, cacheClusterEnabled: true }
                """,
            line: 6,
            keyPath: "apis[0].stages[0].cacheClusterEnabled",
            message: "stage caching is not supported yet; set cacheClusterEnabled: false"
        ),
    ]

    /// Management API, WebSocket settings and domain mapping rules.
    static let settingsCases: [ValidationCase] = [
        ValidationCase(
            name: "unknown management auth",
            yaml: ValidationCase.chat(api: "managementApi: { auth: BASIC }"),
            line: 10,
            keyPath: "apis[0].managementApi.auth",
            message: "must be one of NONE, AWS_IAM (got BASIC)"
        ),
        ValidationCase(
            name: "AWS_IAM management auth without credentials",
            yaml: ValidationCase.chat(api: "managementApi: { auth: AWS_IAM }"),
            line: 10,
            keyPath: "apis[0].managementApi.auth",
            message:
                "AWS_IAM needs aws.credentials (the keys SigV4 signatures on @connections calls are checked against)"
        ),
        ValidationCase(
            name: "unauthenticated management API on a public listener",
            yaml: ValidationCase.chat(listen: "0.0.0.0:8080"),
            line: 3,
            keyPath: "apis[0].managementApi.auth",
            message: "auth NONE on a listener that is not loopback (0.0.0.0) lets anyone who can reach it post to, "
                + "read and disconnect every connection; use auth: AWS_IAM, listen on 127.0.0.1, or set "
                + "allowUnauthenticatedRemote: true to accept the risk"
        ),
        ValidationCase(
            name: "allowUnauthenticatedRemote that is not a boolean",
            yaml: ValidationCase.chat(api: "managementApi: { allowUnauthenticatedRemote: yes }"),
            line: 10,
            keyPath: "apis[0].managementApi.allowUnauthenticatedRemote",
            message: "expected true or false (got yes)"
        ),
        ValidationCase(
            name: "zero maxFrameBytes",
            yaml: ValidationCase.chat(api: "webSocket: { maxFrameBytes: 0 }"),
            line: 10,
            keyPath: "apis[0].webSocket.maxFrameBytes",
            message: "must be positive (got 0)"
        ),
        ValidationCase(
            name: "negative idle timeout",
            yaml: ValidationCase.chat(api: "webSocket: { idleTimeoutSeconds: -5 }"),
            line: 10,
            keyPath: "apis[0].webSocket.idleTimeoutSeconds",
            message: "must be positive (got -5)"
        ),
        ValidationCase(
            name: "frame limit above the message limit",
            yaml: ValidationCase.chat(api: "webSocket: { maxFrameBytes: 65536, maxMessageBytes: 1024 }"),
            line: 10,
            keyPath: "apis[0].webSocket.maxFrameBytes",
            message: "must not exceed maxMessageBytes (65536 > 1024)"
        ),
        ValidationCase(
            name: "unknown compression mode",
            yaml: ValidationCase.chat(api: "webSocket: { compression: { mode: gzip } }"),
            line: 10,
            keyPath: "apis[0].webSocket.compression.mode",
            message: "must be one of off, noContextTakeover, contextTakeover (got gzip)"
        ),
        ValidationCase(
            name: "compression windowBits below 9",
            yaml: ValidationCase.chat(api: "webSocket: { compression: { windowBits: 8 } }"),
            line: 10,
            keyPath: "apis[0].webSocket.compression.windowBits",
            message: "must be between 9 and 15 (got 8)"
        ),
        ValidationCase(
            name: "compression level above 9",
            yaml: ValidationCase.chat(api: "webSocket: { compression: { level: 10 } }"),
            line: 10,
            keyPath: "apis[0].webSocket.compression.level",
            message: "must be between 1 and 9 (got 10)"
        ),
        ValidationCase(
            name: "domain mapping to an unknown API",
            yaml: ValidationCase.chat(top: "domains: [ { domainName: '*', mappings: [ { api: chta, stage: dev } ] } ]"),
            line: 11,
            keyPath: "domains[0].mappings[0].api",
            message: "no API with id 'chta' (known: 'chat')"
        ),
        ValidationCase(
            name: "domain mapping to an unknown stage",
            yaml: ValidationCase.chat(
                top: "domains: [ { domainName: '*', mappings: [ { api: chat, stage: prod } ] } ]"
            ),
            line: 11,
            keyPath: "domains[0].mappings[0].stage",
            message: "API 'chat' has no stage 'prod' (has 'dev')"
        ),
        ValidationCase(
            name: "domain without a domainName",
            yaml: ValidationCase.chat(top: "domains: [ { mappings: [ { api: chat, stage: dev } ] } ]"),
            line: 11,
            keyPath: "domains[0]",
            message: "missing required key 'domainName'"
        ),
        ValidationCase(
            name: "two mappings with one base path",
            yaml: ValidationCase.chat(
                top: "domains: [ { domainName: '*', mappings: [ { apiMappingKey: a, api: chat, stage: dev }, "
                    + "{ apiMappingKey: a, api: chat, stage: dev } ] } ]"
            ),
            line: 11,
            keyPath: "domains[0].mappings[1].apiMappingKey",
            message: "duplicate apiMappingKey 'a' on domain '*'"
        ),
    ]

    @Test(
        "each document, API and settings rule reports one diagnostic at its line and key path",
        arguments: ConfigLoaderTests.documentCases + ConfigLoaderTests.settingsCases
    )
    func documentRule(_ rule: ValidationCase) {
        Self.expectSingleDiagnostic(rule)
    }

    /// Checks that `rule.yaml` yields exactly the diagnostic `rule` describes.
    static func expectSingleDiagnostic(_ rule: ValidationCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = Self.diagnostics(rule.yaml)
        #expect(found.count == 1, "\(found.map(\.description))", sourceLocation: sourceLocation)
        guard let diagnostic = found.first else { return }
        #expect(diagnostic.file == "test.yaml", sourceLocation: sourceLocation)
        #expect(diagnostic.line == rule.line, sourceLocation: sourceLocation)
        #expect(diagnostic.keyPath == rule.keyPath, sourceLocation: sourceLocation)
        if rule.exact {
            #expect(diagnostic.message == rule.message, sourceLocation: sourceLocation)
        } else {
            #expect(diagnostic.message.hasPrefix(rule.message), "\(diagnostic)", sourceLocation: sourceLocation)
        }
    }

    @Test("a public listener may serve an unauthenticated or AWS_IAM management API when configured to")
    func publicListenerAllowed() throws {
        let allowed = ValidationCase.chat(
            api: "managementApi: { auth: NONE, allowUnauthenticatedRemote: true }",
            listen: "0.0.0.0:8080"
        )
        #expect(try ConfigLoader.load(yaml: allowed, file: "t.yaml", environment: [:]).server.host == "0.0.0.0")
        let signed = ValidationCase.chat(
            api: "managementApi: { auth: AWS_IAM }",
            top: "aws: { credentials: { accessKeyId: a, secretAccessKey: b } }",
            listen: "0.0.0.0:8080"
        )
        let config = try ConfigLoader.load(yaml: signed, file: "t.yaml", environment: [:])
        #expect(config.apis.first?.managementApi.auth == .awsIAM)
    }
}
