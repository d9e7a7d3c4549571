import SwitchboardCore
import Testing

/// Format 1.0 results AWS rejects as malformed (502), each with why.
private let malformedV1: [(String, String)] = [
    ("", "empty payload"),
    ("not json", "not JSON"),
    (#"{"statusCode":200}garbage"#, "trailing garbage"),
    ("[]", "array"),
    (#""text""#, "string"),
    ("42", "number"),
    ("null", "null"),
    ("true", "Boolean"),
    (#"{"statusCode":200,"extra":1}"#, "unknown member"),
    (#"{"statusCode":200,"cookies":["a=1"]}"#, "2.0 member in a 1.0 result"),
    (#"{"errorMessage":"boom","errorType":"Error","stackTrace":[]}"#, "Lambda function error"),
    (#"{"statusCode":"abc"}"#, "non-numeric status string"),
    (#"{"statusCode":"2OO"}"#, "status string with letters"),
    (#"{"statusCode":true}"#, "Boolean status"),
    (#"{"statusCode":null}"#, "null status"),
    (#"{"statusCode":200.5}"#, "fractional status"),
    (#"{"statusCode":99}"#, "status below 100"),
    (#"{"statusCode":600}"#, "status above 599"),
    (#"{"statusCode":1e400}"#, "status overflowing Double"),
    (#"{"statusCode":99999999999999999999999}"#, "status overflowing Int"),
    (#"{"statusCode":[200]}"#, "list status"),
    (#"{"headers":[]}"#, "headers list"),
    (#"{"headers":"x"}"#, "headers string"),
    (#"{"headers":{"a":1}}"#, "numeric header value"),
    (#"{"headers":{"a":null}}"#, "null header value"),
    (#"{"headers":{"a":{}}}"#, "object header value"),
    (#"{"headers":{"a":["x"]}}"#, "list header value"),
    (#"{"multiValueHeaders":[]}"#, "multiValueHeaders list"),
    (#"{"multiValueHeaders":{"a":"x"}}"#, "multi value not a list"),
    (#"{"multiValueHeaders":{"a":null}}"#, "multi value null"),
    (#"{"multiValueHeaders":{"a":[1]}}"#, "numeric multi value element"),
    (#"{"multiValueHeaders":{"a":[null]}}"#, "null multi value element"),
    (#"{"body":{}}"#, "object body"),
    (#"{"body":1}"#, "numeric body"),
    (#"{"body":["x"]}"#, "list body"),
    (#"{"isBase64Encoded":"true"}"#, "string isBase64Encoded"),
    (#"{"isBase64Encoded":1}"#, "numeric isBase64Encoded"),
]

/// Format 2.0 custom results AWS cannot use.
private let malformedV2: [(String, String)] = [
    ("", "empty payload"),
    ("{", "truncated JSON"),
    ("undefined", "not JSON"),
    (#"{"statusCode":"x"}"#, "non-numeric status"),
    (#"{"statusCode":null}"#, "null status"),
    (#"{"statusCode":0}"#, "status 0"),
    (#"{"statusCode":200,"cookies":"a=1"}"#, "cookies string"),
    (#"{"statusCode":200,"cookies":[1]}"#, "numeric cookie"),
    (#"{"statusCode":200,"headers":{"a":null}}"#, "null header value"),
    (#"{"statusCode":200,"headers":{"a":[]}}"#, "list header value"),
    (#"{"statusCode":200,"headers":[]}"#, "headers list"),
    (#"{"statusCode":200,"body":{"a":1}}"#, "object body"),
    (#"{"statusCode":200,"isBase64Encoded":"yes"}"#, "string isBase64Encoded"),
]

/// `(payload, expected body)` of inferred format 2.0 responses.
private let inferredV2: [(String, String)] = [
    (#""Hello from Lambda!""#, "Hello from Lambda!"),
    (#"{ "message": "Hello from Lambda!" }"#, #"{ "message": "Hello from Lambda!" }"#),
    (#"{"body":"x","headers":{"a":"b"}}"#, #"{"body":"x","headers":{"a":"b"}}"#),
    ("[1, 2]", "[1, 2]"),
    ("42", "42"),
    ("null", "null"),
    ("true", "true"),
    (#""line\nbreak \u00e9""#, "line\nbreak é"),
    (" \"padded\" ", "padded"),
]

struct ProxyResponseTests {
    static func v1(_ json: String, decodeBase64: Bool = true) throws -> ProxyResponse {
        try ProxyResponse.interpretV1(Array(json.utf8), decodeBase64: decodeBase64)
    }

    static func v2(_ json: String) throws -> ProxyResponse {
        try ProxyResponse.interpretV2(Array(json.utf8))
    }

    // MARK: - Format 1.0

    @Test("1.0: a plain result gets the REST default content type")
    func v1Plain() throws {
        let response = try Self.v1(#"{"statusCode":201,"body":"created"}"#)
        #expect(
            response
                == ProxyResponse(
                    statusCode: 201,
                    headers: [("Content-Type", "application/json")],
                    body: Array("created".utf8)
                )
        )
    }

    @Test("1.0: every member is optional; status defaults to 200 and body to empty")
    func v1Empty() throws {
        #expect(try Self.v1("{}") == ProxyResponse(statusCode: 200, headers: [("Content-Type", "application/json")]))
        #expect(
            try Self.v1(#"{"body":null,"headers":null,"multiValueHeaders":null,"isBase64Encoded":null}"#).body == []
        )
        let bare = try ProxyResponse.interpretV1(Array(#"{"statusCode":204}"#.utf8), defaultContentType: nil)
        #expect(bare == ProxyResponse(statusCode: 204))
    }

    @Test(
        "1.0: statusCode may be an integral number or a decimal string",
        arguments: [(#""404""#, 404), ("404.0", 404), ("4.04e2", 404), ("100", 100), ("599", 599), (#""200""#, 200)]
    )
    func v1StatusForms(literal: String, expected: Int) throws {
        #expect(try Self.v1(#"{"statusCode":\#(literal)}"#).statusCode == expected)
    }

    @Test("1.0: headers and multiValueHeaders merge; multi values replace same-named headers")
    func v1HeaderMerge() throws {
        let response = try Self.v1(
            #"{"statusCode":200,"headers":{"X-A":"1","content-type":"text/plain","X-Keep":"k"},"#
                + #""multiValueHeaders":{"x-a":["2","3"],"Set-Cookie":["a=1","b=2"]},"body":"ok"}"#
        )
        let expected: [(name: String, value: String)] = [
            ("content-type", "text/plain"), ("x-a", "2"), ("x-a", "3"), ("X-Keep", "k"), ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ]
        #expect(response == ProxyResponse(statusCode: 200, headers: expected, body: Array("ok".utf8)))
    }

    @Test("1.0: Boolean header values become true/false; an empty list removes the header")
    func v1BooleanHeaders() throws {
        let response = try Self.v1(
            #"{"headers":{"X-On":true,"X-Off":false,"X-Gone":"g"},"multiValueHeaders":{"X-Flags":[true,false,"m"],"x-gone":[]}}"#
        )
        let expected: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("X-On", "true"), ("X-Off", "false"), ("X-Flags", "true"),
            ("X-Flags", "false"), ("X-Flags", "m"),
        ]
        #expect(response.headers.elementsEqual(expected) { $0 == $1 })
    }

    @Test("1.0: isBase64Encoded decodes the body, or leaves the text when the caller says not to")
    func v1Base64() throws {
        let payload = #"{"statusCode":200,"isBase64Encoded":true,"body":"iVBORw0KGgo="}"#
        #expect(try Self.v1(payload).body == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try Self.v1(payload, decodeBase64: false).body == Array("iVBORw0KGgo=".utf8))
        #expect(try Self.v1(#"{"isBase64Encoded":false,"body":"iVBORw0KGgo="}"#).body == Array("iVBORw0KGgo=".utf8))
        #expect(try Self.v1(#"{"isBase64Encoded":true}"#).body == [])
    }

    @Test("1.0: invalid base64 is its own error kind, answered with 500")
    func v1InvalidBase64() {
        let error = #expect(throws: ProxyResponseError.self) {
            try Self.v1(#"{"statusCode":200,"isBase64Encoded":true,"body":"not base64!"}"#)
        }
        #expect(error?.kind == .invalidBase64)
        #expect(error?.gatewayError.status == 500)
        #expect(throws: Never.self) {
            try Self.v1(#"{"isBase64Encoded":true,"body":"not base64!"}"#, decodeBase64: false)
        }
    }

    @Test("1.0: malformed results are rejected with 502", arguments: malformedV1)
    func v1Malformed(payload: String, reason: String) {
        let error = #expect(throws: ProxyResponseError.self, "\(reason)") { try Self.v1(payload) }
        #expect(error?.kind == .malformed)
        #expect(error?.gatewayError == .badGateway)
    }

    @Test("1.0: non-UTF-8 and deeply nested payloads are malformed, not a crash")
    func v1Hostile() {
        #expect(throws: ProxyResponseError.self) { try ProxyResponse.interpretV1([0x7B, 0xFF, 0x7D]) }
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: ProxyResponseError.self) { try ProxyResponse.interpretV1(deep) }
        #expect(throws: ProxyResponseError.self) { try ProxyResponse.interpretV2(deep) }
    }

    @Test("1.0: a Lambda error payload names the function error in the detail")
    func v1FunctionError() {
        let error = #expect(throws: ProxyResponseError.self) {
            try Self.v1(#"{"errorMessage":"boom","errorType":"Error"}"#)
        }
        #expect(error?.detail.contains("boom") == true)
    }

    // MARK: - Format 2.0

    @Test("2.0: output without statusCode is inferred as 200 application/json", arguments: inferredV2)
    func v2Inferred(payload: String, body: String) throws {
        let response = try Self.v2(payload)
        #expect(
            response
                == ProxyResponse(
                    statusCode: 200,
                    headers: [("Content-Type", "application/json")],
                    body: Array(body.utf8)
                )
        )
    }

    @Test("2.0: custom response with headers, cookies and a Set-Cookie header")
    func v2Custom() throws {
        let response = try Self.v2(
            #"{"cookies":["c1=a; Path=/","c2=b"],"isBase64Encoded":false,"statusCode":302,"#
                + #""headers":{"Location":"/next","Set-Cookie":"h=1","X-Count":3,"X-Flag":true},"body":"moved"}"#
        )
        let expected: [(name: String, value: String)] = [
            ("Location", "/next"), ("set-cookie", "c1=a; Path=/"), ("set-cookie", "c2=b"), ("Set-Cookie", "h=1"),
            ("X-Count", "3"), ("X-Flag", "true"),
        ]
        #expect(response == ProxyResponse(statusCode: 302, headers: expected, body: Array("moved".utf8)))
    }

    @Test("2.0: cookies without a Set-Cookie header go last; unknown members are ignored")
    func v2CookiesAppended() throws {
        let response = try Self.v2(
            #"{"statusCode":"200","headers":{"a":"1"},"cookies":["x=1"],"multiValueHeaders":{"b":["2"]},"extra":1}"#
        )
        let expected: [(name: String, value: String)] = [("a", "1"), ("set-cookie", "x=1")]
        #expect(response == ProxyResponse(statusCode: 200, headers: expected))
    }

    @Test("2.0: isBase64Encoded is honored unconditionally")
    func v2Base64() throws {
        let response = try Self.v2(#"{"statusCode":200,"isBase64Encoded":true,"body":"AAEC/w=="}"#)
        #expect(response.body == [0, 1, 2, 0xFF])
        let error = #expect(throws: ProxyResponseError.self) {
            try Self.v2(#"{"statusCode":200,"isBase64Encoded":true,"body":"@@@"}"#)
        }
        #expect(error?.kind == .invalidBase64)
    }

    @Test("2.0: the default content type applies only when the result sets none")
    func v2DefaultContentType() throws {
        let plain = try ProxyResponse.interpretV2(Array(#"{"statusCode":200}"#.utf8), defaultContentType: "text/plain")
        #expect(plain == ProxyResponse(statusCode: 200, headers: [("Content-Type", "text/plain")]))
        let own = try ProxyResponse.interpretV2(
            Array(#"{"statusCode":200,"headers":{"content-type":"text/html"}}"#.utf8),
            defaultContentType: "text/plain"
        )
        #expect(own == ProxyResponse(statusCode: 200, headers: [("content-type", "text/html")]))
        #expect(try Self.v2(#"{"statusCode":200}"#) == ProxyResponse(statusCode: 200))
    }

    @Test("2.0: malformed custom results are rejected with 502", arguments: malformedV2)
    func v2Malformed(payload: String, reason: String) {
        let error = #expect(throws: ProxyResponseError.self, "\(reason)") { try Self.v2(payload) }
        #expect(error?.kind == .malformed)
    }

    // MARK: - Equality

    @Test("equality compares status, ordered headers and body")
    func equality() {
        let base = ProxyResponse(statusCode: 200, headers: [("a", "1"), ("b", "2")], body: [1])
        #expect(base == ProxyResponse(statusCode: 200, headers: [("a", "1"), ("b", "2")], body: [1]))
        #expect(base != ProxyResponse(statusCode: 200, headers: [("b", "2"), ("a", "1")], body: [1]))
        #expect(base != ProxyResponse(statusCode: 200, headers: [("a", "1")], body: [1]))
        #expect(base != ProxyResponse(statusCode: 201, headers: [("a", "1"), ("b", "2")], body: [1]))
        #expect(base != ProxyResponse(statusCode: 200, headers: [("a", "1"), ("b", "2")], body: [2]))
    }
}
