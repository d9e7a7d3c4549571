import SwitchboardConfig
import SwitchboardCore
import Testing

extension ConfigLoaderTests {
    /// A WebSocket API whose `$default` integration URI and timeout are given; lines 8 and 9 hold them.
    /// (In a flow mapping `{` and `}` are indicators, so `${NAME}` there must be quoted, as DESIGN.md does.)
    static func chat(uri: String, timeout: String = "1000", extra: String = "") -> String {
        """
        apis:
          - id: chat
            protocolType: WEBSOCKET
            routeSelectionExpression: $request.body.action
            stages: [ { name: dev } ]
            routes:
              $default:
                integration: { type: HTTP_PROXY, uri: "\(uri)",
                               timeoutInMillis: \(timeout) }\(extra)
        """
    }

    @Test("${NAME} is replaced from the environment in every scalar")
    func environmentReplaced() throws {
        let yaml = """
            server: { listen: "${HOST}:${PORT}", nodeId: "${NODE}" }
            aws: { region: "${REGION}", endpoints: { lambda: "http://${HOST}:9001" } }
            """
        let config = try ConfigLoader.load(
            yaml: yaml,
            file: "t.yaml",
            environment: ["HOST": "127.0.0.2", "PORT": "9090", "NODE": "n1", "REGION": "eu-west-1"]
        )
        #expect(config.server.host == "127.0.0.2")
        #expect(config.server.port == 9090)
        #expect(config.server.nodeId == "n1")
        #expect(config.aws.region == "eu-west-1")
        #expect(config.aws.endpoints["lambda"] == "http://127.0.0.2:9001")
    }

    @Test("a value from the environment is never parsed as YAML")
    func environmentNotParsed() throws {
        let yaml = """
            server:
              listen: ${LISTEN}
            aws:
              region: ${REGION}
            """
        let config = try ConfigLoader.load(
            yaml: yaml,
            file: "t.yaml",
            environment: ["LISTEN": "localhost:8443", "REGION": "a: [b] # c"]
        )
        #expect(config.server.host == "localhost")
        #expect(config.server.port == 8443)
        #expect(config.aws.region == "a: [b] # c")
    }

    @Test("an interpolated value is read with the type its key needs")
    func environmentTyped() throws {
        let yaml = Self.chat(uri: "${BACKEND}/m", timeout: "\"${TIMEOUT}\"")
        let config = try ConfigLoader.load(
            yaml: yaml,
            file: "t.yaml",
            environment: ["BACKEND": "http://127.0.0.1:9000", "TIMEOUT": "5000"]
        )
        let integration = try #require(config.apis.first?.route("$default")?.integration)
        #expect(integration.uri == "http://127.0.0.1:9000/m")
        #expect(integration.timeoutInMillis == 5_000)
    }

    @Test("an unset variable is a diagnostic at the scalar that uses it")
    func environmentMissing() {
        let found = Self.diagnostics(Self.chat(uri: "${BACKEND}/m", timeout: "\"${TIMEOUT}\""))
        #expect(
            found.map(\.description) == [
                "test.yaml:8:47: apis[0].routes.$default.integration.uri: "
                    + "environment variable BACKEND is not set",
                "test.yaml:9:41: apis[0].routes.$default.integration.timeoutInMillis: "
                    + "environment variable TIMEOUT is not set",
            ]
        )
    }

    @Test("every unset variable in one scalar is reported")
    func environmentSeveralMissing() {
        let found = Self.diagnostics(#"registry: "redis://${REDIS_HOST}:${REDIS_PORT}/0""#)
        #expect(
            found.map(\.message) == [
                "environment variable REDIS_HOST is not set",
                "environment variable REDIS_PORT is not set",
            ]
        )
        #expect(found.allSatisfy { $0.line == 1 && $0.column == 11 && $0.keyPath == "registry" })
    }

    @Test("${NAME:-default} uses the default when NAME is unset or empty, the value otherwise")
    func environmentDefault() throws {
        let yaml = "server: { listen: \"127.0.0.1:${PORT:-8081}\", nodeId: \"${NODE:-node-x}\" }\n"
        let unset = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        #expect(unset.server.port == 8081)
        #expect(unset.server.nodeId == "node-x")
        let empty = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: ["PORT": ""])
        #expect(empty.server.port == 8081)
        let set = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: ["PORT": "7000", "NODE": "n2"])
        #expect(set.server.port == 7000)
        #expect(set.server.nodeId == "n2")
    }

    @Test("an empty default gives an empty string, not null")
    func environmentEmptyDefault() throws {
        let yaml = "aws: { credentials: { accessKeyId: a, secretAccessKey: b, sessionToken: \"${TOKEN:-}\" } }\n"
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        #expect(config.aws.credentials?.sessionToken == "")
    }

    @Test("stage variables, $context and lower-case names are left for request time")
    func environmentLeavesRequestTimeReferences() throws {
        let uri = "${stageVariables.backend}/${stageVariables.path}"
        let extra = """

                  whoami:
                    integration:
                      type: MOCK
                      requestTemplates: { $default: '{"id": "$context.connectionId", "x": "${lower}", "y": "${A.B}"}' }
            """
        let config = try ConfigLoader.load(yaml: Self.chat(uri: uri, extra: extra), file: "t.yaml", environment: [:])
        let api = try #require(config.apis.first)
        #expect(api.route("$default")?.integration?.uri == uri)
        #expect(
            api.route("whoami")?.integration?.requestTemplates["$default"]
                == #"{"id": "$context.connectionId", "x": "${lower}", "y": "${A.B}"}"#
        )
    }

    @Test("an unterminated ${ is left as written")
    func environmentUnterminated() throws {
        let config = try ConfigLoader.load(yaml: "aws: { region: \"a${B\" }\n", file: "t.yaml", environment: [:])
        #expect(config.aws.region == "a${B")
    }
}
