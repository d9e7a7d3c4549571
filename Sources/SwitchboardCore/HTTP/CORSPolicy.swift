/// An HTTP API's CORS configuration compiled once: lower-cased allow sets and pre-joined header values.
///
/// When an HTTP API has a `corsConfiguration`, API Gateway answers preflight `OPTIONS` requests itself, even
/// without an `OPTIONS` route, adds the configured CORS headers to integration responses and ignores CORS headers
/// returned by the backend. A request gets CORS headers only when it carries `Origin`; a preflight also needs
/// `Access-Control-Request-Method` (AWS `http-api-cors`). Routing comes first: a matching `OPTIONS` route (for
/// example an unauthenticated `OPTIONS /{proxy+}` placed ahead of an authorized `$default`) is the caller's
/// concern, not this type's.
package struct CORSPolicy: Sendable {
    /// The status of a preflight answered by the gateway (`204 No Content`).
    package static let preflightStatus = 204

    private let anyOrigin: Bool
    private let anyHTTPSOrigin: Bool
    private let anyHTTPOrigin: Bool
    private let origins: Set<String>
    private let anyMethod: Bool
    private let methods: Set<String>
    private let anyHeader: Bool
    private let headers: Set<String>
    private let allowMethodsValue: String?
    private let allowHeadersValue: String?
    private let exposeHeadersValue: String?
    private let maxAgeValue: String?
    private let allowCredentials: Bool

    /// Compiles a configuration.
    /// - Parameter configuration: The API's `corsConfiguration`.
    package init(_ configuration: CORSConfiguration) {
        let origins = Set(configuration.allowOrigins.map(\.asciiLowercased))
        self.anyOrigin = origins.contains("*")
        self.anyHTTPSOrigin = origins.contains("https://*")
        self.anyHTTPOrigin = origins.contains("http://*")
        self.origins = origins
        self.anyMethod = configuration.allowMethods.contains("*")
        self.methods = Set(configuration.allowMethods.map(\.asciiLowercased))
        self.anyHeader = configuration.allowHeaders.contains("*")
        self.headers = Set(configuration.allowHeaders.map(\.asciiLowercased))
        self.allowMethodsValue = Self.joined(configuration.allowMethods)
        self.allowHeadersValue = Self.joined(configuration.allowHeaders)
        self.exposeHeadersValue = Self.joined(configuration.exposeHeaders)
        self.maxAgeValue = configuration.maxAge.map(String.init)
        self.allowCredentials = configuration.allowCredentials
    }

    // MARK: - Classification

    /// Whether a header is a CORS response header (`Access-Control-*`), which the gateway strips from backend
    /// responses when CORS is configured.
    /// - Parameter name: The header name, in any case.
    /// - Returns: `true` for `Access-Control-…` headers.
    package static func isCORSHeader(_ name: some StringProtocol) -> Bool {
        name.hasPrefixIgnoringASCIICase("access-control-")
    }

    /// Whether an `Origin` value is allowed: listed exactly (ASCII case-insensitively), or covered by `*`,
    /// `https://*` or `http://*`.
    /// - Parameter origin: The request's `Origin` header value.
    /// - Returns: `true` when the origin may receive CORS headers.
    package func isOriginAllowed(_ origin: some StringProtocol) -> Bool {
        if self.anyOrigin { return true }
        if self.anyHTTPSOrigin, origin.hasPrefixIgnoringASCIICase("https://") { return true }
        if self.anyHTTPOrigin, origin.hasPrefixIgnoringASCIICase("http://") { return true }
        return self.origins.contains(origin.asciiLowercased)
    }

    // MARK: - Preflight

    /// The gateway's answer to a CORS preflight.
    ///
    /// A preflight is an `OPTIONS` request with both `Origin` and `Access-Control-Request-Method`. The gateway
    /// answers it with ``preflightStatus`` and no body. When the origin, the requested method and every requested
    /// header are allowed, the answer carries `Access-Control-Allow-Origin`, `-Allow-Credentials` (when
    /// configured), `-Allow-Methods`, `-Allow-Headers` (when any are configured), `-Max-Age` (when configured) and
    /// `Vary: Origin` (when the origin is echoed). Otherwise it carries no CORS headers, so the browser blocks
    /// the real request.
    /// - Parameters:
    ///   - method: The request method.
    ///   - headers: The request headers.
    /// - Returns: The headers of the 204 answer (possibly empty), or `nil` when the request is not a preflight.
    package func preflightResponse(
        method: String,
        headers: [(name: String, value: String)]
    ) -> [(name: String, value: String)]? {
        guard method.caseInsensitiveEquals("OPTIONS"),
            let origin = Self.firstValue("origin", in: headers),
            let requestedMethod = Self.firstValue("access-control-request-method", in: headers)
        else { return nil }
        let method = requestedMethod.commaSeparatedElements.first.map(String.init) ?? ""
        let requestedHeaders = Self.allValues("access-control-request-headers", in: headers)
        guard self.isOriginAllowed(origin), !method.isEmpty, self.isMethodAllowed(method),
            requestedHeaders.allSatisfy(self.isHeaderAllowed)
        else { return [] }

        var response = self.originHeaders(origin: origin)
        if let methods = self.allowMethodsValue {
            let value = self.anyMethod && self.allowCredentials ? method : methods
            response.append(("Access-Control-Allow-Methods", value))
        }
        if self.anyHeader, self.allowCredentials {
            if !requestedHeaders.isEmpty {
                response.append(("Access-Control-Allow-Headers", requestedHeaders.joined(separator: ",")))
            }
        } else if let headers = self.allowHeadersValue {
            response.append(("Access-Control-Allow-Headers", headers))
        }
        if let maxAge = self.maxAgeValue {
            response.append(("Access-Control-Max-Age", maxAge))
        }
        return response
    }

    // MARK: - Actual responses

    /// The CORS headers to add to an actual (non-preflight) response.
    ///
    /// Nothing is added without an allowed `Origin`. Otherwise: `Access-Control-Allow-Origin` (`*` for the `*`
    /// origin without credentials, else the request's origin), `Access-Control-Allow-Credentials: true` when
    /// configured, `Access-Control-Expose-Headers` when configured, and `Vary: Origin` when the origin is echoed.
    /// The caller first removes backend CORS headers (``isCORSHeader(_:)``).
    /// - Parameter requestHeaders: The request headers.
    /// - Returns: Headers to append to the response.
    package func responseHeaders(requestHeaders: [(name: String, value: String)]) -> [(name: String, value: String)] {
        guard let origin = Self.firstValue("origin", in: requestHeaders), self.isOriginAllowed(origin) else {
            return []
        }
        var response = self.originHeaders(origin: origin)
        if let expose = self.exposeHeadersValue {
            response.append(("Access-Control-Expose-Headers", expose))
        }
        return response
    }

    // MARK: - Helpers

    private func originHeaders(origin: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if self.anyOrigin, !self.allowCredentials {
            headers.append(("Access-Control-Allow-Origin", "*"))
        } else {
            headers.append(("Access-Control-Allow-Origin", origin))
        }
        if self.allowCredentials {
            headers.append(("Access-Control-Allow-Credentials", "true"))
        }
        if !(self.anyOrigin && !self.allowCredentials) {
            headers.append(("Vary", "Origin"))
        }
        return headers
    }

    private func isMethodAllowed(_ method: String) -> Bool {
        self.anyMethod || self.methods.contains(method.asciiLowercased)
    }

    private func isHeaderAllowed(_ header: String) -> Bool {
        self.anyHeader || self.headers.contains(header)
    }

    private static func joined(_ values: [String]) -> String? {
        values.isEmpty ? nil : values.joined(separator: ",")
    }

    private static func firstValue(_ lowercasedName: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(lowercasedName) }?.value
    }

    /// Every comma-separated element of every header with this name, lower-cased.
    private static func allValues(_ lowercasedName: String, in headers: [(name: String, value: String)]) -> [String] {
        var values: [String] = []
        for header in headers where header.name.caseInsensitiveEquals(lowercasedName) {
            values += header.value.commaSeparatedElements.map(\.asciiLowercased)
        }
        return values
    }
}
