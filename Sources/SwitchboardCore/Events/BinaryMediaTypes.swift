/// The media-type rules that decide when API Gateway passes bodies base64-encoded (reference
/// `aws-http-rest.md` §2.4).
package enum BinaryMediaTypes {
    /// Whether a `Content-Type` (or `Accept`) value matches a REST API's `binaryMediaTypes`.
    ///
    /// Only the first media type of a comma-separated list counts (AWS honors only the first `Accept` type);
    /// parameters after `;` and surrounding spaces are ignored, and comparison is case-insensitive. A
    /// configured entry matches exactly, as `type/*` (any subtype of `type`) or as `*/*` (anything). A
    /// missing or malformed value matches nothing.
    ///
    /// - Parameters:
    ///   - contentType: The request's `Content-Type` (or `Accept`), or `nil`.
    ///   - binaryMediaTypes: The API's configured binary media types.
    /// - Returns: `true` when the value is one of the binary media types.
    package static func matches(contentType: String?, binaryMediaTypes: [String]) -> Bool {
        guard let (type, subtype) = Self.mediaType(contentType, firstOfList: true) else { return false }
        for entry in binaryMediaTypes {
            guard let (entryType, entrySubtype) = Self.mediaType(entry, firstOfList: false) else { continue }
            if entryType == "*" && entrySubtype == "*" {
                return true
            }
            if entryType == type && (entrySubtype == "*" || entrySubtype == subtype) {
                return true
            }
        }
        return false
    }

    /// Whether an HTTP API passes a request body of this `Content-Type` as UTF-8 text. AWS's verified
    /// allow-list: any `text/*`, `application/json`, `application/xml` and `application/javascript`
    /// (parameters ignored, case-insensitive). Everything else, including a missing `Content-Type` and
    /// `application/x-www-form-urlencoded`, is base64-encoded.
    ///
    /// - Parameter contentType: The request's `Content-Type`, or `nil`.
    /// - Returns: `true` when the body is passed as text.
    package static func httpAPIIsText(contentType: String?) -> Bool {
        guard let (type, subtype) = Self.mediaType(contentType, firstOfList: false) else { return false }
        if type == "text" {
            return true
        }
        guard type == "application" else { return false }
        return subtype == "json" || subtype == "xml" || subtype == "javascript"
    }

    /// The lower-cased `(type, subtype)` of a media type, parameters dropped; `nil` unless both parts are
    /// non-empty.
    private static func mediaType(_ value: String?, firstOfList: Bool) -> (String, String)? {
        guard var text = value?[...] else { return nil }
        if firstOfList, let comma = text.firstIndex(of: ",") {
            text = text[..<comma]
        }
        if let semicolon = text.firstIndex(of: ";") {
            text = text[..<semicolon]
        }
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let type = Self.trimmed(text[..<slash]).lowercased()
        let subtype = Self.trimmed(text[text.index(after: slash)...]).lowercased()
        guard !type.isEmpty, !subtype.isEmpty else { return nil }
        return (type, subtype)
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
            let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}
