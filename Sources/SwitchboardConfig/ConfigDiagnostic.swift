/// One problem found in a configuration file, with where it is: file, line, column and YAML key path.
///
/// Rendered as `Config/switchboard.yaml:12:7: apis[0].routes.$default.integration.timeoutInMillis: must be
/// between 50 and 29000 (got 30000)`, the shape compilers use, so editors and CI logs can jump to it.
package struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file the configuration was read from (as given to the loader).
    package var file: String
    /// 1-based line; 0 when the problem has no position (an unreadable file).
    package var line: Int
    /// 1-based column; 0 when the problem has no position.
    package var column: Int
    /// Where in the document, e.g. `apis[0].routes.$default.integration.timeoutInMillis`; empty for the root.
    package var keyPath: String
    /// What is wrong, e.g. `must be between 50 and 29000 (got 30000)`.
    package var message: String

    /// Creates a diagnostic.
    /// - Parameters:
    ///   - file: The configuration file's name or path.
    ///   - line: 1-based line, or 0 when unknown.
    ///   - column: 1-based column, or 0 when unknown.
    ///   - keyPath: The YAML key path; empty for the document root.
    ///   - message: What is wrong.
    package init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column: keyPath: message` (the key path and its colon are left out when empty).
    package var description: String {
        if self.keyPath.isEmpty {
            return "\(self.file):\(self.line):\(self.column): \(self.message)"
        }
        return "\(self.file):\(self.line):\(self.column): \(self.keyPath): \(self.message)"
    }
}
