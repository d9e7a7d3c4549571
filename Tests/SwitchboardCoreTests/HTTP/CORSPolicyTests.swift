import SwitchboardCore
import Testing

/// The example configuration of AWS's `x-amazon-apigateway-cors` page.
private let awsExample = CORSConfiguration(
    allowOrigins: ["https://www.example.com"],
    allowMethods: ["GET", "OPTIONS", "POST"],
    allowHeaders: ["x-apigateway-header", "x-amz-date", "content-type"],
    exposeHeaders: ["x-apigateway-header", "x-amz-date", "content-type"],
    maxAge: 3600,
    allowCredentials: true
)

private let anyOrigin = CORSConfiguration(allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"])

private let wildcardsWithCredentials = CORSConfiguration(
    allowOrigins: ["https://*"],
    allowMethods: ["*"],
    allowHeaders: ["*"],
    allowCredentials: true
)

/// One preflight: configuration, request, expected answer (`nil`: not a preflight).
struct PreflightCase: Sendable, CustomTestStringConvertible {
    var name: String
    var configuration: CORSConfiguration
    var method: String = "OPTIONS"
    var headers: [String]
    var expected: [String]?

    var testDescription: String { self.name }
}

private let preflightCases: [PreflightCase] = [
    PreflightCase(
        name: "AWS example: allowed origin, method and headers",
        configuration: awsExample,
        headers: [
            "Origin: https://www.example.com", "Access-Control-Request-Method: POST",
            "Access-Control-Request-Headers: Content-Type, X-Amz-Date",
        ],
        expected: [
            "Access-Control-Allow-Origin: https://www.example.com", "Access-Control-Allow-Credentials: true",
            "Vary: Origin", "Access-Control-Allow-Methods: GET,OPTIONS,POST",
            "Access-Control-Allow-Headers: x-apigateway-header,x-amz-date,content-type",
            "Access-Control-Max-Age: 3600",
        ]
    ),
    PreflightCase(
        name: "origin matched ASCII case-insensitively, header names lower-cased",
        configuration: awsExample,
        headers: ["origin: HTTPS://WWW.EXAMPLE.COM", "access-control-request-method: GET"],
        expected: [
            "Access-Control-Allow-Origin: HTTPS://WWW.EXAMPLE.COM", "Access-Control-Allow-Credentials: true",
            "Vary: Origin", "Access-Control-Allow-Methods: GET,OPTIONS,POST",
            "Access-Control-Allow-Headers: x-apigateway-header,x-amz-date,content-type",
            "Access-Control-Max-Age: 3600",
        ]
    ),
    PreflightCase(
        name: "origin not allowed: 204 without CORS headers",
        configuration: awsExample,
        headers: ["Origin: https://evil.example", "Access-Control-Request-Method: GET"],
        expected: []
    ),
    PreflightCase(
        name: "method not allowed: 204 without CORS headers",
        configuration: awsExample,
        headers: ["Origin: https://www.example.com", "Access-Control-Request-Method: DELETE"],
        expected: []
    ),
    PreflightCase(
        name: "header not allowed: 204 without CORS headers",
        configuration: awsExample,
        headers: [
            "Origin: https://www.example.com", "Access-Control-Request-Method: GET",
            "Access-Control-Request-Headers: content-type,x-secret",
        ],
        expected: []
    ),
    PreflightCase(
        name: "* origin without credentials answers *",
        configuration: anyOrigin,
        headers: [
            "Origin: https://a.test", "Access-Control-Request-Method: PATCH",
            "Access-Control-Request-Headers: x-anything",
        ],
        expected: [
            "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: *", "Access-Control-Allow-Headers: *",
        ]
    ),
    PreflightCase(
        name: "https://* with credentials echoes origin, method and headers",
        configuration: wildcardsWithCredentials,
        headers: [
            "Origin: https://app.test", "Access-Control-Request-Method: PUT",
            "Access-Control-Request-Headers: Authorization,X-Trace",
        ],
        expected: [
            "Access-Control-Allow-Origin: https://app.test", "Access-Control-Allow-Credentials: true",
            "Vary: Origin", "Access-Control-Allow-Methods: PUT", "Access-Control-Allow-Headers: authorization,x-trace",
        ]
    ),
    PreflightCase(
        name: "https://* does not allow http:// origins",
        configuration: wildcardsWithCredentials,
        headers: ["Origin: http://app.test", "Access-Control-Request-Method: GET"],
        expected: []
    ),
    PreflightCase(
        name: "http://* allows http:// origins",
        configuration: CORSConfiguration(allowOrigins: ["http://*"], allowMethods: ["GET"]),
        headers: ["Origin: http://localhost:3000", "Access-Control-Request-Method: GET"],
        expected: [
            "Access-Control-Allow-Origin: http://localhost:3000", "Vary: Origin",
            "Access-Control-Allow-Methods: GET",
        ]
    ),
    PreflightCase(
        name: "no Access-Control-Request-Method: not a preflight",
        configuration: awsExample,
        headers: ["Origin: https://www.example.com"],
        expected: nil
    ),
    PreflightCase(
        name: "no Origin: not a preflight",
        configuration: awsExample,
        headers: ["Access-Control-Request-Method: GET"],
        expected: nil
    ),
    PreflightCase(
        name: "not OPTIONS: not a preflight",
        configuration: awsExample,
        method: "GET",
        headers: ["Origin: https://www.example.com", "Access-Control-Request-Method: GET"],
        expected: nil
    ),
]

/// Splits `"Name: value"` strings into header tuples.
private func headers(_ lines: [String]) -> [(name: String, value: String)] {
    lines.map { line in
        let parts = line.split(separator: ":", maxSplits: 1)
        return (String(parts[0]), String(parts.count > 1 ? parts[1].dropFirst() : ""))
    }
}

/// Joins header tuples back into `"Name: value"` strings.
private func lines(_ headers: [(name: String, value: String)]) -> [String] {
    headers.map { "\($0.name): \($0.value)" }
}

struct CORSPolicyTests {
    @Test("preflight answers", arguments: preflightCases)
    func preflight(_ testCase: PreflightCase) {
        let policy = CORSPolicy(testCase.configuration)
        let answer = policy.preflightResponse(method: testCase.method, headers: headers(testCase.headers))
        #expect(answer.map(lines) == testCase.expected)
    }

    @Test("preflights are answered with 204")
    func preflightStatus() {
        #expect(CORSPolicy.preflightStatus == 204)
    }

    @Test("actual response from an allowed origin gets origin, credentials, expose headers and Vary")
    func responseHeadersAllowed() {
        let policy = CORSPolicy(awsExample)
        let added = policy.responseHeaders(requestHeaders: headers(["Origin: https://www.example.com"]))
        #expect(
            lines(added) == [
                "Access-Control-Allow-Origin: https://www.example.com", "Access-Control-Allow-Credentials: true",
                "Vary: Origin", "Access-Control-Expose-Headers: x-apigateway-header,x-amz-date,content-type",
            ]
        )
    }

    @Test("actual response with * origin and no credentials gets *")
    func responseHeadersAnyOrigin() {
        let policy = CORSPolicy(CORSConfiguration(allowOrigins: ["*"], exposeHeaders: ["*"]))
        let added = policy.responseHeaders(requestHeaders: headers(["Origin: https://x.test"]))
        #expect(lines(added) == ["Access-Control-Allow-Origin: *", "Access-Control-Expose-Headers: *"])
    }

    @Test(
        "actual response without an allowed Origin gets nothing",
        arguments: [[], ["Origin: https://evil.example"], ["Referer: https://www.example.com/"]] as [[String]]
    )
    func responseHeadersDenied(_ requestHeaders: [String]) {
        let policy = CORSPolicy(awsExample)
        #expect(policy.responseHeaders(requestHeaders: headers(requestHeaders)).isEmpty)
    }

    @Test(
        "backend CORS headers are recognized for stripping",
        arguments: [
            ("Access-Control-Allow-Origin", true), ("access-control-expose-headers", true),
            ("ACCESS-CONTROL-MAX-AGE", true), ("Vary", false), ("Content-Type", false), ("access-control", false),
        ] as [(String, Bool)]
    )
    func corsHeaderClassification(_ name: String, _ expected: Bool) {
        #expect(CORSPolicy.isCORSHeader(name) == expected)
    }

    @Test(
        "origin allow-list",
        arguments: [
            (["https://www.example.com"], "https://www.example.com", true),
            (["https://www.example.com"], "https://www.example.com:8443", false),
            (["https://www.example.com"], "http://www.example.com", false),
            (["*"], "null", true),
            (["https://*"], "https://anything.test", true),
            (["https://*"], "http://anything.test", false),
            (["http://*"], "https://anything.test", false),
            (["https://*.example.com"], "https://a.example.com", false),
        ] as [([String], String, Bool)]
    )
    func originMatching(_ origins: [String], _ origin: String, _ expected: Bool) {
        #expect(CORSPolicy(CORSConfiguration(allowOrigins: origins)).isOriginAllowed(origin) == expected)
    }

    @Test("configuration validation mirrors AWS's rejections")
    func validation() {
        #expect(awsExample.validationErrors().isEmpty)
        #expect(
            CORSConfiguration(allowOrigins: ["*"], allowCredentials: true).validationErrors() == [
                "allow-credentials is not supported if 'allow-origin' is *"
            ]
        )
        #expect(CORSConfiguration(maxAge: -1).validationErrors().isEmpty)
        #expect(
            CORSConfiguration(maxAge: 86_401).validationErrors() == ["maxAge must be between -1 and 86400, got 86401"]
        )
        #expect(
            CORSConfiguration(allowHeaders: [""]).validationErrors() == [
                "allowHeaders must not contain an empty string"
            ]
        )
    }
}
