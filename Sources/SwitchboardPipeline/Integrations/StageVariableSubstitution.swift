/// Replaces `${stageVariables.name}` in integration URIs and headers.
package enum StageVariableSubstitution {
    /// Substitutes stage variables; unknown names become empty, as AWS.
    /// - Parameters:
    ///   - text: the configured text.
    ///   - variables: the stage's variables.
    /// - Returns: the text with variables replaced.
    package static func apply(_ text: String, _ variables: [String: String]) -> String {
        // A byte scan first: this runs on every proxied request, and most URIs have no `$` at all.
        guard text.utf8.contains(UInt8(ascii: "$")), text.contains("${stageVariables.") else { return text }
        var output = ""
        var rest = text[...]
        while let range = rest.firstRange(of: "${stageVariables.") {
            output += rest[..<range.lowerBound]
            let afterPrefix = rest[range.upperBound...]
            guard let close = afterPrefix.firstIndex(of: "}") else {
                output += rest[range.lowerBound...]
                return output
            }
            output += variables[String(afterPrefix[..<close])] ?? ""
            rest = afterPrefix[afterPrefix.index(after: close)...]
        }
        output += rest
        return output
    }
}
