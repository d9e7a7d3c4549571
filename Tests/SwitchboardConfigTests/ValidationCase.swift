import Testing

/// One configuration mistake and the single diagnostic it must produce.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    /// What is wrong, as the test's name.
    var name: String
    /// The document.
    var yaml: String
    /// The expected 1-based line.
    var line: Int
    /// The expected key path.
    var keyPath: String
    /// The expected message (or its beginning when `exact` is false).
    var message: String
    /// Whether `message` must match exactly rather than as a prefix.
    var exact = true

    var testDescription: String { self.name }

    /// A WebSocket API `chat` (stage `dev`, route `$default` → MOCK) listening on `listen`, with one extra
    /// line in each of three places so that line numbers are fixed: line 9 is a route (indent 6), line 10 a key
    /// of the API (indent 4) and line 11 a top-level key. Unused places hold a comment.
    static func chat(
        route: String = "# -",
        api: String = "# -",
        top: String = "# -",
        listen: String = "127.0.0.1:8080"
    ) -> String {
        """
        server: { listen: "\(listen)" }
        apis:
          - id: chat
            protocolType: WEBSOCKET
            routeSelectionExpression: $request.body.action
            stages: [ { name: dev } ]
            routes:
              $default: { integration: { type: MOCK } }
              \(route)
            \(api)
        \(top)
        """
    }
}
