/// The HTTP response a Lambda proxy integration's result becomes: status, headers and body as they go back
/// to the client (reference `aws-http-rest.md` §2.3).
///
/// ``interpretV1(_:decodeBase64:defaultContentType:)`` reads the strict format 1.0 result (REST and HTTP API
/// 1.0); ``interpretV2(_:defaultContentType:)`` the HTTP API 2.0 result with its inferred form.
package struct ProxyResponse: Sendable, Equatable {
    /// The HTTP status code, 100–599.
    package var statusCode: Int
    /// The response headers in order. Names may repeat (`multiValueHeaders`, one `set-cookie` per cookie).
    package var headers: [(name: String, value: String)]
    /// The response body bytes.
    package var body: [UInt8]

    /// Creates a response.
    /// - Parameters:
    ///   - statusCode: The HTTP status code.
    ///   - headers: The headers in order.
    ///   - body: The body bytes.
    package init(statusCode: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// Two responses are equal when status, body and the ordered header list are equal.
    /// - Parameters:
    ///   - lhs: A response.
    ///   - rhs: Another response.
    /// - Returns: Whether they are equal.
    package static func == (lhs: ProxyResponse, rhs: ProxyResponse) -> Bool {
        lhs.statusCode == rhs.statusCode && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    // MARK: - Shared parsing

    /// Parses a Lambda result payload.
    static func parse(_ payload: [UInt8]) throws(ProxyResponseError) -> JSONValue {
        do {
            return try JSONValue.parse(payload)
        } catch {
            throw .malformed("result is not JSON: \(error.description)")
        }
    }

    /// The status code of a custom response: absent means 200; an integral number or a decimal string in
    /// 100...599 is accepted (AWS coerces `"200"`); anything else, including `null`, is malformed.
    static func statusCode(_ value: JSONValue?) throws(ProxyResponseError) -> Int {
        let code: Int?
        switch value {
        case nil:
            return 200
        case .number?:
            code = value?.intValue
        case .string(let text)?:
            code = Int(text)
        default:
            code = nil
        }
        guard let code, (100...599).contains(code) else {
            throw .malformed("statusCode is not an HTTP status code")
        }
        return code
    }

    /// A header value: a string, or a Boolean rendered `true`/`false`; with `allowNumbers`, a number's raw
    /// text. Anything else is malformed.
    static func headerValue(_ value: JSONValue, name: String, allowNumbers: Bool) throws(ProxyResponseError) -> String {
        switch value {
        case .string(let text):
            return text
        case .bool(let flag):
            return flag ? "true" : "false"
        case .number(let raw) where allowNumbers:
            return raw
        default:
            throw .malformed("header \(name) has a value that is not a string")
        }
    }

    /// `isBase64Encoded`: absent or `null` is `false`; a non-Boolean is malformed.
    static func isBase64(_ value: JSONValue?) throws(ProxyResponseError) -> Bool {
        switch value {
        case nil, .null?:
            return false
        case .bool(let flag)?:
            return flag
        default:
            throw .malformed("isBase64Encoded is not a boolean")
        }
    }

    /// The body bytes: absent or `null` is empty; a string is its UTF-8 or, when `decode`, its base64-decoded
    /// bytes; any other type is malformed.
    static func body(_ value: JSONValue?, decode: Bool) throws(ProxyResponseError) -> [UInt8] {
        switch value {
        case nil, .null?:
            return []
        case .string(let text)?:
            guard decode else { return Array(text.utf8) }
            guard let bytes = Base64.decode(text) else {
                throw ProxyResponseError(kind: .invalidBase64, detail: "body is not valid base64")
            }
            return bytes
        default:
            throw .malformed("body is not a string")
        }
    }

    /// Sets a header the way API Gateway merges result headers: every field with the same case-insensitive
    /// name is replaced by `values`, at the position of the first one (appended when new; removed when
    /// `values` is empty).
    static func set(_ name: String, _ values: [String], in headers: inout [(name: String, value: String)]) {
        let key = name.lowercased()
        guard let first = headers.firstIndex(where: { $0.name.lowercased() == key }) else {
            headers.append(contentsOf: values.map { (name, $0) })
            return
        }
        var merged: [(name: String, value: String)] = []
        merged.reserveCapacity(headers.count + values.count)
        for (index, field) in headers.enumerated() {
            if index == first {
                merged.append(contentsOf: values.map { (name, $0) })
            } else if field.name.lowercased() != key {
                merged.append(field)
            }
        }
        headers = merged
    }

    /// Reads a result's `headers` object (single values), after the default `Content-Type` if any.
    /// - Parameters:
    ///   - value: the `headers` member.
    ///   - defaultContentType: a `Content-Type` the result's headers may replace.
    ///   - allowNumbers: whether numbers are accepted as values (format 2.0).
    /// - Returns: the headers.
    /// - Throws: `malformed` for a non-object or an unsupported value.
    static func singleValueHeaders(
        _ value: JSONValue?,
        defaultContentType: String?,
        allowNumbers: Bool
    ) throws(ProxyResponseError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let defaultContentType {
            headers.append(("Content-Type", defaultContentType))
        }
        switch value {
        case nil, .null?:
            break
        case .object(let members)?:
            for (name, value) in members {
                Self.set(name, [try Self.headerValue(value, name: name, allowNumbers: allowNumbers)], in: &headers)
            }
        default:
            throw .malformed("headers is not an object")
        }
        return headers
    }
}
