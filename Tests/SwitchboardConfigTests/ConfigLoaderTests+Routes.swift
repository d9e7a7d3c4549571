import SwitchboardConfig
import SwitchboardCore
import Testing

extension ConfigLoaderTests {
    /// Route, integration, authorizer and request parameter rules (the extra route is on line 9).
    static let routeCases: [ValidationCase] = [
        ValidationCase(
            name: "custom route key starting with $",
            yaml: ValidationCase.chat(route: "$send: { integration: { type: MOCK } }"),
            line: 9,
            keyPath: "apis[0].routes.$send",
            message:
                "custom route keys must not start with '$' (only $connect, $disconnect and $default are predefined)"
        ),
        ValidationCase(
            name: "route body that is not a mapping",
            yaml: ValidationCase.chat(route: "send: MOCK"),
            line: 9,
            keyPath: "apis[0].routes.send",
            message: "expected a mapping (got MOCK)"
        ),
        ValidationCase(
            name: "misspelt route key",
            yaml: ValidationCase.chat(route: "send: { integraton: { type: MOCK } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integraton",
            message: "unknown key 'integraton' (did you mean 'integration'?)"
        ),
        ValidationCase(
            name: "unknown integration type",
            yaml: ValidationCase.chat(route: "send: { integration: { type: LAMBDA } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.type",
            message: "must be one of MOCK, HTTP_PROXY, HTTP, AWS_PROXY, AWS, BROADCAST (got LAMBDA)"
        ),
        ValidationCase(
            name: "integration without a type",
            yaml: ValidationCase.chat(route: "send: { integration: { uri: 'http://x/y' } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration",
            message: "missing required key 'type'"
        ),
        ValidationCase(
            name: "HTTP_PROXY integration without a uri",
            yaml: ValidationCase.chat(route: "send: { integration: { type: HTTP_PROXY } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration",
            message: "missing required key 'uri' (HTTP_PROXY integrations need one)"
        ),
        ValidationCase(
            name: "AWS_PROXY integration without a uri",
            yaml: ValidationCase.chat(route: "send: { integration: { type: AWS_PROXY } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration",
            message: "missing required key 'uri' (AWS_PROXY integrations need one)"
        ),
        ValidationCase(
            name: "HTTP integration with a non-HTTP uri",
            yaml: ValidationCase.chat(route: "send: { integration: { type: HTTP, uri: 'ftp://x/y' } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.uri",
            message: "must be an http:// or https:// URL (got 'ftp://x/y')"
        ),
        ValidationCase(
            name: "AWS integration with neither ARN nor URL",
            yaml: ValidationCase.chat(route: "send: { integration: { type: AWS, uri: 'lambda:f' } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.uri",
            message: "must be an ARN (arn:…) or an https:// invocation URL (got 'lambda:f')"
        ),
        ValidationCase(
            name: "integration timeout above 29 s",
            yaml: ValidationCase.chat(route: "send: { integration: { type: MOCK, timeoutInMillis: 30000 } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.timeoutInMillis",
            message: "must be between 50 and 29000 (got 30000)"
        ),
        ValidationCase(
            name: "integration timeout below 50 ms",
            yaml: ValidationCase.chat(route: "send: { integration: { type: MOCK, timeoutInMillis: 49 } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.timeoutInMillis",
            message: "must be between 50 and 29000 (got 49)"
        ),
        ValidationCase(
            name: "integration timeout that is not a number",
            yaml: ValidationCase.chat(route: "send: { integration: { type: MOCK, timeoutInMillis: soon } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.timeoutInMillis",
            message: "expected an integer (got soon)"
        ),
        ValidationCase(
            name: "unknown integration method",
            yaml: ValidationCase.chat(route: "send: { integration: { type: MOCK, integrationMethod: FETCH } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.integrationMethod",
            message: "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (got FETCH)"
        ),
        ValidationCase(
            name: "unknown payload format version",
            yaml: ValidationCase.chat(route: "send: { integration: { type: MOCK, payloadFormatVersion: 3.0 } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.payloadFormatVersion",
            message: "must be 1.0 or 2.0 (got 3.0)"
        ),
        ValidationCase(
            name: "HTTP-only integration key on a WebSocket route",
            yaml: ValidationCase.chat(route: "send: { integration: { type: MOCK, responseParameters: {} } }"),
            line: 9,
            keyPath: "apis[0].routes.send.integration.responseParameters",
            message:
                "responseParameters on an integration are for HTTP APIs; REST APIs set them per integration response"
        ),
        ValidationCase(
            name: "integration response key that is neither $default nor a regex",
            yaml: ValidationCase.chat(
                route:
                    "send: { integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: 4xx } ] } }"
            ),
            line: 9,
            keyPath: "apis[0].routes.send.integration.integrationResponses[0].integrationResponseKey",
            message: "must be $default or a /regex/ matched against the status code (got '4xx')"
        ),
        ValidationCase(
            name: "route response selection other than $default",
            yaml: ValidationCase.chat(
                route: "send: { integration: { type: MOCK }, routeResponseSelectionExpression: $request.body.x }"
            ),
            line: 9,
            keyPath: "apis[0].routes.send.routeResponseSelectionExpression",
            message: "must be $default, the only route response selection expression (got '$request.body.x')"
        ),
        // authorization
        ValidationCase(
            name: "authorizerId naming no authorizer",
            yaml: ValidationCase.chat(
                route: "$connect: { authorizationType: CUSTOM, authorizerId: auht }",
                api: "authorizers: { auth: { authorizerType: REQUEST, authorizerUri: 'arn:aws:lambda:::function:a' } }"
            ),
            line: 9,
            keyPath: "apis[0].routes.$connect.authorizerId",
            message: "no authorizer named 'auht' in this API's authorizers (has 'auth')"
        ),
        ValidationCase(
            name: "CUSTOM authorization without an authorizerId",
            yaml: ValidationCase.chat(route: "$connect: { authorizationType: CUSTOM }"),
            line: 9,
            keyPath: "apis[0].routes.$connect",
            message: "missing required key 'authorizerId' (authorizationType CUSTOM names an authorizer)"
        ),
        ValidationCase(
            name: "authorizerId without CUSTOM authorization",
            yaml: ValidationCase.chat(
                route: "$connect: { authorizerId: auth }",
                api: "authorizers: { auth: { authorizerType: REQUEST, authorizerUri: 'arn:aws:lambda:::function:a' } }"
            ),
            line: 9,
            keyPath: "apis[0].routes.$connect.authorizerId",
            message: "authorizerId needs authorizationType CUSTOM or JWT (got NONE)"
        ),
        ValidationCase(
            name: "authorization on a route other than $connect",
            yaml: ValidationCase.chat(route: "send: { authorizationType: AWS_IAM }"),
            line: 9,
            keyPath: "apis[0].routes.send.authorizationType",
            message: "authorization is only supported on the $connect route of a WEBSOCKET API"
        ),
        ValidationCase(
            name: "unknown authorizationType",
            yaml: ValidationCase.chat(route: "$connect: { authorizationType: LAMBDA }"),
            line: 9,
            keyPath: "apis[0].routes.$connect.authorizationType",
            message: "must be one of NONE, AWS_IAM, CUSTOM, JWT (got LAMBDA)"
        ),
        ValidationCase(
            name: "authorizer without a type",
            yaml: ValidationCase.chat(api: "authorizers: { auth: { authorizerUri: 'arn:aws:lambda:::function:a' } }"),
            line: 10,
            keyPath: "apis[0].authorizers.auth",
            message: "missing required key 'authorizerType'"
        ),
        ValidationCase(
            name: "unknown authorizer type",
            yaml: ValidationCase.chat(api: "authorizers: { auth: { authorizerType: COGNITO } }"),
            line: 10,
            keyPath: "apis[0].authorizers.auth.authorizerType",
            message: "must be one of REQUEST, TOKEN, JWT (got COGNITO)"
        ),
        // request parameters
        ValidationCase(
            name: "request parameter with an unsupported target",
            yaml: ValidationCase.chat(
                route: "send: { integration: { type: MOCK, requestParameters: { "
                    + "integration.request.path.id: route.request.header.id } } }"
            ),
            line: 9,
            keyPath: "apis[0].routes.send.integration.requestParameters.integration.request.path.id",
            message: "target must be integration.request.header.NAME or integration.request.querystring.NAME"
        ),
        ValidationCase(
            name: "request parameter with an unsupported source",
            yaml: ValidationCase.chat(
                route: "send: { integration: { type: MOCK, requestParameters: { "
                    + "integration.request.header.x-id: method.request.header.id } } }"
            ),
            line: 9,
            keyPath: "apis[0].routes.send.integration.requestParameters.integration.request.header.x-id",
            message: "unsupported source 'method.request.header.id': use context.NAME, stageVariables.NAME, "
                + "route.request.(header|querystring|multivalueheader|multivaluequerystring).NAME, "
                + "route.request.body.PATH or a 'static' value"
        ),
    ]

    @Test(
        "each route and integration rule reports one diagnostic at its line and key path",
        arguments: ConfigLoaderTests.routeCases
    )
    func routeRule(_ rule: ValidationCase) {
        Self.expectSingleDiagnostic(rule)
    }

    @Test("every supported request parameter source is accepted")
    func requestParameterSources() throws {
        let route = """
            send:
                    integration:
                      type: HTTP_PROXY
                      uri: http://127.0.0.1:9000/send
                      requestParameters:
                        integration.request.header.x-connection: context.connectionId
                        integration.request.header.x-backend: stageVariables.backend
                        integration.request.header.x-auth: route.request.header.Authorization
                        integration.request.querystring.q: route.request.querystring.q
                        integration.request.header.x-all: route.request.multivalueheader.Accept
                        integration.request.querystring.all: route.request.multivaluequerystring.tag
                        integration.request.header.x-action: route.request.body.action
                        integration.request.header.x-static: "'fixed value'"
            """
        let config = try ConfigLoader.load(yaml: ValidationCase.chat(route: route), file: "t.yaml", environment: [:])
        let parameters = try #require(config.apis.first?.route("send")?.integration?.requestParameters)
        #expect(parameters.count == 8)
        #expect(parameters["integration.request.header.x-static"] == "'fixed value'")
    }

    @Test("predefined route keys, authorizers on $connect and regex response keys are accepted")
    func routeFeaturesAccepted() throws {
        let yaml = ValidationCase.chat(
            route: "$connect: { authorizationType: CUSTOM, authorizerId: auth, apiKeyRequired: true }",
            api: "authorizers: { auth: { authorizerType: REQUEST, authorizerUri: 'arn:aws:lambda:::function:a', "
                + "identitySource: route.request.header.Authorization } }"
        )
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml", environment: [:])
        let api = try #require(config.apis.first)
        #expect(
            api.route("$connect")
                == RouteDefinition(
                    routeKey: "$connect",
                    authorizationType: "CUSTOM",
                    authorizerId: "auth",
                    apiKeyRequired: true
                )
        )
        #expect(api.authorizers["auth"]?.identitySource == ["route.request.header.Authorization"])

        let responses = ValidationCase.chat(
            route: "send: { integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: '/4\\d{2}/', "
                + "responseTemplates: { $default: x } }, { statusCode: 200 } ] } }"
        )
        let keys = try ConfigLoader.load(yaml: responses, file: "t.yaml", environment: [:])
            .apis.first?.route("send")?.integration?.integrationResponses
        #expect(keys?.map(\.integrationResponseKey) == ["/4\\d{2}/", "$default"])
        #expect(keys?.last?.statusCode == "200")
    }

    @Test("HTTP API integrations may wait up to 30 s")
    func httpTimeout() throws {
        let yaml = """
            apis:
              - id: shop
                protocolType: HTTP
                stages: [ { name: $default } ]
                routes:
                  GET /a: { integration: { type: HTTP_PROXY, uri: "http://x/a", timeoutInMillis: 30000 } }
                  GET /b: { integration: { type: HTTP_PROXY, uri: "http://x/b", timeoutInMillis: 30001 } }
            """
        #expect(
            Self.diagnostics(yaml).map(\.description) == [
                "test.yaml:7:86: apis[0].routes.GET /b.integration.timeoutInMillis: "
                    + "must be between 50 and 30000 (got 30001)"
            ]
        )
    }
}
