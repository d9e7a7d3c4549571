/// Interpretation of payload format 1.0 results (REST `AWS_PROXY`, HTTP API `1.0`).
extension ProxyResponse {
    /// The members a format 1.0 result may have; any other member makes it malformed.
    static let v1Members: Set<String> = ["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]

    /// Interprets a format 1.0 Lambda result as strictly as AWS does (the checks LocalStack reproduces from
    /// AWS, reference §2.3).
    ///
    /// The result must be a JSON object whose members are among `statusCode`, `headers`,
    /// `multiValueHeaders`, `body` and `isBase64Encoded` (a Lambda error, `{"errorMessage":…}`, is therefore
    /// malformed too). `statusCode` defaults to 200 and may be an integral number or a decimal string;
    /// `headers` values must be strings or Booleans (rendered `true`/`false`); `multiValueHeaders` values
    /// must be lists of those. Header names merge case-insensitively: a `multiValueHeaders` entry replaces a
    /// `headers` entry of the same name (AWS: "only the values from `multiValueHeaders` will appear"). An
    /// absent or `null` `body` is empty.
    ///
    /// - Parameters:
    ///   - payload: The function's result bytes.
    ///   - decodeBase64: Whether `isBase64Encoded: true` decodes the body. HTTP APIs always decode; a REST API
    ///     decodes only when the request's `Accept` matches its binary media types and otherwise returns the
    ///     base64 text as is (pass ``BinaryMediaTypes/matches(contentType:binaryMediaTypes:)`` of `Accept`).
    ///   - defaultContentType: The `Content-Type` used when the result sets none: `application/json` for REST
    ///     APIs (as AWS answers); `nil` adds none.
    /// - Returns: The response.
    /// - Throws: ``ProxyResponseError`` of kind ``ProxyResponseError/Kind/malformed`` for a result that is
    ///   not a valid format 1.0 response, or ``ProxyResponseError/Kind/invalidBase64`` for a body that claims
    ///   base64 but is not.
    package static func interpretV1(
        _ payload: [UInt8],
        decodeBase64: Bool = true,
        defaultContentType: String? = "application/json"
    ) throws(ProxyResponseError) -> ProxyResponse {
        guard case .object(let result) = try Self.parse(payload) else {
            throw .malformed("result is not a JSON object")
        }
        for key in result.keys where !Self.v1Members.contains(key) {
            if key == "errorMessage" {
                throw .malformed("Lambda function error: \(result[key]?.selectionString ?? "")")
            }
            throw .malformed("result has an unexpected member \(key)")
        }
        let statusCode = try Self.statusCode(result["statusCode"])
        var headers = try Self.singleValueHeaders(
            result["headers"],
            defaultContentType: defaultContentType,
            allowNumbers: false
        )
        switch result["multiValueHeaders"] {
        case nil, .null?:
            break
        case .object(let members)?:
            for (name, value) in members {
                guard case .array(let elements) = value else {
                    throw .malformed("multiValueHeaders \(name) is not a list")
                }
                var values: [String] = []
                values.reserveCapacity(elements.count)
                for element in elements {
                    values.append(try Self.headerValue(element, name: name, allowNumbers: false))
                }
                Self.set(name, values, in: &headers)
            }
        default:
            throw .malformed("multiValueHeaders is not an object")
        }
        let isBase64 = try Self.isBase64(result["isBase64Encoded"])
        let body = try Self.body(result["body"], decode: isBase64 && decodeBase64)
        return ProxyResponse(statusCode: statusCode, headers: headers, body: body)
    }
}
