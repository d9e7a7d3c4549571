import NIOCore
import SwitchboardCore
import SwitchboardPipeline
import Testing

struct LambdaProxyIntegrationTests {
    @Test(
        "invocation URLs from function ARNs, API Gateway invocation ARNs and URLs",
        arguments: [
            (
                "arn:aws:lambda:us-east-1:000000000000:function:chat",
                "http://127.0.0.1:9001/2015-03-31/functions/chat/invocations"
            ),
            (
                "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:items/invocations",
                "http://127.0.0.1:9001/2015-03-31/functions/items/invocations"
            ),
            (
                "arn:aws:lambda:us-east-1:000000000000:function:chat:live",
                "http://127.0.0.1:9001/2015-03-31/functions/chat:live/invocations"
            ),
            ("http://backend:1/invoke", "http://backend:1/invoke"),
        ]
    )
    func invocationURL(uri: String, expected: String) {
        let aws = AWSConfig(region: "us-east-1", endpoints: ["lambda": "http://127.0.0.1:9001/"])
        #expect(LambdaProxyIntegration.invocationURL(uri: uri, aws: aws) == expected)
    }

    @Test("the default endpoint is the region's Lambda endpoint")
    func defaultEndpoint() {
        #expect(
            LambdaProxyIntegration.invocationURL(
                uri: "arn:aws:lambda:eu-west-1:1:function:f",
                aws: AWSConfig(region: "eu-west-1")
            )
                == "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/f/invocations"
        )
    }

    @Test("proxy results: status, headers, body, base64 bodies")
    func interpretsProxyResults() throws {
        let result = try LambdaProxyIntegration.interpret(
            ByteBuffer(string: #"{"statusCode":401,"headers":{"Sec-WebSocket-Protocol":"p1","X-N":3},"body":"no"}"#)
        )
        #expect(result.statusCode == 401)
        #expect(result.header("sec-websocket-protocol") == "p1")
        #expect(result.header("X-N") == "3")
        #expect(String(buffer: result.body) == "no")
        let binary = try LambdaProxyIntegration.interpret(
            ByteBuffer(string: #"{"body":"aGk=","isBase64Encoded":true}"#)
        )
        #expect(binary.statusCode == 200)
        #expect(String(buffer: binary.body) == "hi")
    }

    @Test("a result that is not a proxy object is sent back as it is")
    func rawResults() throws {
        for payload in [#""just a string""#, "null", "[1,2]", #"{"other":1}"#] {
            let result = try LambdaProxyIntegration.interpret(ByteBuffer(string: payload))
            #expect(result.statusCode == 200)
            #expect(String(buffer: result.body) == payload)
        }
    }

    @Test("a body flagged base64 that is not base64 is a malformed response")
    func badBase64() {
        #expect(throws: IntegrationError.self) {
            try LambdaProxyIntegration.interpret(ByteBuffer(string: #"{"body":"%%%","isBase64Encoded":true}"#))
        }
    }
}
