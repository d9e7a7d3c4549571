/// An HTTP API's `corsConfiguration` (AWS `Cors` object, `x-amazon-apigateway-cors`).
///
/// Keys, all optional:
/// - `allowOrigins` ([String], default `[]`): exact origins such as `https://www.example.com`, or the wildcards
///   `*` (any origin), `https://*` (any `https://` origin) and `http://*` (any `http://` origin).
/// - `allowMethods` ([String], default `[]`): e.g. `GET`, `POST`; `*` allows any method.
/// - `allowHeaders` ([String], default `[]`): e.g. `authorization`; `*` allows any header.
/// - `exposeHeaders` ([String], default `[]`): e.g. `date`, `x-api-id`; `*` exposes any header.
/// - `maxAge` (Int seconds, default none): how long browsers may cache a preflight result, `-1`…`86400`.
/// - `allowCredentials` (Bool, default `false`): sends `Access-Control-Allow-Credentials: true`.
///
/// ``CORSPolicy`` compiles it once per API.
package struct CORSConfiguration: Sendable, Equatable {
    /// Allowed origins (`Access-Control-Allow-Origin`).
    package var allowOrigins: [String]
    /// Allowed methods (`Access-Control-Allow-Methods`).
    package var allowMethods: [String]
    /// Allowed request headers (`Access-Control-Allow-Headers`).
    package var allowHeaders: [String]
    /// Response headers browsers may read (`Access-Control-Expose-Headers`).
    package var exposeHeaders: [String]
    /// Seconds a preflight result may be cached (`Access-Control-Max-Age`), or `nil` to send none.
    package var maxAge: Int?
    /// Whether credentialed requests are allowed (`Access-Control-Allow-Credentials`).
    package var allowCredentials: Bool

    /// Creates a configuration.
    /// - Parameters:
    ///   - allowOrigins: Allowed origins, including the `*`, `https://*` and `http://*` wildcards.
    ///   - allowMethods: Allowed methods, or `*`.
    ///   - allowHeaders: Allowed request headers, or `*`.
    ///   - exposeHeaders: Exposed response headers, or `*`.
    ///   - maxAge: Preflight cache lifetime in seconds.
    ///   - allowCredentials: Whether credentialed requests are allowed.
    package init(
        allowOrigins: [String] = [],
        allowMethods: [String] = [],
        allowHeaders: [String] = [],
        exposeHeaders: [String] = [],
        maxAge: Int? = nil,
        allowCredentials: Bool = false
    ) {
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
        self.allowCredentials = allowCredentials
    }

    /// The problems AWS would reject this configuration for, for config validation.
    ///
    /// AWS refuses `allowCredentials` together with the `*` origin with the message checked below, and models
    /// `maxAge` as an integer between -1 and 86400.
    /// - Returns: One message per problem; empty when the configuration is valid.
    package func validationErrors() -> [String] {
        var errors: [String] = []
        if self.allowCredentials, self.allowOrigins.contains("*") {
            errors.append("allow-credentials is not supported if 'allow-origin' is *")
        }
        if let maxAge = self.maxAge, !(-1...86_400).contains(maxAge) {
            errors.append("maxAge must be between -1 and 86400, got \(maxAge)")
        }
        for (key, values) in [
            ("allowOrigins", self.allowOrigins), ("allowMethods", self.allowMethods),
            ("allowHeaders", self.allowHeaders), ("exposeHeaders", self.exposeHeaders),
        ] where values.contains(where: \.isEmpty) {
            errors.append("\(key) must not contain an empty string")
        }
        return errors
    }
}
