/// Why a JSON text was rejected, and where.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset in the input at which the problem was found.
    package var offset: Int
    /// A short, human-readable description of the problem.
    package var reason: String

    /// Makes an error.
    ///
    /// - Parameters:
    ///   - offset: The byte offset of the problem.
    ///   - reason: A short description.
    package init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `"<reason> at offset <offset>"`.
    package var description: String { "\(self.reason) at offset \(self.offset)" }
}
