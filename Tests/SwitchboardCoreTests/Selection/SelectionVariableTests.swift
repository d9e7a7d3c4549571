import SwitchboardCore
import Testing

struct SelectionVariableTests {
    @Test(
        "parses every variable root",
        arguments: [
            ("request.body", .requestBody(JSONPath())),
            ("request.body.a.b", .requestBody(JSONPath(segments: [.key("a"), .key("b")]))),
            ("request.body[0]", .requestBody(JSONPath(segments: [.index(0)]))),
            ("request.header.X-Api-Key", .requestHeader("X-Api-Key")),
            ("request.querystring.page", .requestQuerystring("page")),
            ("request.method", .requestMethod),
            ("request.path", .requestPath),
            ("request.basePath", .requestBasePath),
            ("request.basepath", .requestBasePath),
            ("context.requestId", .context("requestId")),
            ("context.identity.sourceIp", .context("identity.sourceIp")),
            ("stageVariables.backend", .stageVariable("backend")),
            ("integration.response.statuscode", .integrationResponseStatusCode),
            ("response.statuscode", .integrationResponseStatusCode),
            ("integration.response.header.Location", .integrationResponseHeader("Location")),
            ("response.header.Location", .integrationResponseHeader("Location")),
            ("integration.response.body", .integrationResponseBodyPath(JSONPath())),
            (
                "integration.response.body.errors[0]",
                .integrationResponseBodyPath(JSONPath(segments: [.key("errors"), .index(0)]))
            ),
            ("response.body.message", .integrationResponseBodyPath(JSONPath(segments: [.key("message")]))),
        ] as [(String, SelectionVariable)]
    )
    func parses(name: String, expected: SelectionVariable) throws {
        #expect(try SelectionVariable(parsing: name) == expected)
    }

    @Test(
        "rejects unknown roots, naming the variable",
        arguments: [
            "default", "request", "request.headers.x", "request.path.id", "context", "stageVariables", "Request.body",
            "",
        ]
    )
    func rejectsUnknown(name: String) {
        #expect(throws: SelectionExpressionError(offset: 0, reason: "unknown variable '$\(name)'")) {
            try SelectionVariable(parsing: name)
        }
    }

    @Test(
        "the canonical name parses back to the same variable",
        arguments: [
            "request.body", "request.body.a['b c'][2]", "request.header.Host", "request.querystring.q",
            "request.method", "request.path", "request.basePath", "context.authorizer.principalId",
            "stageVariables.v", "integration.response.statuscode", "integration.response.header.h",
            "integration.response.body.x",
        ]
    )
    func nameRoundTrip(name: String) throws {
        let variable = try SelectionVariable(parsing: name)
        #expect(variable.name == name)
        #expect(try SelectionVariable(parsing: variable.name) == variable)
    }
}
