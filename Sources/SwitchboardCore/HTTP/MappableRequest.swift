/// The parts of an HTTP API request that `requestParameters` can rewrite before the integration is called.
package struct MappableRequest: Sendable {
    /// Headers in order; names keep their case and may repeat.
    package var headers: [(name: String, value: String)]
    /// Query string parameters in order, decoded; names may repeat.
    package var query: [(name: String, value: String)]
    /// The path sent to the integration (without the stage name).
    package var path: String

    /// Creates a request.
    /// - Parameters:
    ///   - headers: The headers.
    ///   - query: The query string parameters.
    ///   - path: The path.
    package init(
        headers: [(name: String, value: String)] = [],
        query: [(name: String, value: String)] = [],
        path: String = "/"
    ) {
        self.headers = headers
        self.query = query
        self.path = path
    }
}
