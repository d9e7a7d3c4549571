/// Interpretation of HTTP API payload format 2.0 results.
extension ProxyResponse {
    /// Interprets an HTTP API format 2.0 Lambda result (AWS `http-api-develop-integrations-lambda`,
    /// reference §2.3).
    ///
    /// - Inferred form: valid JSON that is not an object with a `statusCode` member becomes `200` with
    ///   `Content-Type: application/json` and the function's output as the body: a JSON string's contents, any
    ///   other value's JSON text exactly as the function returned it.
    /// - Custom form: an object with `statusCode` (an integral number or decimal string in 100...599). `headers`
    ///   values may be strings, Booleans or numbers; each `cookies` entry becomes one `set-cookie` header,
    ///   placed before any `Set-Cookie` from `headers` (as observed on AWS); `isBase64Encoded: true` always
    ///   decodes `body` (HTTP APIs have no binary media types). Other members (`multiValueHeaders` …) are
    ///   ignored.
    ///
    /// - Parameters:
    ///   - payload: The function's result bytes.
    ///   - defaultContentType: The `Content-Type` added to a custom response that sets none; `nil` (the
    ///     default) adds none and leaves the HTTP API default to the server.
    /// - Returns: The response.
    /// - Throws: ``ProxyResponseError`` of kind ``ProxyResponseError/Kind/malformed`` for a result that is
    ///   not JSON or a custom response with a member of the wrong type, or
    ///   ``ProxyResponseError/Kind/invalidBase64`` for a body that claims base64 but is not.
    package static func interpretV2(
        _ payload: [UInt8],
        defaultContentType: String? = nil
    ) throws(ProxyResponseError) -> ProxyResponse {
        let value = try Self.parse(payload)
        guard case .object(let result) = value, result.contains(key: "statusCode") else {
            let body = value.stringValue.map { Array($0.utf8) } ?? payload
            return ProxyResponse(statusCode: 200, headers: [("Content-Type", "application/json")], body: body)
        }
        let statusCode = try Self.statusCode(result["statusCode"])
        var headers = try Self.singleValueHeaders(
            result["headers"],
            defaultContentType: defaultContentType,
            allowNumbers: true
        )
        switch result["cookies"] {
        case nil, .null?:
            break
        case .array(let elements)?:
            var cookies: [(name: String, value: String)] = []
            for element in elements {
                guard case .string(let cookie) = element else { throw .malformed("cookies has a non-string") }
                cookies.append(("set-cookie", cookie))
            }
            let position = headers.firstIndex { $0.name.lowercased() == "set-cookie" } ?? headers.endIndex
            headers.insert(contentsOf: cookies, at: position)
        default:
            throw .malformed("cookies is not a list")
        }
        let isBase64 = try Self.isBase64(result["isBase64Encoded"])
        let body = try Self.body(result["body"], decode: isBase64)
        return ProxyResponse(statusCode: statusCode, headers: headers, body: body)
    }
}
