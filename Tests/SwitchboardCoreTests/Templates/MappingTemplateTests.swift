import SwitchboardCore
import Testing

struct MappingTemplateTests {
    static func render(_ source: String, input: String = #"{"a": {"b": [1, "x"]}}"#) -> String {
        let template = MappingTemplate(source)
        return template.render(
            context: { $0 == "requestId" ? "r1" : nil },
            stageVariables: ["env": "dev"],
            input: input,
            inputJSON: try? JSONValue.parse(input.utf8),
            parameters: { ["id": "7", "q": "search"][$0] }
        )
    }

    @Test("references render; unknown ones stay as written")
    func references() {
        #expect(Self.render("$context.requestId ${context.requestId} $stageVariables.env") == "r1 r1 dev")
        #expect(Self.render("$input.json('$.a.b')|$input.path('$.a.b[1]')") == #"[1,"x"]|x"#)
        #expect(
            Self.render(#"{"id": "$input.params('id')", "q": "$input.params("q")"}"#) == #"{"id": "7", "q": "search"}"#
        )
        #expect(Self.render("$input.params('none')|") == "|")
        #expect(
            Self.render("$util.urlEncode($input.body) $ 5") == "$util.urlEncode(" + #"{"a": {"b": [1, "x"]}}"# + ") $ 5"
        )
        #expect(Self.render("$input.params('unterminated") == "$input.params('unterminated")
    }

    @Test("a template that is exactly $input.body is a passthrough")
    func passthrough() {
        #expect(MappingTemplate("$input.body").isInputPassthrough)
        #expect(!MappingTemplate("$input.body ").isInputPassthrough)
        #expect(MappingTemplate("$input.json('$')").needsJSONInput)
        #expect(!MappingTemplate("$input.params('a')").needsJSONInput)
    }
}
