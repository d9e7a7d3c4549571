import SwitchboardCore
import Testing

struct AWSServiceTargetTests {
    @Test("action URIs of query-protocol services POST Action and the parameters as a form")
    func queryAction() throws {
        let target = try #require(
            AWSServiceTarget(
                uri: "arn:aws:apigateway:eu-west-1:sqs:action/SendMessage&Version=2012-11-05",
                endpoints: ["sqs": "http://127.0.0.1:5000/"]
            )
        )
        #expect(target.region == "eu-west-1")
        #expect(target.signingName == "sqs")
        let request = target.request(
            body: Array(#"{"a":1}"#.utf8),
            query: [("QueueUrl", "http://q/1/orders"), ("MessageBody", "a b&c")],
            headers: [],
            method: "GET"
        )
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:5000/")
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq%2F1%2Forders&MessageBody=a%20b%26c"
        )
        #expect(request.headers.map(\.value) == ["application/x-www-form-urlencoded; charset=utf-8"])
    }

    @Test("a form-encoded template is appended to the form")
    func formTemplate() throws {
        let target = try #require(
            AWSServiceTarget(uri: "arn:aws:apigateway:us-east-1:sqs:action/SendMessage", endpoints: [:])
        )
        #expect(target.endpoint == "https://sqs.us-east-1.amazonaws.com")
        let request = target.request(
            body: Array("MessageBody=hi".utf8),
            query: [],
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            method: "POST"
        )
        #expect(String(decoding: request.body, as: UTF8.self) == "Action=SendMessage&MessageBody=hi")
    }

    @Test("JSON-protocol services get X-Amz-Target and the template as the body")
    func jsonAction() throws {
        let target = try #require(
            AWSServiceTarget(uri: "arn:aws:apigateway:us-east-1:dynamodb:action/PutItem", endpoints: [:])
        )
        let request = target.request(
            body: Array("{}".utf8),
            query: [],
            headers: [("content-type", "text/plain")],
            method: "PUT"
        )
        #expect(request.url == "https://dynamodb.us-east-1.amazonaws.com/")
        #expect(request.headers.map(\.name) == ["Content-Type", "X-Amz-Target"])
        #expect(request.headers.map(\.value) == ["application/x-amz-json-1.0", "DynamoDB_20120810.PutItem"])
        #expect(request.body == Array("{}".utf8))
    }

    @Test("path URIs keep the client's method and the path, including a Lambda function ARN")
    func pathForm() throws {
        let uri =
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations"
        let target = try #require(AWSServiceTarget(uri: uri, endpoints: ["lambda": "http://l:9001"]))
        let request = target.request(body: [], query: [("q", "1")], headers: [], method: "POST")
        #expect(
            request.url == "http://l:9001/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations?q=1"
        )
        #expect(request.method == "POST")
    }

    @Test(
        "URIs that are not API Gateway service ARNs are refused",
        arguments: [
            "arn:aws:lambda:us-east-1:1:function:f", "arn:aws:apigateway:us-east-1:sqs:other/x",
            "arn:aws:apigateway:us-east-1::action/X", "arn:aws:apigateway:us-east-1:sqs:action/", "http://x",
        ]
    )
    func refused(_ uri: String) {
        #expect(AWSServiceTarget(uri: uri, endpoints: [:]) == nil)
    }
}
