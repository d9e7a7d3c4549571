/// Why a schema could not be compiled: a malformed keyword, an invalid `pattern`, an unresolvable `$ref` or a
/// `$ref` loop. The message names the schema location (`#/properties/name/minLength`).
package struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, and where.
    package var message: String

    /// Makes an error.
    ///
    /// - Parameter message: What is wrong, and where.
    package init(_ message: String) {
        self.message = message
    }

    /// The message.
    package var description: String { self.message }
}
