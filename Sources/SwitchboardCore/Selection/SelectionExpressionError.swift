/// Why a selection expression was rejected, and where.
package struct SelectionExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The UTF-8 byte offset in the expression at which the problem was found.
    package var offset: Int
    /// A short description of the problem, for example `unknown variable '$request.foo'`.
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

    /// A complete diagnostic sentence, for configuration error reports.
    package var message: String { "invalid selection expression: \(self.reason) (at offset \(self.offset))" }

    /// The same as ``message``.
    package var description: String { self.message }
}
