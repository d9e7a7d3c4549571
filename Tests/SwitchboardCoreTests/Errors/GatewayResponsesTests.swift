import SwitchboardCore
import Testing

/// A request-side context over fixed values.
private struct FixedContext: GatewayResponseContext {
    var requestId = "req-1"
    var validationErrorString: String?
    var context: [String: String] = ["stage": "prod", "resourcePath": "/pets/{petId}"]
    var stageVariables: [String: String] = ["a": "alpha"]
    var headers: [String: String] = [:]
    var query: [String: String] = [:]
    var path: [String: String] = [:]

    func contextVariable(_ name: String) -> String? { self.context[name] }
    func stageVariable(_ name: String) -> String? { self.stageVariables[name] }
    func requestHeader(_ name: String) -> String? {
        self.headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
    func requestQueryString(_ name: String) -> String? { self.query[name] }
    func requestPathParameter(_ name: String) -> String? { self.path[name] }
}

/// A context that implements only the requirement without a default.
private struct MinimalContext: GatewayResponseContext {
    var requestId: String { "min" }
}

private let corsDefault4XX = GatewayResponseOverride(
    responseParameters: ["gatewayresponse.header.Access-Control-Allow-Origin": "'*'"]
)

private let templateCases: [(template: String, body: String)] = [
    (#"{"message":$context.error.messageString}"#, #"{"message":"Say \"hi\""}"#),
    ("$context.error.message", #"Say "hi""#),
    ("$context.error.responseType/$context.requestId", "ACCESS_DENIED/req-1"),
    ("${context.requestId}|${stageVariables.a}|$stageVariables['a']", "req-1|alpha|alpha"),
    ("stage $context.stage.", "stage prod."),
    ("$context.missing|$stageVariables.missing|$context.error.validationErrorString", "||"),
    ("$ 5 $foo $context. ${context.requestId ${nope}", "$ 5 $foo $context. ${context.requestId ${nope}"),
    ("#if($x)$input.body#end", "#if($x)$input.body#end"),
    ("héllo $context.requestId ✓", "héllo req-1 ✓"),
]

private func lines(_ headers: [(name: String, value: String)]) -> [String] {
    headers.map { "\($0.name): \($0.value)" }
}

private func text(_ body: [UInt8]) -> String {
    String(decoding: body, as: UTF8.self)
}

struct GatewayResponsesTests {
    @Test("uncustomized responses are AWS's defaults", arguments: GatewayResponseType.allCases)
    func defaults(_ type: GatewayResponseType) {
        let error = GatewayError(type)
        let rendered = GatewayResponses().render(error, context: FixedContext())
        #expect(rendered.status == type.defaultStatus)
        #expect(lines(rendered.headers) == ["Content-Type: application/json", "x-amzn-ErrorType: \(type.errorType)"])
        #expect(text(rendered.body) == error.bodyJSON)
    }

    @Test("errors keep their own status and error type", arguments: [GatewayError.notFound, .badGateway, .gone])
    func factories(_ error: GatewayError) {
        let rendered = GatewayResponses([.default4XX: corsDefault4XX]).render(error, context: MinimalContext())
        #expect(rendered.status == error.status)
        #expect(rendered.headers.contains { $0.name == "x-amzn-ErrorType" && $0.value == error.errorType })
        #expect(text(rendered.body) == error.bodyJSON)
    }

    @Test("AWS example: INVALID_API_KEY with status 456, a request header and a static body")
    func invalidAPIKeyExample() {
        let responses = GatewayResponses([
            .invalidAPIKey: GatewayResponseOverride(
                statusCode: 456,
                responseParameters: ["gatewayresponse.header.api-key": "method.request.header.api-key"],
                responseTemplates: ["application/json": #"{"message": "Bad api-key" }"#]
            )
        ])
        let rendered = responses.render(GatewayError(.invalidAPIKey), context: FixedContext(headers: ["API-Key": "k1"]))
        #expect(rendered.status == 456)
        #expect(
            lines(rendered.headers) == [
                "Content-Type: application/json", "x-amzn-ErrorType: ForbiddenException", "api-key: k1",
            ]
        )
        #expect(text(rendered.body) == #"{"message": "Bad api-key" }"#)
    }

    @Test("AWS example: MISSING_AUTHENTICATION_TOKEN as 404 with context and stage variables")
    func missingTokenExample() {
        let template = """
            {
                 "message": $context.error.messageString,
                 "type":  "$context.error.responseType",
                 "stage":  "$context.stage",
                 "resourcePath":  "$context.resourcePath",
                 "stageVariables.a":  "$stageVariables.a",
                 "statusCode": "'404'"
            }
            """
        let responses = GatewayResponses([
            .missingAuthenticationToken: GatewayResponseOverride(
                statusCode: 404,
                responseParameters: [
                    "gatewayresponse.header.x-request-path": "method.input.params.petId",
                    "gatewayresponse.header.x-request-query": "method.input.params.q",
                    "gatewayresponse.header.Access-Control-Allow-Origin": "'a.b.c'",
                    "gatewayresponse.header.x-request-header": "method.input.params.Accept",
                ],
                responseTemplates: ["application/json": template]
            )
        ])
        let context = FixedContext(headers: ["Accept": "application/json"], query: ["q": "dogs"], path: ["petId": "7"])
        let rendered = responses.render(.missingAuthenticationToken, context: context)
        #expect(rendered.status == 404)
        #expect(
            lines(rendered.headers) == [
                "Content-Type: application/json", "x-amzn-ErrorType: MissingAuthenticationTokenException",
                "Access-Control-Allow-Origin: a.b.c", "x-request-header: application/json", "x-request-path: 7",
                "x-request-query: dogs",
            ]
        )
        #expect(
            text(rendered.body) == """
                {
                     "message": "Missing Authentication Token",
                     "type":  "MISSING_AUTHENTICATION_TOKEN",
                     "stage":  "prod",
                     "resourcePath":  "/pets/{petId}",
                     "stageVariables.a":  "alpha",
                     "statusCode": "'404'"
                }
                """
        )
    }

    @Test("templates substitute variables only", arguments: templateCases)
    func templates(_ testCase: (template: String, body: String)) {
        let error = GatewayError(.accessDenied, message: #"Say "hi""#)
        #expect(
            GatewayResponseTemplate(testCase.template).render(error: error, context: FixedContext()) == testCase.body
        )
    }

    @Test("validationErrorString reaches BAD_REQUEST_BODY templates")
    func validationErrorString() {
        let responses = GatewayResponses([
            .badRequestBody: GatewayResponseOverride(
                responseTemplates: [
                    "application/json":
                        #"{"message":$context.error.messageString,"details":"$context.error.validationErrorString"}"#
                ]
            )
        ])
        let context = FixedContext(validationErrorString: "[object has missing required properties ([\\\"name\\\"])]")
        let rendered = responses.render(GatewayError(.badRequestBody), context: context)
        #expect(rendered.status == 400)
        #expect(
            text(rendered.body)
                == #"{"message":"Invalid request body","details":"[object has missing required properties ([\"name\"])]"}"#
        )
    }

    @Test(
        "DEFAULT_4XX decorates every unspecified 4XX response, UNAUTHORIZED included",
        arguments: [GatewayError.unauthorized, .accessDenied, .throttled, .notFound, GatewayError(.badRequestBody)]
    )
    func default4XXInheritance(_ error: GatewayError) {
        let responses = GatewayResponses([.default4XX: corsDefault4XX])
        let rendered = responses.render(error, context: FixedContext())
        #expect(rendered.status == error.status)
        #expect(lines(rendered.headers).last == "Access-Control-Allow-Origin: *")
        #expect(text(rendered.body) == error.bodyJSON)
    }

    @Test("DEFAULT_4XX does not touch 5XX responses")
    func default4XXLeaves5XX() {
        let responses = GatewayResponses([.default4XX: GatewayResponseOverride(statusCode: 400)])
        let rendered = responses.render(.integrationTimeout, context: FixedContext())
        #expect(rendered.status == 504)
        #expect(rendered.headers.count == 2)
    }

    @Test("a DEFAULT_5XX status changes every 5XX that does not set its own")
    func default5XXStatus() {
        let responses = GatewayResponses([
            .default5XX: GatewayResponseOverride(statusCode: 503, responseTemplates: ["application/json": "{}"]),
            .integrationTimeout: GatewayResponseOverride(responseParameters: ["gatewayresponse.header.x": "'t'"]),
            .authorizerFailure: GatewayResponseOverride(statusCode: 502),
        ])
        let context = FixedContext()
        let badGateway = responses.render(.badGateway, context: context)
        #expect(badGateway.status == 503)
        #expect(text(badGateway.body) == "{}")
        let timeout = responses.render(.integrationTimeout, context: context)
        #expect(timeout.status == 503)
        #expect(lines(timeout.headers).last == "x: t")
        #expect(text(timeout.body) == GatewayError.integrationTimeout.bodyJSON)
        #expect(responses.render(GatewayError(.authorizerFailure), context: context).status == 502)
    }

    @Test("a type's own override replaces the DEFAULT_4XX headers and templates")
    func ownOverrideWins() {
        let responses = GatewayResponses([
            .default4XX: GatewayResponseOverride(
                statusCode: 400,
                responseParameters: ["gatewayresponse.header.x-default": "'yes'"],
                responseTemplates: ["application/json": "default"]
            ),
            .unauthorized: GatewayResponseOverride(
                statusCode: 401,
                responseParameters: ["gatewayresponse.header.WWW-Authenticate": "'Basic'"]
            ),
        ])
        let rendered = responses.render(.unauthorized, context: FixedContext())
        #expect(rendered.status == 401)
        #expect(lines(rendered.headers).last == "WWW-Authenticate: Basic")
        #expect(!rendered.headers.contains { $0.name == "x-default" })
        #expect(text(rendered.body) == #"{"message":"Unauthorized"}"#)
    }

    @Test("REQUEST_TOO_LARGE cannot be customized, not even through DEFAULT_4XX")
    func requestTooLarge() {
        let responses = GatewayResponses([
            .requestTooLarge: GatewayResponseOverride(statusCode: 400, responseTemplates: ["application/json": "x"]),
            .default4XX: GatewayResponseOverride(statusCode: 499, responseTemplates: ["application/json": "y"]),
        ])
        let error = GatewayError(.requestTooLarge)
        let rendered = responses.render(error, context: FixedContext())
        #expect(rendered.status == 413)
        #expect(text(rendered.body) == error.bodyJSON)
    }

    @Test("@connections errors have no type and are never customized")
    func untypedErrors() {
        let responses = GatewayResponses([.default4XX: GatewayResponseOverride(statusCode: 400)])
        let rendered = responses.render(.gone, context: FixedContext())
        #expect(rendered.status == 410)
        #expect(lines(rendered.headers) == ["Content-Type: application/json", "x-amzn-ErrorType: GoneException"])
    }

    @Test(
        "the body template follows Accept, then application/json, then the first content type",
        arguments: [
            ("application/xml", "xml", "application/xml"),
            ("text/html;q=0.9, application/xml; charset=utf-8", "xml", "application/xml"),
            ("TEXT/PLAIN", "text", "text/plain"),
            ("*/*", "json", "application/json"),
            (nil, "json", "application/json"),
        ] as [(String?, String, String)]
    )
    func templateSelection(_ accept: String?, _ body: String, _ contentType: String) {
        let responses = GatewayResponses([
            .throttled: GatewayResponseOverride(
                responseTemplates: ["application/json": "json", "application/xml": "xml", "text/plain": "text"]
            )
        ])
        let context = FixedContext(headers: accept.map { ["Accept": $0] } ?? [:])
        let rendered = responses.render(.throttled, context: context)
        #expect(text(rendered.body) == body)
        #expect(rendered.headers.first?.value == contentType)
    }

    @Test("without an application/json template the first content type is used")
    func firstTemplate() {
        let responses = GatewayResponses([
            .throttled: GatewayResponseOverride(responseTemplates: [
                "text/plain": "slow down", "application/xml": "<x/>",
            ])
        ])
        let rendered = responses.render(.throttled, context: FixedContext())
        #expect(text(rendered.body) == "<x/>")
        #expect(rendered.headers.first?.value == "application/xml")
    }

    @Test("header sources: static, request, stage and context values; missing sources add nothing")
    func headerSources() {
        let responses = GatewayResponses([
            .accessDenied: GatewayResponseOverride(
                responseParameters: [
                    "gatewayresponse.header.a-static": "'v'",
                    "gatewayresponse.header.b-query": "method.request.querystring.q",
                    "gatewayresponse.header.c-path": "method.request.path.id",
                    "gatewayresponse.header.d-stage": "stageVariables.a",
                    "gatewayresponse.header.e-context": "context.stage",
                    "gatewayresponse.header.f-request-id": "context.requestId",
                    "gatewayresponse.header.g-missing": "method.request.header.absent",
                    "gatewayresponse.header.Content-Type": "'application/problem+json'",
                ]
            )
        ])
        let context = FixedContext(query: ["q": "1"], path: ["id": "9"])
        let rendered = responses.render(.accessDenied, context: context)
        #expect(
            lines(rendered.headers) == [
                "x-amzn-ErrorType: AccessDeniedException", "Content-Type: application/problem+json", "a-static: v",
                "b-query: 1", "c-path: 9", "d-stage: alpha", "e-context: prod", "f-request-id: req-1",
            ]
        )
    }

    @Test(
        "gateway response parameters are validated",
        arguments: [
            ("gatewayresponse.header.x", "'static'", true),
            ("gatewayresponse.header.x", "method.request.header.Accept", true),
            ("gatewayresponse.header.x", "method.request.querystring.q", true),
            ("gatewayresponse.header.x", "method.request.path.id", true),
            ("gatewayresponse.header.x", "stageVariables.a", true),
            ("gatewayresponse.header.x", "context.requestId", true),
            ("gatewayresponse.header.x", "static", false),
            ("gatewayresponse.header.x", "method.request.body", false),
            ("gatewayresponse.header.", "'x'", false),
            ("method.response.header.x", "'x'", false),
        ] as [(String, String, Bool)]
    )
    func parameterValidation(_ key: String, _ value: String, _ valid: Bool) {
        #expect((GatewayResponses.validate(parameterKey: key, value: value) == nil) == valid)
    }

    @Test("status codes follow AWS's [1-5]\\d\\d", arguments: [(100, true), (599, true), (99, false), (600, false)])
    func statusValidation(_ status: Int, _ valid: Bool) {
        #expect((GatewayResponses.validate(statusCode: status) == nil) == valid)
    }

    @Test("the default template is AWS's")
    func defaultTemplate() {
        #expect(
            GatewayResponseTemplate.default == GatewayResponseTemplate(#"{"message":$context.error.messageString}"#)
        )
        #expect(
            GatewayResponseTemplate.default.parts == [.literal(#"{"message":"#), .errorMessageString, .literal("}")]
        )
    }
}
