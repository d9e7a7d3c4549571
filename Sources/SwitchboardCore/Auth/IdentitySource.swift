/// One identity source of an authorizer, in any of AWS's spellings: `route.request.header.X` and
/// `route.request.querystring.X` (WebSocket), `method.request.header.X` and `method.request.querystring.X`
/// (REST), `$request.header.X` and `$request.querystring.X` (HTTP APIs), and `stageVariables.X` / `context.X`
/// with or without `$`.
package struct IdentitySource: Sendable, Equatable, CustomStringConvertible {
    /// Where the value comes from.
    package enum Kind: Sendable, Equatable {
        /// A request header (case-insensitive).
        case header
        /// A query string parameter (case-sensitive).
        case queryString
        /// A stage variable.
        case stageVariable
        /// A `$context` variable.
        case context
    }

    /// The kind.
    package let kind: Kind
    /// The header, parameter or variable name.
    package let name: String
    /// The text as configured.
    package let description: String

    private static let prefixes: [(String, Kind)] = [
        ("route.request.header.", .header), ("route.request.querystring.", .queryString),
        ("method.request.header.", .header), ("method.request.querystring.", .queryString),
        ("$request.header.", .header), ("$request.querystring.", .queryString),
        ("stageVariables.", .stageVariable), ("$stageVariables.", .stageVariable),
        ("context.", .context), ("$context.", .context),
    ]

    /// Parses an identity source; `nil` when it is none of the known forms or names nothing.
    package init?(parsing text: String) {
        for (prefix, kind) in Self.prefixes where text.hasPrefix(prefix) {
            let name = String(text.dropFirst(prefix.count))
            guard !name.isEmpty else { return nil }
            self.kind = kind
            self.name = name
            self.description = text
            return
        }
        return nil
    }

    /// Resolves every source; `nil` when one is missing or empty (AWS then answers 401 without invoking).
    /// - Parameters:
    ///   - sources: the authorizer's identity sources.
    ///   - lookup: the request's value for a source.
    /// - Returns: the values, in order.
    package static func resolve(
        _ sources: [IdentitySource],
        _ lookup: (IdentitySource) -> String?
    ) -> [String]? {
        var values: [String] = []
        values.reserveCapacity(sources.count)
        for source in sources {
            guard let value = lookup(source), !value.isEmpty else { return nil }
            values.append(value)
        }
        return values
    }
}
