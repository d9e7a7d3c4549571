/// Why a JSONPath was rejected, and where.
package struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The UTF-8 byte offset in the path at which the problem was found.
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
