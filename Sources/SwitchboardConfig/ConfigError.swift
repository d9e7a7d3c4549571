/// Every problem found while loading a configuration file; thrown by ``ConfigLoader``.
///
/// The loader collects all problems before throwing, so one run of `switchboard validate` shows them all.
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The problems, ordered by position in the file.
    package var diagnostics: [ConfigDiagnostic]

    /// Creates an error from its diagnostics.
    /// - Parameter diagnostics: The problems found.
    package init(diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    package var description: String {
        self.diagnostics.map(\.description).joined(separator: "\n")
    }
}
