import NIOCore
package import SwitchboardCore

/// MOCK: answers from templates with no backend.
///
/// The request template's output sets the status (`{"statusCode": 403}`; 200 when absent). The integration
/// response whose `integrationResponseKey` matches the status (`$default` or `/regex/`) renders the body;
/// in its templates `$input` is the client's message, since a mock has no backend answer. A response
/// template of exactly `$input.body` passes the message through untouched (binary stays binary).
package struct MockIntegration: IntegrationInvoker {
    private struct Response: Sendable {
        var key: String
        var template: MappingTemplate?
    }

    private let requestTemplate: MappingTemplate?
    private let responses: [Response]

    /// Compiles a MOCK integration.
    /// - Parameter definition: the integration as configured.
    package init(definition: IntegrationDefinition) {
        self.requestTemplate = Self.pickTemplate(definition.requestTemplates).map(MappingTemplate.init)
        self.responses = definition.integrationResponses.map {
            Response(
                key: $0.integrationResponseKey,
                template: Self.pickTemplate($0.responseTemplates).map(MappingTemplate.init)
            )
        }
    }

    private static func pickTemplate(_ templates: [String: String]) -> String? {
        templates["$default"] ?? templates["application/json"] ?? templates.sorted { $0.key < $1.key }.first?.value
    }

    package func invoke(_ exchange: Exchange) async throws(IntegrationError) -> IntegrationResult {
        try self.run(exchange).get()
    }

    package func invokeImmediately(_ exchange: Exchange) -> Result<IntegrationResult, IntegrationError>? {
        self.run(exchange)
    }

    private func run(_ exchange: Exchange) -> Result<IntegrationResult, IntegrationError> {
        var status = 200
        if let requestTemplate = self.requestTemplate {
            let rendered = self.render(requestTemplate, exchange)
            if let json = try? JSONValue.parse(rendered), let code = json["statusCode"]?.intValue {
                status = code
            }
        }
        guard let response = self.selectResponse(status: status) else {
            return .success(IntegrationResult(statusCode: status))
        }
        guard let template = response.template else {
            return .success(IntegrationResult(statusCode: status))
        }
        if template.isInputPassthrough {
            return .success(
                IntegrationResult(statusCode: status, body: exchange.body ?? ByteBuffer(), isBinary: exchange.isBinary)
            )
        }
        return .success(
            IntegrationResult(statusCode: status, body: ByteBuffer(string: self.render(template, exchange)))
        )
    }

    private func render(_ template: MappingTemplate, _ exchange: Exchange) -> String {
        let input = exchange.bodyString
        let json = template.needsJSONInput ? try? JSONValue.parse(input) : nil
        return template.render(
            context: { exchange.contextVariable($0) },
            stageVariables: exchange.stageVariables,
            input: input,
            inputJSON: json
        )
    }

    private func selectResponse(status: Int) -> Response? {
        let statusString = String(status)
        for response in self.responses where response.key != "$default" {
            if IntegrationResponseKey.matches(response.key, statusString) { return response }
        }
        return self.responses.first { $0.key == "$default" }
    }
}

/// Matching of `integrationResponseKey` values (`/regex/` or a literal) against a selection value.
package enum IntegrationResponseKey {
    /// Whether a key matches a value: `/re/` is a whole-value regular expression, anything else literal.
    /// - Parameters:
    ///   - key: the configured key.
    ///   - value: the status code or error message.
    /// - Returns: whether it matches.
    package static func matches(_ key: String, _ value: String) -> Bool {
        if key.count >= 2, key.hasPrefix("/"), key.hasSuffix("/") {
            let pattern = String(key.dropFirst().dropLast())
            guard let regex = try? Regex(pattern) else { return false }
            return (try? regex.wholeMatch(in: value)) != nil
        }
        return key == value
    }
}
