import NIOCore
package import SwitchboardCore

/// REST request validation, as a method's `requestValidator` asks: required parameters first
/// (`Missing required request parameters: [a, b]`; a blank value counts as missing), then the body against
/// the model for its content type (`Invalid request body`, with the details in
/// `$context.error.validationErrorString`).
package struct RequestValidationStep: HTTPRequestStep {
    package var name: String { "validation" }

    /// Creates the step.
    package init() {}

    package func process(_ exchange: inout HTTPExchange) async throws(GatewayError) -> HTTPStepOutcome {
        guard let method = exchange.route?.method, let validator = method.requestValidator else { return .proceed }
        if validator.validatesParameters {
            let missing = method.requestParameters.filter(\.value).map(\.key).sorted().filter {
                Self.value(of: $0, in: exchange).map { $0.allSatisfy(\.isWhitespace) } ?? true
            }
            if !missing.isEmpty {
                throw .missingRequestParameters(missing.map { String($0.split(separator: ".").last ?? "") })
            }
        }
        if validator.validatesBody, let schema = Self.model(for: exchange, method: method) {
            let instance: JSONValue
            if exchange.body.readableBytes == 0 {
                instance = .null
            } else {
                guard let parsed = try? JSONValue.parse(exchange.body.readableBytesView) else {
                    exchange.validationErrorString = "[Invalid JSON in request body]"
                    throw GatewayError(.badRequestBody)
                }
                instance = parsed
            }
            let violations = schema.validate(instance)
            if !violations.isEmpty {
                exchange.validationErrorString = JSONSchema.validationErrorString(violations)
                throw GatewayError(.badRequestBody)
            }
        }
        return .proceed
    }

    /// The value of a declared `method.request.(path|querystring|header).NAME` parameter.
    static func value(of parameter: String, in exchange: HTTPExchange) -> String? {
        if parameter.hasPrefix("method.request.querystring.") {
            return exchange.queryValue(String(parameter.dropFirst("method.request.querystring.".count)))
        }
        if parameter.hasPrefix("method.request.header.") {
            return exchange.header(String(parameter.dropFirst("method.request.header.".count)))
        }
        if parameter.hasPrefix("method.request.path.") {
            return exchange.pathParameter(String(parameter.dropFirst("method.request.path.".count)))
        }
        return nil
    }

    /// The model for the request's content type (`$default` matches any); `Empty` validates nothing.
    static func model(for exchange: HTTPExchange, method: MethodDefinition) -> JSONSchema? {
        let contentType =
            (exchange.header("Content-Type") ?? "application/json")
            .split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? "application/json"
        let name =
            method.requestModels.first { $0.key.lowercased() == contentType }?.value ?? method.requestModels["$default"]
        guard let name, name != "Empty" else { return nil }
        return exchange.api.models[name]
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
