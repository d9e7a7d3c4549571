import SwitchboardCore
import Testing

/// The Powertools REST capture's request headers, in a client order (the event sorts them).
private let restCaptureHeaders: [(name: String, value: String)] = [
    ("Host", "puhdx84jy9.execute-api.eu-west-1.amazonaws.com"),
    ("User-Agent", "HTTPie/3.2.2"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Accept", "*/*"),
    ("X-Amzn-Trace-Id", "Root=1-66704cad-0fbaf1491365339d168b2a7d"),
    ("X-Forwarded-For", "15.248.3.126, 130.176.209.21"),
    ("X-Forwarded-Port", "443"),
    ("X-Forwarded-Proto", "https"),
    ("Via", "1.1 49c0c4776e390b983c9f9f5365e3140c.cloudfront.net (CloudFront)"),
    ("X-Amz-Cf-Id", "x9VncJ8IMo4X5UQEL8-Xg94vWwwuokofx236RgW1CrFCTh9DnPrgJA=="),
    ("CloudFront-Viewer-ASN", "7224"),
    ("CloudFront-Viewer-Country", "GB"),
    ("CloudFront-Forwarded-Proto", "https"),
    ("CloudFront-Is-Desktop-Viewer", "true"),
    ("CloudFront-Is-Mobile-Viewer", "false"),
    ("CloudFront-Is-SmartTV-Viewer", "false"),
    ("CloudFront-Is-Tablet-Viewer", "false"),
]

/// Real AWS event (Powertools `packages/parser/tests/events/apigw-rest/no-auth.json`, June 2024), compacted.
private let restCapture = """
    {"resource":"/no-auth","path":"/no-auth","httpMethod":"POST","headers":{"Accept":"*/*",\
    "Accept-Encoding":"gzip, deflate","CloudFront-Forwarded-Proto":"https","CloudFront-Is-Desktop-Viewer":"true",\
    "CloudFront-Is-Mobile-Viewer":"false","CloudFront-Is-SmartTV-Viewer":"false","CloudFront-Is-Tablet-Viewer":\
    "false","CloudFront-Viewer-ASN":"7224","CloudFront-Viewer-Country":"GB","Host":\
    "puhdx84jy9.execute-api.eu-west-1.amazonaws.com","User-Agent":"HTTPie/3.2.2","Via":\
    "1.1 49c0c4776e390b983c9f9f5365e3140c.cloudfront.net (CloudFront)","X-Amz-Cf-Id":\
    "x9VncJ8IMo4X5UQEL8-Xg94vWwwuokofx236RgW1CrFCTh9DnPrgJA==","X-Amzn-Trace-Id":\
    "Root=1-66704cad-0fbaf1491365339d168b2a7d","X-Forwarded-For":"15.248.3.126, 130.176.209.21",\
    "X-Forwarded-Port":"443","X-Forwarded-Proto":"https"},"multiValueHeaders":{"Accept":["*/*"],\
    "Accept-Encoding":["gzip, deflate"],"CloudFront-Forwarded-Proto":["https"],"CloudFront-Is-Desktop-Viewer":\
    ["true"],"CloudFront-Is-Mobile-Viewer":["false"],"CloudFront-Is-SmartTV-Viewer":["false"],\
    "CloudFront-Is-Tablet-Viewer":["false"],"CloudFront-Viewer-ASN":["7224"],"CloudFront-Viewer-Country":["GB"],\
    "Host":["puhdx84jy9.execute-api.eu-west-1.amazonaws.com"],"User-Agent":["HTTPie/3.2.2"],"Via":\
    ["1.1 49c0c4776e390b983c9f9f5365e3140c.cloudfront.net (CloudFront)"],"X-Amz-Cf-Id":\
    ["x9VncJ8IMo4X5UQEL8-Xg94vWwwuokofx236RgW1CrFCTh9DnPrgJA=="],"X-Amzn-Trace-Id":\
    ["Root=1-66704cad-0fbaf1491365339d168b2a7d"],"X-Forwarded-For":["15.248.3.126, 130.176.209.21"],\
    "X-Forwarded-Port":["443"],"X-Forwarded-Proto":["https"]},"queryStringParameters":null,\
    "multiValueQueryStringParameters":null,"pathParameters":null,"stageVariables":null,"requestContext":\
    {"resourceId":"3nq1cq","resourcePath":"/no-auth","httpMethod":"POST","extendedRequestId":"ZhDrKF5dDoEEHfA=",\
    "requestTime":"17/Jun/2024:14:48:13 +0000","path":"/prod/no-auth","accountId":"123456789012","protocol":\
    "HTTP/1.1","stage":"prod","domainPrefix":"puhdx84jy9","requestTimeEpoch":1718635693506,"requestId":\
    "f88e38e3-2060-4a56-93c0-9efbc6a659a0","identity":{"cognitoIdentityPoolId":null,"accountId":null,\
    "cognitoIdentityId":null,"caller":null,"sourceIp":"15.248.3.126","principalOrgId":null,"accessKey":null,\
    "cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":null,"userAgent":\
    "HTTPie/3.2.2","user":null},"domainName":"puhdx84jy9.execute-api.eu-west-1.amazonaws.com","deploymentId":\
    "v99qix","apiId":"puhdx84jy9"},"body":null,"isBase64Encoded":false}
    """

/// Real AWS event (Powertools `apigw-http/lambda-authorizer-auth.json`, June 2024), compacted.
private let httpV2Capture = """
    {"version":"2.0","routeKey":"POST /lambda","rawPath":"/lambda","rawQueryString":"","headers":{"accept":"*/*",\
    "accept-encoding":"gzip, deflate","authorization":"Bearer foo","content-length":"0","host":\
    "lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com","user-agent":"HTTPie/3.2.2","x-amzn-trace-id":\
    "Root=1-66705bc7-2b4257df30cbee696ef2cf28","x-forwarded-for":"15.248.3.126","x-forwarded-port":"443",\
    "x-forwarded-proto":"https"},"requestContext":{"accountId":"123456789012","apiId":"lsw1ro4ipb","authorizer":\
    {"lambda":null},"domainName":"lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com","domainPrefix":"lsw1ro4ipb",\
    "http":{"method":"POST","path":"/lambda","protocol":"HTTP/1.1","sourceIp":"15.248.3.126","userAgent":\
    "HTTPie/3.2.2"},"requestId":"ZhNHJhhLjoEEPiw=","routeKey":"POST /lambda","stage":"$default","time":\
    "17/Jun/2024:15:52:39 +0000","timeEpoch":1718639559080},"isBase64Encoded":false}
    """

/// `(header value or nil, binaryMediaTypes, expected)` for ``BinaryMediaTypes/matches``.
private let binaryCases: [(String?, [String], Bool)] = [
    ("image/png", ["image/png"], true),
    ("IMAGE/PNG; charset=binary", ["image/png"], true),
    ("image/png", ["Image/PNG"], true),
    ("image/jpeg", ["image/*"], true),
    ("text/plain", ["image/*"], false),
    ("text/plain", ["*/*"], true),
    ("application/octet-stream", ["application/json", "application/octet-stream"], true),
    ("image/png, text/html", ["text/html"], false),
    ("text/html, image/png", ["text/html"], true),
    (" image/png ", ["image/png;q=1"], true),
    (nil, ["*/*"], false),
    ("", ["*/*"], false),
    ("png", ["*/*"], false),
    ("image/", ["image/*"], false),
    ("image/png", [], false),
    ("image/png", ["bogus", "/png"], false),
]

/// `(Content-Type or nil, passed as text by an HTTP API)`.
private let httpTextCases: [(String?, Bool)] = [
    ("text/plain", true), ("text/html; charset=utf-8", true), ("TEXT/CSV", true), ("application/json", true),
    ("application/json;charset=UTF-8", true), ("application/xml", true), ("application/javascript", true),
    ("application/x-www-form-urlencoded", false), ("multipart/form-data; boundary=x", false),
    ("application/octet-stream", false), ("image/png", false), ("application/vnd.api+json", false),
    (nil, false), ("", false), ("text", false),
]

struct ProxyEventTests {
    /// The request behind `restCapture`.
    static func restRequest() -> ProxyRequest {
        ProxyRequest(
            method: "POST",
            path: "/no-auth",
            requestContextPath: "/prod/no-auth",
            rawPath: "/prod/no-auth",
            headers: restCaptureHeaders,
            sourceIp: "15.248.3.126",
            userAgent: "HTTPie/3.2.2",
            domainName: "puhdx84jy9.execute-api.eu-west-1.amazonaws.com",
            apiId: "puhdx84jy9",
            stage: "prod",
            deploymentId: "v99qix",
            accountId: "123456789012",
            requestId: "f88e38e3-2060-4a56-93c0-9efbc6a659a0",
            extendedRequestId: "ZhDrKF5dDoEEHfA=",
            requestTimeMillis: 1_718_635_693_506,
            resourcePath: "/no-auth",
            resourceId: "3nq1cq"
        )
    }

    /// A small HTTP API request on the `$default` stage.
    static func httpRequest() -> ProxyRequest {
        ProxyRequest(
            method: "GET",
            path: "/pets/a%20b",
            requestContextPath: "/pets/a%20b",
            rawPath: "/pets/a%20b",
            headers: [("Host", "abc123.execute-api.us-east-1.amazonaws.com"), ("accept", "*/*")],
            sourceIp: "203.0.113.9",
            userAgent: "curl/8.5.0",
            domainName: "abc123.execute-api.us-east-1.amazonaws.com",
            apiId: "abc123",
            stage: "$default",
            accountId: "123456789012",
            requestId: "Bdd2ngt5iGYEMIg=",
            extendedRequestId: "Bdd2ngt5iGYEMIg=",
            requestTimeMillis: 1_678_276_240_455,
            resourcePath: "/pets/{id}",
            resourceId: "GET /pets/{id}",
            routeKey: "GET /pets/{id}",
            pathParameters: [("id", "a%20b")]
        )
    }

    /// Re-serializes a pretty golden compactly (the parser keeps member order).
    static func compact(_ json: String) throws -> String {
        try JSONValue.parse(json).serialized
    }

    // MARK: - REST (format 1.0)

    @Test("REST event reproduces the real AWS capture byte for byte")
    func restMatchesCapture() {
        #expect(ProxyEvent.restV1(Self.restRequest()).serialized == restCapture)
    }

    @Test("REST Lambda authorizer output follows resourceId, as in the AWS capture")
    func restAuthorizer() throws {
        var request = Self.restRequest()
        request.authorizer = ["principalId": "user", "integrationLatency": 422, "tenantId": "tenant-1"]
        let context = try #require(ProxyEvent.restV1(request)["requestContext"]?.objectValue)
        #expect(Array(context.keys.prefix(3)) == ["resourceId", "authorizer", "resourcePath"])
        #expect(
            context["authorizer"]?.serialized
                == #"{"principalId":"user","integrationLatency":422,"tenantId":"tenant-1"}"#
        )
    }

    @Test("REST keeps the path and path parameters undecoded, trailing slash included")
    func restRawPath() {
        var request = Self.restRequest()
        request.path = "/test-path/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com/"
        request.requestContextPath = "/test" + request.path
        request.resourcePath = "/{proxy+}"
        request.pathParameters = [("proxy", "test-path/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com")]
        let event = ProxyEvent.restV1(request)
        #expect(event["path"] == .string(request.path))
        #expect(event["resource"] == "/{proxy+}")
        #expect(
            event["pathParameters"]?.serialized
                == #"{"proxy":"test-path/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"}"#
        )
        #expect(event["requestContext"]?["path"] == .string("/test" + request.path))
        #expect(event["requestContext"]?["resourcePath"] == "/{proxy+}")
    }

    @Test("REST query values are decoded; the single map keeps the last value (LocalStack AWS snapshot)")
    func restQuery() {
        var request = Self.restRequest()
        request.rawQuery =
            "category=electronics&category=books&price=10&price=20&price=30&email=test%2Balias@gmail.com"
            + "&plus=test+alias@gmail.com&url=https%3A%2F%2Fwww.google.com%2F&dateTimeOffset=2023-06-12T18:05:10.123456+00:00"
        let event = ProxyEvent.restV1(request)
        #expect(
            event["queryStringParameters"]?.serialized
                == #"{"category":"books","price":"30","email":"test+alias@gmail.com","plus":"test alias@gmail.com","#
                + #""url":"https://www.google.com/","dateTimeOffset":"2023-06-12T18:05:10.123456 00:00"}"#
        )
        #expect(
            event["multiValueQueryStringParameters"]?.serialized
                == #"{"category":["electronics","books"],"price":["10","20","30"],"email":["test+alias@gmail.com"],"#
                + #""plus":["test alias@gmail.com"],"url":["https://www.google.com/"],"#
                + #""dateTimeOffset":["2023-06-12T18:05:10.123456 00:00"]}"#
        )
    }

    @Test(
        "query strings without parameters render null; odd pieces are kept",
        arguments: [
            ("", "null"), ("&&", "null"), ("flag", #"{"flag":""}"#), ("a=1&&b=", #"{"a":"1","b":""}"#),
            ("=x", #"{"":"x"}"#), ("a=%zz&b=%41", #"{"a":"%zz","b":"A"}"#), ("a=b=c", #"{"a":"b=c"}"#),
        ]
    )
    func restQueryEdges(rawQuery: String, expected: String) {
        var request = Self.restRequest()
        request.rawQuery = rawQuery
        #expect(ProxyEvent.restV1(request)["queryStringParameters"]?.serialized == expected)
    }

    @Test("REST headers: case-insensitive groups, first spelling, last value wins, case-insensitive order")
    func restHeaders() {
        var request = Self.restRequest()
        request.headers = [
            ("X-Custom", "a"), ("headerName", "headerValue"), ("cache-control", "no-cache"), ("x-custom", "b"),
            ("Accept", "*/*"), ("Content-Type", "application/json"), ("Host", "h"),
        ]
        let event = ProxyEvent.restV1(request)
        #expect(
            event["headers"]?.serialized
                == #"{"Accept":"*/*","cache-control":"no-cache","Content-Type":"application/json","#
                + #""headerName":"headerValue","Host":"h","X-Custom":"b"}"#
        )
        #expect(event["multiValueHeaders"]?["X-Custom"]?.serialized == #"["a","b"]"#)
    }

    @Test("REST body: text, base64 when the server says binary, null when empty")
    func restBody() {
        var request = Self.restRequest()
        request.body = Array("{\r\n\t\"a\": 1\r\n}".utf8)
        var event = ProxyEvent.restV1(request)
        #expect(event["body"] == .string("{\r\n\t\"a\": 1\r\n}"))
        #expect(event["isBase64Encoded"] == false)
        request.body = [0, 1, 2, 0xFF]
        request.isBase64Body = true
        event = ProxyEvent.restV1(request)
        #expect(event["body"] == "AAEC/w==")
        #expect(event["isBase64Encoded"] == true)
        request.body = []
        event = ProxyEvent.restV1(request)
        #expect(event["body"] == .null)
        #expect(event["isBase64Encoded"] == false)
        request.body = [0x61, 0xFF, 0x62]
        request.isBase64Body = false
        #expect(ProxyEvent.restV1(request)["body"] == .string("a\u{FFFD}b"))
    }

    @Test("REST stage variables are sorted; path parameters keep route order")
    func restStageVariablesAndPathParameters() {
        var request = Self.restRequest()
        request.stageVariables = ["lambdaAlias": "live", "env": "prod", "Zone": "z"]
        request.pathParameters = [("petId", "7"), ("ownerId", "3")]
        let event = ProxyEvent.restV1(request)
        #expect(event["stageVariables"]?.serialized == #"{"Zone":"z","env":"prod","lambdaAlias":"live"}"#)
        #expect(event["pathParameters"]?.serialized == #"{"petId":"7","ownerId":"3"}"#)
    }

    // MARK: - HTTP API (format 1.0)

    @Test("HTTP API 1.0 event has the AWS shape: version first, decoded path, alphabetical requestContext")
    func httpV1Shape() throws {
        var request = Self.httpRequest()
        request.headers.append(("X-Forwarded-Proto", "https"))
        request.rawQuery = "foo=bar&foo=baz&abc=xyz"
        let golden = """
            {"version":"1.0","resource":"/pets/{id}","path":"/pets/a b","httpMethod":"GET",
             "headers":{"Host":"abc123.execute-api.us-east-1.amazonaws.com","X-Forwarded-Proto":"https","accept":"*/*"},
             "multiValueHeaders":{"Host":["abc123.execute-api.us-east-1.amazonaws.com"],
               "X-Forwarded-Proto":["https"],"accept":["*/*"]},
             "queryStringParameters":{"foo":"baz","abc":"xyz"},
             "multiValueQueryStringParameters":{"foo":["bar","baz"],"abc":["xyz"]},
             "requestContext":{"accountId":"123456789012","apiId":"abc123",
               "domainName":"abc123.execute-api.us-east-1.amazonaws.com","domainPrefix":"abc123",
               "extendedRequestId":"Bdd2ngt5iGYEMIg=","httpMethod":"GET",
               "identity":{"accessKey":null,"accountId":null,"caller":null,"cognitoAmr":null,
                 "cognitoAuthenticationProvider":null,"cognitoAuthenticationType":null,"cognitoIdentityId":null,
                 "cognitoIdentityPoolId":null,"principalOrgId":null,"sourceIp":"203.0.113.9","user":null,
                 "userAgent":"curl/8.5.0","userArn":null},
               "path":"/pets/a b","protocol":"HTTP/1.1","requestId":"Bdd2ngt5iGYEMIg=",
               "requestTime":"08/Mar/2023:11:50:40 +0000","requestTimeEpoch":1678276240455,
               "resourceId":"GET /pets/{id}","resourcePath":"/pets/{id}","stage":"$default"},
             "pathParameters":{"id":"a b"},"stageVariables":null,"body":null,"isBase64Encoded":false}
            """
        #expect(ProxyEvent.httpV1(request).serialized == (try Self.compact(golden)))
    }

    @Test("HTTP API 1.0 authorizer follows apiId; absent user agent is null")
    func httpV1Authorizer() throws {
        var request = Self.httpRequest()
        request.authorizer = ["claims": ["sub": "u1"], "scopes": .null]
        request.userAgent = nil
        let context = try #require(ProxyEvent.httpV1(request)["requestContext"]?.objectValue)
        #expect(Array(context.keys.prefix(4)) == ["accountId", "apiId", "authorizer", "domainName"])
        #expect(context["authorizer"]?.serialized == #"{"claims":{"sub":"u1"},"scopes":null}"#)
        #expect(context["identity"]?["userAgent"] == .null)
    }

    // MARK: - HTTP API (format 2.0)

    @Test("HTTP API 2.0 event reproduces the real AWS capture byte for byte")
    func httpV2MatchesCapture() {
        let request = ProxyRequest(
            method: "POST",
            path: "/lambda",
            requestContextPath: "/lambda",
            rawPath: "/lambda",
            headers: [
                ("Host", "lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com"), ("User-Agent", "HTTPie/3.2.2"),
                ("Accept-Encoding", "gzip, deflate"), ("Accept", "*/*"), ("Authorization", "Bearer foo"),
                ("Content-Length", "0"), ("X-Amzn-Trace-Id", "Root=1-66705bc7-2b4257df30cbee696ef2cf28"),
                ("X-Forwarded-For", "15.248.3.126"), ("X-Forwarded-Port", "443"), ("X-Forwarded-Proto", "https"),
            ],
            body: [],
            sourceIp: "15.248.3.126",
            userAgent: "HTTPie/3.2.2",
            domainName: "lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com",
            apiId: "lsw1ro4ipb",
            stage: "$default",
            accountId: "123456789012",
            requestId: "ZhNHJhhLjoEEPiw=",
            extendedRequestId: "ZhNHJhhLjoEEPiw=",
            requestTimeMillis: 1_718_639_559_080,
            resourcePath: "/lambda",
            resourceId: "POST /lambda",
            routeKey: "POST /lambda",
            authorizer: ["lambda": .null]
        )
        #expect(ProxyEvent.httpV2(request).serialized == httpV2Capture)
    }

    @Test("HTTP API 2.0 full event: cookies, joined duplicates, decoded parameters, named stage")
    func httpV2Full() throws {
        var request = Self.httpRequest()
        request.method = "POST"
        request.stage = "dev"
        request.rawPath = "/dev/pets/a%20b"
        request.rawQuery = "parameter1=value1&parameter1=value2&parameter2=a+b%2Bc"
        request.headers = [
            ("Header2", "value1"), ("Cookie", "cookie1=a; cookie2=b"), ("Header1", "value1"),
            ("header2", "value2"), ("cookie", "cookie3=c"), ("User-Agent", "agent"),
        ]
        request.body = Array("Hello from Lambda".utf8)
        request.stageVariables = ["stageVariable2": "value2", "stageVariable1": "value1"]
        request.userAgent = "agent"
        let golden = """
            {"version":"2.0","routeKey":"GET /pets/{id}","rawPath":"/dev/pets/a b",
             "rawQueryString":"parameter1=value1&parameter1=value2&parameter2=a+b%2Bc",
             "cookies":["cookie1=a","cookie2=b","cookie3=c"],
             "headers":{"header1":"value1","header2":"value1,value2","user-agent":"agent"},
             "queryStringParameters":{"parameter1":"value1,value2","parameter2":"a b+c"},
             "requestContext":{"accountId":"123456789012","apiId":"abc123",
               "domainName":"abc123.execute-api.us-east-1.amazonaws.com","domainPrefix":"abc123",
               "http":{"method":"POST","path":"/dev/pets/a b","protocol":"HTTP/1.1","sourceIp":"203.0.113.9",
                 "userAgent":"agent"},
               "requestId":"Bdd2ngt5iGYEMIg=","routeKey":"GET /pets/{id}","stage":"dev",
               "time":"08/Mar/2023:11:50:40 +0000","timeEpoch":1678276240455},
             "body":"Hello from Lambda","pathParameters":{"id":"a b"},"isBase64Encoded":false,
             "stageVariables":{"stageVariable1":"value1","stageVariable2":"value2"}}
            """
        #expect(ProxyEvent.httpV2(request).serialized == (try Self.compact(golden)))
    }

    @Test("HTTP API 2.0 omits empty members and keeps isBase64Encoded; binary bodies are base64")
    func httpV2Minimal() {
        var request = Self.httpRequest()
        request.headers = []
        request.pathParameters = []
        request.userAgent = nil
        var event = ProxyEvent.httpV2(request)
        let keys = event.objectValue?.keys ?? []
        #expect(
            keys == [
                "version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "isBase64Encoded",
            ]
        )
        #expect(event["rawQueryString"] == "")
        #expect(event["headers"]?.serialized == "{}")
        #expect(event["requestContext"]?["http"]?["userAgent"] == "")
        request.body = [0xDE, 0xAD, 0xBE, 0xEF]
        request.isBase64Body = true
        event = ProxyEvent.httpV2(request)
        #expect(event["body"] == "3q2+7w==")
        #expect(event["isBase64Encoded"] == true)
    }

    @Test(
        "cookies split at semicolons, trimmed, empties dropped",
        arguments: [
            ("a=1; b=2", #"["a=1","b=2"]"#), ("a=1;b=2", #"["a=1","b=2"]"#), ("a=1; ", #"["a=1"]"#),
            (" ; ;", "nil"), ("a=1;  b=2 ;\tc", #"["a=1","b=2","c"]"#),
        ]
    )
    func httpV2Cookies(header: String, expected: String) {
        var request = Self.httpRequest()
        request.headers = [("COOKIE", header)]
        let event = ProxyEvent.httpV2(request)
        #expect((event["cookies"]?.serialized ?? "nil") == expected)
        #expect(event["headers"]?.serialized == "{}")
    }

    // MARK: - Robustness

    @Test("extreme times and odd domains render without trapping")
    func extremes() {
        for millis in [Int64.min, -1, 0, Int64.max] {
            var request = Self.httpRequest()
            request.requestTimeMillis = millis
            request.domainName = millis == 0 ? "" : "localhost"
            _ = ProxyEvent.restV1(request).serialized
            _ = ProxyEvent.httpV1(request).serialized
            let event = ProxyEvent.httpV2(request)
            #expect(event["requestContext"]?["timeEpoch"] == .number(String(millis)))
            #expect(event["requestContext"]?["domainPrefix"] == .string(request.domainName))
        }
    }

    // MARK: - Binary media types

    @Test("REST binary media type matching", arguments: binaryCases)
    func binaryMatching(contentType: String?, types: [String], expected: Bool) {
        #expect(BinaryMediaTypes.matches(contentType: contentType, binaryMediaTypes: types) == expected)
    }

    @Test("HTTP API text allow-list", arguments: httpTextCases)
    func httpText(contentType: String?, expected: Bool) {
        #expect(BinaryMediaTypes.httpAPIIsText(contentType: contentType) == expected)
    }
}
