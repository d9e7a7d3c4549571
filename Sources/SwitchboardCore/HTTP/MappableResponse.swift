/// The parts of an integration response that HTTP API `responseParameters` can rewrite, apart from the status
/// code (which ``HTTPParameterMapping/apply(to:statusCode:resolver:)`` returns).
package struct MappableResponse: Sendable {
    /// Headers in order; names keep their case and may repeat.
    package var headers: [(name: String, value: String)]

    /// Creates a response.
    /// - Parameter headers: The headers.
    package init(headers: [(name: String, value: String)] = []) {
        self.headers = headers
    }
}
