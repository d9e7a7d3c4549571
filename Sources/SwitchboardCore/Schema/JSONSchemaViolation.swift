/// One way an instance fails a schema, worded as the Java json-schema-validator that AWS API Gateway uses
/// words it (`object has missing required properties (["name"])`).
package struct JSONSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// The JSON pointer of the failing value in the instance; `""` for the root.
    package var pointer: String
    /// The message.
    package var message: String

    /// Makes a violation.
    ///
    /// - Parameters:
    ///   - pointer: The JSON pointer of the failing value.
    ///   - message: The message.
    package init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    /// `"<pointer>: <message>"`, with `/` for the root.
    package var description: String { "\(self.pointer.isEmpty ? "/" : self.pointer): \(self.message)" }
}
