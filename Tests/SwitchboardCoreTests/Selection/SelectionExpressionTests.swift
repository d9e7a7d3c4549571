import SwitchboardCore
import Testing

struct SelectionExpressionTests {
    static let awsBody = #"{"service":"chat","action":"join","data":{"room":"room1234"},"ids":[1,2],"flag":true}"#

    @Test(
        "evaluates the AWS worked table against the request body",
        arguments: [
            ("$request.body.action", "join"),
            ("${request.body.action}", "join"),
            ("${request.body.service}/${request.body.action}", "chat/join"),
            ("${request.body.action}-${request.body.invalidPath}", "join-"),
            ("action", "action"),
            ("\\$default", "$default"),
            ("$request.body.data.room", "room1234"),
            ("$request.body.ids", "[1, 2]"),
            ("$request.body.ids[1]", "2"),
            ("$request.body.flag", "true"),
            ("$request.body.data", #"{"room":"room1234"}"#),
            ("$request.body.service.", "chat."),
            ("route:$request.body.action!", "route:join!"),
            ("${request.body['action']}", "join"),
            ("$request.body['data']['room']", "room1234"),
            ("${request.body.data.room}${request.body.action}", "room1234join"),
            ("$context.requestId/$request.body.action", "/join"),
            ("$", "$"),
            ("a $ b", "a $ b"),
            ("$.", "$."),
            ("cost: $ {x}", "cost: $ {x}"),
            ("\\d\\", "\\d\\"),
            ("\\\\$request.body.action", "\\$request.body.action"),
            ("", ""),
        ]
    )
    func awsTable(expression: String, expected: String) throws {
        let body = try JSONValue.parse(Self.awsBody)
        let compiled = try SelectionExpression(parsing: expression)
        #expect(compiled.evaluate(body: body) == expected)
    }

    @Test("a missing or non-JSON body contributes empty strings")
    func missingBody() throws {
        let compiled = try SelectionExpression(parsing: "${request.body.service}/${request.body.action}")
        #expect(compiled.evaluate(body: nil) == "/")
        #expect(compiled.evaluate(body: "just a string") == "/")
        #expect(try SelectionExpression(parsing: "$request.body").evaluate(body: "text") == "text")
    }

    @Test("parses into merged literal and variable parts")
    func parts() throws {
        let compiled = try SelectionExpression(parsing: "v1\\$-${request.body.a}:$context.stage.")
        #expect(
            compiled.parts == [
                .literal("v1$-"),
                .variable(.requestBody(JSONPath(segments: [.key("a")]))),
                .literal(":"),
                .variable(.context("stage")),
                .literal("."),
            ]
        )
        #expect(compiled.staticValue == nil)
        #expect(compiled.referencesRequestBody)
        #expect(compiled.source == "v1\\$-${request.body.a}:$context.stage.")
    }

    @Test(
        "static expressions have a static value",
        arguments: [("\\$default", "$default"), ("$connect", nil), ("plain", "plain"), ("", ""), ("$", "$")]
            as [(String, String?)]
    )
    func staticValue(expression: String, expected: String?) throws {
        if expected == nil {
            #expect(throws: SelectionExpressionError.self) { try SelectionExpression(parsing: expression) }
        } else {
            #expect(try SelectionExpression(parsing: expression).staticValue == expected)
        }
    }

    @Test("resolves every variable kind through the resolver")
    func resolver() throws {
        let compiled = try SelectionExpression(
            parsing: "${request.method} $request.path?q=$request.querystring.q&h=$request.header.X-Id"
                + " ${stageVariables.env} ${integration.response.statuscode} ($context.requestId)"
        )
        let result = compiled.evaluate { variable in
            switch variable {
            case .requestMethod: "GET"
            case .requestPath: "/pets"
            case .requestQuerystring(let name): "query-\(name)"
            case .requestHeader(let name): "header-\(name)"
            case .stageVariable(let name): "stage-\(name)"
            case .integrationResponseStatusCode: "200"
            default: nil
            }
        }
        #expect(result == "GET /pets?q=query-q&h=header-X-Id stage-env 200 ()")
        #expect(!compiled.referencesRequestBody)
    }

    @Test(
        "rejects malformed expressions with an offset",
        arguments: [
            ("${request.body.action", 0, "unterminated '${'"),
            ("ab${}", 2, "empty variable name '${}'"),
            ("$default", 1, "unknown variable '$default'"),
            ("x ${foo.bar} y", 4, "unknown variable '$foo.bar'"),
            ("$request.bodyx", 1, "unknown variable '$request.bodyx'"),
            ("$request.header.", 1, "unknown variable '$request.header'"),
            ("${request.header.}", 2, "unknown variable '$request.header.'"),
            ("$context", 1, "unknown variable '$context'"),
        ]
    )
    func rejects(expression: String, offset: Int, reason: String) {
        #expect(throws: SelectionExpressionError(offset: offset, reason: reason)) {
            try SelectionExpression(parsing: expression)
        }
    }

    @Test("invalid body paths point into the expression")
    func invalidBodyPath() throws {
        let error = try #require(throws: SelectionExpressionError.self) {
            try SelectionExpression(parsing: "${request.body.a[-1]}")
        }
        #expect(error.offset == 17)
        #expect(error.reason.contains("negative indexes are not supported"))
        #expect(error.message.contains("offset 17"))
        #expect(
            throws: SelectionExpressionError(
                offset: 14,
                reason: "invalid path in '$request.body['unterminated': unterminated quoted key"
            )
        ) {
            try SelectionExpression(parsing: "$request.body['unterminated")
        }
    }

    @Test("never crashes on arbitrary input")
    func arbitraryInput() throws {
        let alphabet: [Character] = [
            "$", "{", "}", "\\", ".", "[", "]", "'", "r", "e", "q", "u", "s", "t", "b", "o", "d", "y",
        ]
        var generator = SplitMix64(seed: 42)
        let body = try JSONValue.parse(Self.awsBody)
        for _ in 0..<5000 {
            let length = Int(generator.next() % 16)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            if let compiled = try? SelectionExpression(parsing: text) {
                _ = compiled.evaluate(body: body)
            }
        }
        let prefixed = "$request.body."
        for _ in 0..<2000 {
            let length = Int(generator.next() % 10)
            let text =
                prefixed + String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            if let compiled = try? SelectionExpression(parsing: text) {
                _ = compiled.evaluate(body: body)
            }
        }
    }
}
