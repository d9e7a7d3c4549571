import NIOCore
import SwitchboardCore
import SwitchboardPipeline
import Testing

struct MockIntegrationTests {
    @Test("status comes from the request template, 200 when absent")
    func statusFromRequestTemplate() throws {
        let forbidden = MockIntegration(
            definition: .init(type: .mock, requestTemplates: ["$default": #"{"statusCode": 403}"#])
        )
        let plain = MockIntegration(definition: .init(type: .mock))
        let exchange = PipelineFixtures.exchange(eventType: .connect)
        #expect(try #require(forbidden.invokeImmediately(exchange)).get().statusCode == 403)
        #expect(try #require(plain.invokeImmediately(exchange)).get().statusCode == 200)
    }

    @Test("response template renders $context, stage variables and $input")
    func rendersContext() throws {
        let mock = MockIntegration(
            definition: .init(
                type: .mock,
                integrationResponses: [
                    .init(
                        integrationResponseKey: "$default",
                        responseTemplates: [
                            "$default":
                                #"{"id":"$context.connectionId","r":"${context.routeKey}","c":"$stageVariables.color","x":$input.json('$.x'),"p":"$input.path('$.x.y')","m":"$context.messageId"}"#
                        ]
                    )
                ]
            )
        )
        let result = try #require(
            mock.invokeImmediately(PipelineFixtures.exchange(route: "whoami", body: #"{"x":{"y":5}}"#))
        ).get()
        #expect(
            String(buffer: result.body)
                == #"{"id":"R1kmxc2VNjMCFIA=","r":"whoami","c":"blue","x":{"y":5},"p":"5","m":"R1knPc2ntjMCFIA="}"#
        )
    }

    @Test("integration responses are selected by status regex before $default")
    func selectsByRegex() throws {
        let mock = MockIntegration(
            definition: .init(
                type: .mock,
                requestTemplates: ["$default": #"{"statusCode": 404}"#],
                integrationResponses: [
                    .init(integrationResponseKey: "$default", responseTemplates: ["$default": "default"]),
                    .init(integrationResponseKey: "/4\\d\\d/", responseTemplates: ["$default": "client error"]),
                ]
            )
        )
        let result = try #require(mock.invokeImmediately(PipelineFixtures.exchange())).get()
        #expect(String(buffer: result.body) == "client error")
        #expect(result.statusCode == 404)
    }

    @Test("a $input.body template passes the message through, binary included")
    func passthrough() throws {
        let mock = MockIntegration(
            definition: .init(
                type: .mock,
                integrationResponses: [.init(responseTemplates: ["$default": "$input.body"])]
            )
        )
        var exchange = PipelineFixtures.exchange(body: "\u{0}\u{1}binary")
        exchange.isBinary = true
        let result = try #require(mock.invokeImmediately(exchange)).get()
        #expect(result.isBinary)
        #expect(Array(result.body.readableBytesView) == Array("\u{0}\u{1}binary".utf8))
    }

    @Test(
        "integration response keys: literal and whole-value regex",
        arguments: [
            ("$default", "200", false), ("/2\\d\\d/", "200", true), ("/2\\d\\d/", "2000", false), ("500", "500", true),
            ("/[/", "x", false),
        ]
    )
    func responseKeys(key: String, value: String, matches: Bool) {
        #expect(IntegrationResponseKey.matches(key, value) == matches)
    }
}
