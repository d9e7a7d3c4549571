/// A compiled JSON Schema (draft 4), as API Gateway REST APIs use to validate request bodies against models.
///
/// Compile once, at configuration load, and validate many times: `pattern`s are compiled, `$ref`s (JSON
/// pointers, `id` resolution scopes and remote documents) are resolved and loops that could never finish are
/// rejected up front. Validation never traps: nesting beyond ``JSONSchemaValidator/depthLimit`` is reported as
/// a violation. Numbers are compared as exact decimals, so integers of any size and `multipleOf: 0.01` work.
///
/// Violation messages are worded as the Java json-schema-validator that API Gateway uses words them, so
/// ``validationErrorString(_:)`` reproduces `$context.error.validationErrorString`.
package struct JSONSchema: Sendable {
    private let nodes: [JSONSchemaNode]
    private let root: Int

    /// Compiles a schema.
    ///
    /// - Parameters:
    ///   - schema: The schema document.
    ///   - remotes: Documents for remote `$ref`s, by absolute URI (`"http://localhost:1234/integer.json"`).
    ///     The draft 4 meta-schema (`http://json-schema.org/draft-04/schema`) is built in.
    /// - Throws: `JSONSchemaError` for a malformed keyword, an invalid `pattern`, an unresolvable `$ref` or a
    ///   `$ref` loop, naming the schema location.
    package init(_ schema: JSONValue, remotes: [String: JSONValue] = [:]) throws(JSONSchemaError) {
        (self.nodes, self.root) = try JSONSchemaCompiler.compile(schema, remotes: remotes)
    }

    /// Validates an instance and describes every violation found.
    ///
    /// - Parameter instance: The value to validate.
    /// - Returns: The violations; empty when the instance is valid.
    package func validate(_ instance: JSONValue) -> [JSONSchemaViolation] {
        var validator = JSONSchemaValidator(nodes: self.nodes, collectsMessages: true)
        validator.validate(self.root, instance, pointer: "", depth: 0)
        return validator.violations
    }

    /// Checks an instance, stopping at the first violation.
    ///
    /// - Parameter instance: The value to validate.
    /// - Returns: `true` when the instance is valid.
    package func isValid(_ instance: JSONValue) -> Bool {
        var validator = JSONSchemaValidator(nodes: self.nodes, collectsMessages: false)
        validator.validate(self.root, instance, pointer: "", depth: 0)
        return !validator.failed
    }

    /// The violations as API Gateway renders `$context.error.validationErrorString`: the messages in brackets,
    /// separated by a comma and a space (`[object has missing required properties (["name"])]`).
    ///
    /// - Parameter violations: The violations, as ``validate(_:)`` returns them.
    /// - Returns: The rendered string; `"[]"` for none.
    package static func validationErrorString(_ violations: [JSONSchemaViolation]) -> String {
        "[" + violations.map(\.message).joined(separator: ", ") + "]"
    }
}

extension JSONSchema {
    /// The URI AWS gives a REST API model, by which models `$ref` each other.
    /// - Parameters:
    ///   - apiId: the REST API id.
    ///   - name: the model name.
    /// - Returns: `https://apigateway.amazonaws.com/restapis/{apiId}/models/{name}`.
    package static func modelURI(apiId: String, name: String) -> String {
        "https://apigateway.amazonaws.com/restapis/\(apiId)/models/\(name)"
    }
}
