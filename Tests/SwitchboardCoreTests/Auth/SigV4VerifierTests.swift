import Foundation
import Testing

@testable import SwitchboardCore

/// One request signed by botocore (see `Fixtures/make_sigv4_vectors.py`).
struct SigV4Vector: Sendable, CustomTestStringConvertible {
    var name: String
    var method: String
    var path: String
    var query: String?
    var headers: [(name: String, value: String)]
    var body: String
    var accessKeyId: String
    var nowEpochMillis: Int64

    var testDescription: String { self.name }

    var request: SigV4Request {
        SigV4Request(
            method: self.method,
            rawPath: self.path,
            rawQuery: self.query,
            headers: self.headers,
            payloadSHA256Hex: SigV4Verifier.sha256Hex(Array(self.body.utf8))
        )
    }

    /// The vectors in `Fixtures/sigv4-vectors.json`.
    static let all: [SigV4Vector] = Self.load()

    private static func load() -> [SigV4Vector] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sigv4-vectors.json")
        guard let data = try? Data(contentsOf: url),
            let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let vectors = document["vectors"] as? [[String: Any]]
        else { return [] }
        return vectors.compactMap { vector in
            guard let name = vector["name"] as? String, let method = vector["method"] as? String,
                let path = vector["path"] as? String, let rawHeaders = vector["headers"] as? [[String]],
                let body = vector["body"] as? String, let accessKeyId = vector["accessKeyId"] as? String,
                let now = vector["nowEpochMillis"] as? Int64
            else { return nil }
            return SigV4Vector(
                name: name,
                method: method,
                path: path,
                query: vector["query"] as? String,
                headers: rawHeaders.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                body: body,
                accessKeyId: accessKeyId,
                nowEpochMillis: now
            )
        }
    }
}

struct SigV4VerifierTests {
    static let credentials = SigV4Credentials(
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    )
    let verifier = SigV4Verifier(service: "execute-api", credentials: [Self.credentials])

    static func failureKind(_ result: Result<SigV4Principal, SigV4Failure>) -> SigV4Failure.Kind? {
        if case .failure(let failure) = result { return failure.kind }
        return nil
    }

    @Test("the fixture holds every botocore vector")
    func fixtureLoads() {
        #expect(SigV4Vector.all.count == 19)
    }

    @Test("botocore-signed requests verify", arguments: SigV4Vector.all)
    func botocoreVectorVerifies(_ vector: SigV4Vector) {
        let result = self.verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis)
        #expect(
            result
                == .success(
                    SigV4Principal(accessKeyId: vector.accessKeyId, region: "us-east-1", service: "execute-api")
                )
        )
    }

    @Test(
        "a changed body fails with signatureMismatch",
        arguments: SigV4Vector.all.filter { vector in
            !vector.body.isEmpty && !vector.headers.contains { $0.name == "X-Amz-Content-SHA256" }
        }
    )
    func tamperedBody(_ vector: SigV4Vector) {
        var request = vector.request
        request.payloadSHA256Hex = SigV4Verifier.sha256Hex(Array((vector.body + " ").utf8))
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test("a changed path fails with signatureMismatch", arguments: SigV4Vector.all)
    func tamperedPath(_ vector: SigV4Vector) {
        var request = vector.request
        request.rawPath = vector.path.hasSuffix("/") ? vector.path + "x" : vector.path + "x/"
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test("a changed method fails with signatureMismatch", arguments: SigV4Vector.all)
    func tamperedMethod(_ vector: SigV4Vector) {
        var request = vector.request
        request.method = vector.method == "GET" ? "POST" : "GET"
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test("a changed Host header fails with signatureMismatch", arguments: SigV4Vector.all)
    func tamperedHost(_ vector: SigV4Vector) {
        var request = vector.request
        request.headers = vector.headers.map { $0.name == "Host" ? ($0.name, "evil.example.com") : $0 }
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test("an added query parameter fails with signatureMismatch", arguments: SigV4Vector.all)
    func tamperedQuery(_ vector: SigV4Vector) {
        var request = vector.request
        request.rawQuery = vector.query.map { "injected=1&" + $0 } ?? "injected=1"
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test("unsigned headers may change")
    func unsignedHeaderChange() throws {
        let vector = try #require(SigV4Vector.all.first)
        var request = vector.request
        request.headers.append(("X-Forwarded-For", "10.0.0.1"))
        request.headers = request.headers.map { $0.name == "User-Agent" ? ($0.name, "curl/8") : $0 }
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(result.isSuccess)
    }

    @Test("a wrong secret fails with signatureMismatch", arguments: SigV4Vector.all)
    func wrongSecret(_ vector: SigV4Vector) {
        let verifier = SigV4Verifier(
            service: "execute-api",
            credentials: [SigV4Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-the-secret")]
        )
        let result = verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test("an unknown access key fails with unknownAccessKey")
    func unknownAccessKey() throws {
        let vector = try #require(SigV4Vector.all.first)
        let verifier = SigV4Verifier(
            service: "execute-api",
            credentials: [SigV4Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x")]
        )
        let result = verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis)
        #expect(
            result
                == .failure(SigV4Failure(.unknownAccessKey, "The security token included in the request is invalid."))
        )
    }

    @Test("a wrong service in the scope fails")
    func wrongService() throws {
        let vector = try #require(SigV4Vector.all.first)
        let verifier = SigV4Verifier(service: "apigateway", credentials: [Self.credentials])
        let result = verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis)
        #expect(
            result
                == .failure(
                    SigV4Failure(.signatureMismatch, "Credential should be scoped to correct service: 'apigateway'.")
                )
        )
    }

    @Test("a required region must match the scope")
    func requiredRegion() throws {
        let vector = try #require(SigV4Vector.all.first)
        let east = SigV4Verifier(service: "execute-api", credentials: [Self.credentials], region: "us-east-1")
        let west = SigV4Verifier(service: "execute-api", credentials: [Self.credentials], region: "eu-west-1")
        #expect(east.verify(vector.request, nowEpochMillis: vector.nowEpochMillis).isSuccess)
        #expect(
            Self.failureKind(west.verify(vector.request, nowEpochMillis: vector.nowEpochMillis)) == .signatureMismatch
        )
    }

    @Test("header-signed requests older than 15 minutes are expired, AWS-style message")
    func expiredHeaderSignature() throws {
        let vector = try #require(SigV4Vector.all.first)
        let now = vector.nowEpochMillis + 15 * 60_000 + 1000
        let result = self.verifier.verify(vector.request, nowEpochMillis: now)
        #expect(
            result
                == .failure(
                    SigV4Failure(
                        .expired,
                        "Signature expired: 20240120T115500Z is now earlier than 20240120T115501Z "
                            + "(20240120T121001Z - 15 min.)"
                    )
                )
        )
        #expect(self.verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis + 15 * 60_000).isSuccess)
    }

    @Test("header-signed requests from the future beyond the skew are rejected")
    func futureHeaderSignature() throws {
        let vector = try #require(SigV4Vector.all.first)
        let result = self.verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis - 16 * 60_000)
        #expect(Self.failureKind(result) == .expired)
    }

    @Test("presigned requests expire after X-Amz-Expires")
    func expiredPresigned() throws {
        let vector = try #require(SigV4Vector.all.first { $0.name == "presigned GET" })
        #expect(self.verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis + 300_000).isSuccess)
        let result = self.verifier.verify(vector.request, nowEpochMillis: vector.nowEpochMillis + 301_000)
        #expect(Self.failureKind(result) == .expired)
    }

    @Test("no Authorization header and no presigned query is a missing token")
    func missingToken() {
        let request = SigV4Request(
            method: "POST",
            rawPath: "/dev/@connections/abc%3D",
            headers: [("Host", "localhost:4510"), ("X-Amz-Date", "20240120T115500Z")]
        )
        #expect(
            self.verifier.verify(request, nowEpochMillis: 1_705_751_700_000)
                == .failure(SigV4Failure(.missingAuthenticationToken, "Missing Authentication Token"))
        )
    }

    @Test("an X-Amz-Content-SHA256 that differs from the body fails")
    func contentHashMismatch() throws {
        let vector = try #require(SigV4Vector.all.first)
        var request = vector.request
        request.headers.append(("X-Amz-Content-SHA256", SigV4Verifier.emptyPayloadSHA256Hex))
        let result = self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis)
        #expect(Self.failureKind(result) == .signatureMismatch)
    }

    @Test(
        "AWS SigV4 suite: get-vanilla, get-vanilla-query-order-key-case, post-vanilla",
        arguments: [
            ("GET", nil, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
            ("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
            ("POST", nil, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        ] as [(String, String?, String)]
    )
    func awsSuiteVanilla(_ suiteCase: (method: String, query: String?, signature: String)) {
        let (method, query, signature) = suiteCase
        let verifier = SigV4Verifier(service: "service", credentials: [Self.credentials])
        let request = SigV4Request(
            method: method,
            rawPath: "/",
            rawQuery: query,
            headers: [
                ("Host", "example.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=\(signature)"
                ),
            ]
        )
        let result = verifier.verify(request, nowEpochMillis: 1_440_938_160_000)
        #expect(result == .success(SigV4Principal(accessKeyId: "AKIDEXAMPLE", region: "us-east-1", service: "service")))
    }

    @Test(
        "malformed Authorization headers never crash and fail cleanly",
        arguments: [
            ("", SigV4Failure.Kind.missingAuthenticationToken),
            ("Bearer abc.def.ghi", .incompleteSignature),
            ("AWS4-HMAC-SHA256", .incompleteSignature),
            ("AWS4-HMAC-SHA256 ", .incompleteSignature),
            ("AWS4-HMAC-SHA256 garbage", .incompleteSignature),
            ("AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=", .incompleteSignature),
            ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host, Signature=00", .incompleteSignature),
            ("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=host, Signature=00", .incompleteSignature),
            (
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240120/us-east-1/execute-api/aws4_request, "
                    + "SignedHeaders=x-amz-date, Signature=00", .incompleteSignature
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240120/us-east-1/execute-api/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=zz%%", .signatureMismatch
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240120/us-east-1/execute-api/aws4_request, "
                    + "SignedHeaders=host;x-amz-date;missing, Signature=" + String(repeating: "g", count: 64),
                .signatureMismatch
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240121/us-east-1/execute-api/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=00", .signatureMismatch
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240120/us-east-1/execute-api/aws5_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=00", .signatureMismatch
            ),
            (
                "AWS4-HMAC-SHA256 Credential=NOPE/20240120/us-east-1/execute-api/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=00", .unknownAccessKey
            ),
            ("AWS4-HMAC-SHA256 Credential=\u{0}\u{FFFF}é/🎉, SignedHeaders=;;;, Signature=\u{7F}", .incompleteSignature),
        ] as [(String, SigV4Failure.Kind)]
    )
    func malformedAuthorization(header: String, expected: SigV4Failure.Kind) {
        let request = SigV4Request(
            method: "GET",
            rawPath: "/dev/@connections/abc%3D",
            headers: [("Host", "localhost"), ("X-Amz-Date", "20240120T115500Z"), ("Authorization", header)]
        )
        let result = self.verifier.verify(request, nowEpochMillis: 1_705_751_700_000)
        #expect(Self.failureKind(result) == expected)
    }

    @Test(
        "malformed dates, paths and queries never crash",
        arguments: [
            ("x-amz-date", "yesterday", "/", "a=%"),
            ("x-amz-date", "20241340T256199Z", "/%", "%%%=%=&&&=&"),
            ("date", "Sat, 99 Foo 2024 99:99:99 +9999", "//..//../.", "=&=="),
            ("date", "", "", "%ZZ=%E2%82"),
        ] as [(String, String, String, String)]
    )
    func malformedInputs(_ input: (dateHeader: String, date: String, path: String, query: String)) {
        let (dateHeader, date, path, query) = input
        let request = SigV4Request(
            method: "get",
            rawPath: path,
            rawQuery: query,
            headers: [
                ("Host", "localhost"), (dateHeader, date),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240120/us-east-1/execute-api/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=00"
                ),
            ]
        )
        #expect(
            Self.failureKind(self.verifier.verify(request, nowEpochMillis: 1_705_751_700_000)) == .incompleteSignature
        )
    }

    @Test("presigned and Authorization together are rejected")
    func bothMechanisms() throws {
        let vector = try #require(SigV4Vector.all.first { $0.name == "presigned GET" })
        var request = vector.request
        request.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=x"))
        #expect(
            Self.failureKind(self.verifier.verify(request, nowEpochMillis: vector.nowEpochMillis))
                == .incompleteSignature
        )
    }

    @Test("a presigned query missing parameters names them")
    func presignedMissingParameters() {
        let request = SigV4Request(
            method: "GET",
            rawPath: "/",
            rawQuery: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240120T115500Z",
            headers: [("Host", "localhost")]
        )
        #expect(
            self.verifier.verify(request, nowEpochMillis: 1_705_751_700_000)
                == .failure(
                    SigV4Failure(
                        .incompleteSignature,
                        "AWS query-string parameters must include 'X-Amz-Credential', 'X-Amz-Signature', "
                            + "'X-Amz-SignedHeaders'. Re-examine the query-string parameters."
                    )
                )
        )
    }

    @Test("failures map to 403 gateway errors with AWS error types")
    func failureGatewayErrors() {
        #expect(SigV4Failure.missingToken.gatewayError == .missingAuthenticationToken)
        #expect(SigV4Failure.unknownKey.gatewayError.errorType == "UnrecognizedClientException")
        #expect(SigV4Failure.mismatch.gatewayError.errorType == "InvalidSignatureException")
        #expect(SigV4Failure(.incompleteSignature, "x").gatewayError.errorType == "IncompleteSignatureException")
        for kind in SigV4Failure.Kind.allCases {
            #expect(SigV4Failure(kind, "m").gatewayError.status == 403)
        }
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
