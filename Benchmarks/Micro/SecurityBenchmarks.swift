import Benchmark
import SwitchboardCore

/// SigV4 (IAM authorization of a request, and signing of a Lambda invoke) and IAM policy evaluation (a
/// Lambda authorizer's cached policy, or a resource policy).
enum SecurityBenchmarks {
    static let nowEpochMillis: Int64 = 1_700_000_000_123
    static let body = Array(#"{"name":"ball","color":"red","price":4.99,"tags":["round","soft"]}"#.utf8)

    /// A header-signed `POST /dev/pets?limit=10` as an SDK sends it, and the verifier that accepts it.
    static func signedRequest() -> (SigV4Verifier, SigV4Request) {
        let signer = SigV4Signer(
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "execute-api"
        )
        let sent: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("X-Amz-Content-Sha256", SigV4Verifier.sha256Hex(self.body)),
        ]
        let signature = signer.signatureHeaders(
            method: "POST",
            url: "https://abc123.execute-api.us-east-1.amazonaws.com/dev/pets?limit=10",
            headers: sent,
            body: self.body,
            nowEpochMillis: self.nowEpochMillis
        )
        let host: [(name: String, value: String)] = [("Host", "abc123.execute-api.us-east-1.amazonaws.com")]
        let extra: [(name: String, value: String)] = [("User-Agent", "aws-sdk-swift/1.0"), ("Accept", "*/*")]
        let headers = host + sent + signature + extra
        let request = SigV4Request(
            method: "POST",
            rawPath: "/dev/pets",
            rawQuery: "limit=10",
            headers: headers,
            payloadSHA256Hex: SigV4Verifier.sha256Hex(self.body)
        )
        let verifier = SigV4Verifier(
            service: "execute-api",
            credentials: [
                SigV4Credentials(
                    accessKeyId: "AKIDEXAMPLE",
                    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
                )
            ]
        )
        return (verifier, request)
    }

    /// A policy as a Lambda authorizer returns it: allow two resources with wildcards, deny one, one IP condition.
    static let policyDocument = #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"execute-api:Invoke","Resource":[
            "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/pets/*",
            "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/pets"]},
          {"Effect":"Deny","Action":"execute-api:Invoke",
           "Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/admin/*"},
          {"Effect":"Allow","Action":"execute-api:*",
           "Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/health",
           "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}}
        ]}
        """#

    static func register() {
        let (verifier, request) = self.signedRequest()
        guard case .success = verifier.verify(request, nowEpochMillis: self.nowEpochMillis) else {
            fatalError("the benchmark's signed request does not verify")
        }
        let now = self.nowEpochMillis
        Benchmark("SigV4 verify: header-signed POST, 5 signed headers") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(verifier.verify(request, nowEpochMillis: now))
            }
        }

        let signer = SigV4Signer(
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "lambda"
        )
        let payload = Array(ProxyEvent.httpV2(EventBenchmarks.proxyRequest).serialized.utf8)
        let invokeURL =
            "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
            + "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Apets/invocations"
        Benchmark("SigV4 sign: Lambda invoke, \(payload.count / 100 * 100) B payload") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    signer.signatureHeaders(
                        method: "POST",
                        url: invokeURL,
                        headers: [("Content-Type", "application/json")],
                        body: payload,
                        nowEpochMillis: now
                    )
                )
            }
        }

        guard let document = try? JSONValue.parse(self.policyDocument),
            let policy = try? AuthorizerPolicy(document: document)
        else { fatalError("invalid benchmark fixture") }
        let allowed = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/pets/42/toys/7"
        let denied = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/admin/users"
        let conditional = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/health"
        precondition(policy.evaluate(methodArn: allowed) == .allow)
        precondition(policy.evaluate(methodArn: denied) == .explicitDeny)
        precondition(policy.evaluate(methodArn: conditional, sourceIp: "203.0.113.7") == .allow)
        Benchmark("policy evaluate: allow through a wildcard, 3 statements") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(policy.evaluate(methodArn: allowed, sourceIp: "203.0.113.7"))
            }
        }
        Benchmark("policy evaluate: allow under an aws:SourceIp condition") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(policy.evaluate(methodArn: conditional, sourceIp: "203.0.113.7"))
            }
        }
    }
}
