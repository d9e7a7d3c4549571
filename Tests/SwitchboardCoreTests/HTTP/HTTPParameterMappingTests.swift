import SwitchboardCore
import Testing

/// A resolver over fixed request and response values.
private struct FixedResolver: ParameterMappingResolver {
    var headers: [(name: String, value: String)] = []
    var query: [(name: String, value: String)] = []
    var body: String?
    var path = "/pets/7"
    var pathParameters: [String: String] = [:]
    var context: [String: String] = ["requestId": "req-1", "stage": "prod"]
    var stageVariables: [String: String] = [:]
    var responseHeaders: [(name: String, value: String)] = []
    var responseBody: String?

    func requestHeader(_ name: String) -> String? { HTTPParameterMapping.headerValue(named: name, in: self.headers) }
    func requestQueryString(_ name: String) -> String? {
        HTTPParameterMapping.queryValue(named: name, in: self.query)
    }
    func requestBodyText() -> String? { self.body }
    func requestBodyJSON() -> JSONValue? { self.body.flatMap { try? JSONValue.parse($0) } }
    func requestPath() -> String? { self.path }
    func requestPathParameter(_ name: String) -> String? { self.pathParameters[name] }
    func contextVariable(_ name: String) -> String? { self.context[name] }
    func stageVariable(_ name: String) -> String? { self.stageVariables[name] }
    func responseHeader(_ name: String) -> String? {
        HTTPParameterMapping.headerValue(named: name, in: self.responseHeaders)
    }
    func responseBodyText() -> String? { self.responseBody }
    func responseBodyJSON() -> JSONValue? { self.responseBody.flatMap { try? JSONValue.parse($0) } }
}

private let requestKeyCases: [(key: String, value: String, problem: String?)] = [
    ("append:header.header1", "$context.requestId", nil),
    ("overwrite:header.x-user", "$request.header.header1", nil),
    ("remove:header.header1", "''", nil),
    ("append:querystring.q", "$request.querystring.q", nil),
    ("overwrite:path", "/v2$request.path", nil),  // no ${…}: static text
    ("overwrite:path", "/v2${request.path}", nil),
    ("append:path", "/x", "only overwrite is supported for path"),
    ("replace:header.a", "b", "expected append|overwrite|remove"),
    ("append:header.", "b", "expected append|overwrite|remove"),
    ("append:body.a", "b", "expected append|overwrite|remove"),
    ("append:header.a", "", "the value must not be empty"),
    ("append:header.a", "${request.header.b", "unterminated '${'"),
    ("append:header.a", "$request.body..name", "invalid JSONPath"),
    ("append:header.a", "$request.body.items[?(@.x)]", "invalid JSONPath"),
    ("append:header.a", "$request.cookie.x", "unsupported expression"),
    ("append:header.a", "$response.header.b", "request mappings cannot read $response values"),
]

private let responseKeyCases: [(key: String, value: String, problem: String?)] = [
    ("overwrite:statuscode", "403", nil),
    ("overwrite:statuscode", "$response.body.status", nil),
    ("overwrite:statuscode", "forbidden", "must be an integer from 100 to 599"),
    ("overwrite:statuscode", "700", "must be an integer from 100 to 599"),
    ("append:statuscode", "403", "only overwrite is supported for statuscode"),
    ("append:header.error", "$stageVariables.environmentId", nil),
    ("overwrite:header.x-upstream", "$response.header.server", nil),
    ("append:header.a", "$request.header.b", "response mappings cannot read $request values"),
    ("overwrite:querystring.a", "b", "expected append|overwrite|remove:header.<name> or overwrite:statuscode"),
]

private let reservedHeaders = [
    "access-control-allow-origin", "Access-Control-Max-Age", "apigw-requestid", "Authorization", "Connection",
    "Content-Encoding", "Content-Length", "Content-Location", "Forwarded", "Keep-Alive", "Origin",
    "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailers", "Transfer-Encoding", "Upgrade", "X-Amz-Date",
    "x-amzn-trace-id", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Via",
]

private let valueCases: [(text: String, parts: [HTTPMappingValue.Part])] = [
    ("static text", [.literal("static text")]),
    ("$request.header.header1", [.reference(.requestHeader("header1"))]),
    ("$request.querystring.Name", [.reference(.requestQueryString("Name"))]),
    ("$request.path", [.reference(.requestPath)]),
    ("$request.path.petId", [.reference(.requestPathParameter("petId"))]),
    ("$request.body", [.reference(.requestBody(JSONPath()))]),
    ("$request.body.pet.name", [.reference(.requestBody(JSONPath(segments: [.key("pet"), .key("name")])))]),
    ("$context.authorizer.claims.sub", [.reference(.context("authorizer.claims.sub"))]),
    ("$stageVariables.environmentId", [.reference(.stageVariable("environmentId"))]),
    ("$response.header.server", [.reference(.responseHeader("server"))]),
    ("$response.body.items[0]", [.reference(.responseBody(JSONPath(segments: [.key("items"), .index(0)])))]),
    (
        "${request.path.name} ${request.path.id}",
        [
            .reference(.requestPathParameter("name")), .literal(" "), .reference(.requestPathParameter("id")),
        ]
    ),
    ("Bearer ${context.requestId}!", [.literal("Bearer "), .reference(.context("requestId")), .literal("!")]),
]

private func lines(_ pairs: [(name: String, value: String)]) -> [String] {
    pairs.map { "\($0.name): \($0.value)" }
}

struct HTTPParameterMappingTests {
    @Test("request keys and values are validated", arguments: requestKeyCases)
    func requestValidation(_ testCase: (key: String, value: String, problem: String?)) {
        let message = HTTPParameterMapping.validate(requestKey: testCase.key, value: testCase.value)
        if let problem = testCase.problem {
            #expect(message?.contains(problem) == true, "\(message ?? "nil")")
            #expect(message?.hasPrefix("'\(testCase.key)': ") == true)
        } else {
            #expect(message == nil)
        }
    }

    @Test("response keys and values are validated", arguments: responseKeyCases)
    func responseValidation(_ testCase: (key: String, value: String, problem: String?)) {
        let message = HTTPParameterMapping.validate(responseKey: testCase.key, value: testCase.value)
        if let problem = testCase.problem {
            #expect(message?.contains(problem) == true, "\(message ?? "nil")")
        } else {
            #expect(message == nil)
        }
    }

    @Test("AWS reserved headers cannot be mapped", arguments: reservedHeaders)
    func reserved(_ name: String) {
        #expect(HTTPParameterMapping.isReservedHeader(name))
        let request = HTTPParameterMapping.validate(requestKey: "overwrite:header.\(name)", value: "x")
        #expect(request == "'overwrite:header.\(name)': header '\(name)' is reserved and cannot be mapped")
        #expect(HTTPParameterMapping.validate(responseKey: "append:header.\(name)", value: "x") != nil)
    }

    @Test(
        "ordinary headers can be mapped",
        arguments: ["x-api-key", "X-Amzing", "Accept", "Content-Type", "apigw", "x-forwarded-port"]
    )
    func notReserved(_ name: String) {
        #expect(!HTTPParameterMapping.isReservedHeader(name))
    }

    @Test(
        "response parameter keys are status codes",
        arguments: [("500", true), ("404", true), ("200", true), ("5XX", false), ("default", false), ("1000", false)]
            as [(String, Bool)]
    )
    func statusKeys(_ key: String, _ valid: Bool) {
        #expect((HTTPParameterMapping.validate(responseStatusKey: key) == nil) == valid)
    }

    @Test("values compile into parts", arguments: valueCases)
    func valueParts(_ testCase: (text: String, parts: [HTTPMappingValue.Part])) throws {
        #expect(try HTTPMappingValue(parsing: testCase.text).parts == testCase.parts)
    }

    @Test("AWS example: add a header with the request ID")
    func addHeader() {
        let mapping = HTTPParameterMapping(requestParameters: ["append:header.header1": "$context.requestId"])
        var request = MappableRequest(headers: [("Host", "api.example.com")], path: "/pets")
        mapping.apply(to: &request, resolver: FixedResolver())
        #expect(lines(request.headers) == ["Host: api.example.com", "header1: req-1"])
    }

    @Test("AWS example: rename a request header")
    func renameHeader() {
        let mapping = HTTPParameterMapping(requestParameters: [
            "append:header.header2": "$request.header.header1", "remove:header.header1": "''",
        ])
        let original: [(name: String, value: String)] = [("Header1", "a"), ("accept", "*/*"), ("header1", "b")]
        var request = MappableRequest(headers: original)
        mapping.apply(to: &request, resolver: FixedResolver(headers: original))
        #expect(lines(request.headers) == ["accept: */*", "header2: a,b"])
    }

    @Test("AWS example: per-status response mappings")
    func responseExample() {
        let mapping = HTTPParameterMapping(responseParameters: [
            "500": ["append:header.header1": "$context.requestId", "overwrite:statuscode": "403"],
            "404": ["append:header.error": "$stageVariables.environmentId"],
        ])
        let resolver = FixedResolver(stageVariables: ["environmentId": "env-9"])

        var serverError = MappableResponse(headers: [("Content-Type", "text/plain")])
        #expect(mapping.apply(to: &serverError, statusCode: 500, resolver: resolver) == 403)
        #expect(lines(serverError.headers) == ["Content-Type: text/plain", "header1: req-1"])

        var notFound = MappableResponse()
        #expect(mapping.apply(to: &notFound, statusCode: 404, resolver: resolver) == 404)
        #expect(lines(notFound.headers) == ["error: env-9"])

        var ok = MappableResponse(headers: [("a", "b")])
        #expect(mapping.apply(to: &ok, statusCode: 200, resolver: resolver) == 200)
        #expect(lines(ok.headers) == ["a: b"])
    }

    @Test("overwrite replaces every value; append adds one; query names are case-sensitive")
    func queryMapping() {
        let mapping = HTTPParameterMapping(requestParameters: [
            "overwrite:querystring.page": "1", "append:querystring.tag": "$request.querystring.Tag",
            "remove:querystring.debug": "",
        ])
        let query: [(name: String, value: String)] = [
            ("page", "5"), ("tag", "a"), ("Tag", "X"), ("page", "6"), ("Tag", "Y"), ("debug", "1"), ("Debug", "2"),
        ]
        var request = MappableRequest(query: query)
        mapping.apply(to: &request, resolver: FixedResolver(query: query))
        #expect(lines(request.query) == ["tag: a", "Tag: X", "Tag: Y", "Debug: 2", "page: 1", "tag: X,Y"])
    }

    @Test("overwrite of a header removes every case variant")
    func overwriteHeader() {
        let mapping = HTTPParameterMapping(requestParameters: ["overwrite:header.X-Tenant": "$stageVariables.tenant"])
        var request = MappableRequest(headers: [("x-tenant", "a"), ("X-TENANT", "b"), ("Accept", "*/*")])
        mapping.apply(to: &request, resolver: FixedResolver(stageVariables: ["tenant": "acme"]))
        #expect(lines(request.headers) == ["Accept: */*", "X-Tenant: acme"])
    }

    @Test("removes run before overwrites and appends")
    func ordering() {
        let mapping = HTTPParameterMapping(requestParameters: [
            "append:header.x-a": "new", "remove:header.x-a": "", "overwrite:header.x-b": "b2",
        ])
        var request = MappableRequest(headers: [("x-a", "old"), ("x-b", "b1")])
        mapping.apply(to: &request, resolver: FixedResolver())
        #expect(lines(request.headers) == ["x-b: b2", "x-a: new"])
    }

    @Test("path overwrite, path parameters and concatenation")
    func pathMapping() {
        let mapping = HTTPParameterMapping(requestParameters: [
            "overwrite:path": "/v2${request.path}", "append:header.x-pet": "${request.path.name} ${request.path.id}",
        ])
        var request = MappableRequest(path: "/pets/7")
        mapping.apply(to: &request, resolver: FixedResolver(pathParameters: ["name": "rex", "id": "7"]))
        #expect(request.path == "/v2/pets/7")
        #expect(lines(request.headers) == ["x-pet: rex 7"])
    }

    @Test("body JSONPath values are stringified like selection expressions")
    func bodyMapping() {
        let mapping = HTTPParameterMapping(requestParameters: [
            "append:header.x-name": "$request.body.pet.name", "append:header.x-tags": "$request.body.pet.tags",
            "append:header.x-owner": "$request.body.pet.owner", "append:header.x-first": "$request.body.pet.tags[0]",
            "append:header.x-raw": "$request.body",
        ])
        let body = #"{"pet":{"name":"Rex","tags":["a",1],"owner":{"id":2}}}"#
        var request = MappableRequest()
        mapping.apply(to: &request, resolver: FixedResolver(body: body))
        #expect(
            lines(request.headers) == [
                "x-first: a", "x-name: Rex", "x-owner: {\"id\":2}", "x-raw: \(body)", "x-tags: [a, 1]",
            ]
        )
    }

    @Test("a missing value skips the rule; a non-JSON body yields nothing")
    func missingValues() {
        let mapping = HTTPParameterMapping(requestParameters: [
            "append:header.x-a": "$request.header.absent", "append:header.x-b": "${request.path.id}-${request.path.x}",
            "append:header.x-c": "$request.body.a", "overwrite:path": "$stageVariables.absent",
        ])
        var request = MappableRequest(path: "/keep")
        mapping.apply(to: &request, resolver: FixedResolver(body: "not json", pathParameters: ["id": "1"]))
        #expect(request.headers.isEmpty)
        #expect(request.path == "/keep")
    }

    @Test("response values: headers, JSON body status and invalid status codes")
    func responseValues() {
        let mapping = HTTPParameterMapping(responseParameters: [
            "200": [
                "overwrite:statuscode": "$response.body.status", "overwrite:header.x-server": "$response.header.Server",
                "remove:header.server": "",
            ],
            "201": ["overwrite:statuscode": "$response.body.status"],
        ])
        let resolver = FixedResolver(
            responseHeaders: [("Server", "nginx"), ("server", "edge")],
            responseBody: #"{"status":418}"#
        )
        var response = MappableResponse(headers: [("Server", "nginx"), ("server", "edge")])
        #expect(mapping.apply(to: &response, statusCode: 200, resolver: resolver) == 418)
        #expect(lines(response.headers) == ["x-server: nginx,edge"])

        var other = MappableResponse()
        let invalid = FixedResolver(responseBody: #"{"status":"teapot"}"#)
        #expect(mapping.apply(to: &other, statusCode: 201, resolver: invalid) == 201)
    }

    @Test("invalid entries are skipped when compiling")
    func skipsInvalid() {
        let mapping = HTTPParameterMapping(
            requestParameters: ["append:header.Authorization": "x", "bogus": "y", "append:header.ok": "$nope"],
            responseParameters: ["5XX": ["overwrite:statuscode": "400"], "500": ["append:statuscode": "400"]]
        )
        #expect(mapping.requestRules.isEmpty)
        #expect(mapping.responseRules[500]?.isEmpty == true)
        #expect(mapping.responseRules.count == 1)
    }

    @Test("multi-value helpers comma-join like AWS")
    func joinHelpers() {
        let headers: [(name: String, value: String)] = [("X-A", "1"), ("x-a", "2"), ("x-b", "3")]
        #expect(HTTPParameterMapping.headerValue(named: "x-A", in: headers) == "1,2")
        #expect(HTTPParameterMapping.headerValue(named: "x-c", in: headers) == nil)
        #expect(HTTPParameterMapping.queryValue(named: "x-a", in: headers) == "2")
        #expect(HTTPParameterMapping.queryValue(named: "X-a", in: headers) == nil)
    }
}
