package import AsyncHTTPClient
package import SwitchboardCore
internal import Synchronization

/// An authorizer of an API compiled once per snapshot: its identity sources, its function URL or JWT verifier,
/// and its result cache (keyed by the identity values, as AWS caches).
package final class CompiledAuthorizer: Sendable {
    /// How it decides.
    package enum Kind: Sendable, Equatable {
        /// A Lambda REQUEST authorizer.
        case request
        /// A Lambda TOKEN authorizer (REST).
        case token
        /// A JWT authorizer.
        case jwt
    }

    /// What an allowed call learned.
    package struct Grant: Sendable {
        /// The function's result (Lambda authorizers).
        package var result: AuthorizerResult?
        /// How long the function took, 0 for a cache hit.
        package var latencyMillis: Int
        /// The verified claims and scopes (JWT authorizers).
        package var claims: JSONObject?
        /// The token's scopes (JWT authorizers).
        package var scopes: [String]?

        /// A JWT grant as `$context.authorizer` shows it: `{"claims": {…}, "scopes": […] or null}`.
        package var jwtContext: JSONObject {
            JSONObject([
                ("claims", .object(self.claims ?? JSONObject())),
                ("scopes", self.scopes.map { .array($0.map(JSONValue.string)) } ?? .null),
            ])
        }
    }

    /// The name (`authorizerId`).
    package let name: String
    /// The definition.
    package let definition: AuthorizerDefinition
    /// The kind.
    package let kind: Kind
    /// Parsed identity sources.
    package let sources: [IdentitySource]
    /// The URL the function is called at (Lambda authorizers).
    package let url: String
    /// The JWT verifier (JWT authorizers).
    package let jwt: JWTAuthorizer?
    private let cache: Mutex<ExpiringCache<AuthorizerResult>>
    /// Tokens already verified (signature, issuer, audience, times), by the token text, for at most
    /// ``verifiedTokenSeconds``: a client sends the same token on every request, and an RSA verification costs
    /// tens of microseconds. `exp` is checked again on every use; scopes are checked per route.
    private let verifiedTokens = Mutex(
        ExpiringCache<VerifiedToken>(ttlSeconds: CompiledAuthorizer.verifiedTokenSeconds)
    )
    private let nowSeconds: @Sendable () -> Int64

    /// How long a verified JWT is remembered (never past its `exp`).
    package static let verifiedTokenSeconds = 60

    private struct VerifiedToken: Sendable {
        var claims: JSONObject
        var scopes: [String]?
        var expiresAtSeconds: Int64
    }

    /// Compiles an authorizer.
    /// - Parameters:
    ///   - name: its name.
    ///   - definition: its configuration.
    ///   - defaultTtlSeconds: the cache TTL when the definition sets none (300, or 0 on WebSocket APIs).
    ///   - settings: the snapshot's security settings.
    ///   - client: the HTTP client for JWKS discovery.
    ///   - jwksProvider: where a JWT authorizer's keys come from; `nil` fetches them over HTTP (tests pass a fake).
    package init(
        name: String,
        definition: AuthorizerDefinition,
        defaultTtlSeconds: Int,
        settings: SecuritySettings,
        client: HTTPClient,
        jwksProvider: (any JWKSProvider)? = nil
    ) {
        self.name = name
        self.definition = definition
        switch definition.authorizerType {
        case "TOKEN": self.kind = .token
        case "JWT": self.kind = .jwt
        default: self.kind = .request
        }
        self.sources = definition.identitySource.compactMap(IdentitySource.init(parsing:))
        self.url = settings.invoker.url(for: definition.authorizerUri ?? "")
        let clock = settings.traffic
        self.nowSeconds = { clock.nowMillis() / 1000 }
        if self.kind == .jwt, let configuration = definition.jwtConfiguration {
            let traffic = settings.traffic
            self.jwt = JWTAuthorizer(
                configuration: configuration,
                provider: jwksProvider ?? HTTPJWKSProvider(configuration: configuration, client: client),
                nowSeconds: { traffic.nowMillis() / 1000 }
            )
        } else {
            self.jwt = nil
        }
        self.cache = Mutex(ExpiringCache(ttlSeconds: definition.authorizerResultTtlInSeconds ?? defaultTtlSeconds))
    }

    /// Resolves the identity sources; `nil` when one is missing or empty (401 without invoking).
    package func identity(_ lookup: (IdentitySource) -> String?) -> [String]? {
        IdentitySource.resolve(self.sources, lookup)
    }

    /// Runs a Lambda authorizer (through the cache) and checks its answer against an ARN.
    /// - Parameters:
    ///   - identity: the resolved identity values (the cache key).
    ///   - arn: the method or route ARN the policy must allow.
    ///   - simple: whether simple responses are read (HTTP APIs).
    ///   - invoker: calls the function.
    ///   - nowMillis: the clock for the cache.
    ///   - event: builds the event, only when the function is called.
    /// - Returns: the grant.
    /// - Throws: 401 `Unauthorized`, 403 for a deny, 500 when the function fails or answers nonsense.
    package func authorize(
        identity: [String],
        arn: String,
        simple: Bool,
        invoker: AuthorizerInvoker,
        nowMillis: @Sendable () -> Int64,
        event: () -> JSONValue
    ) async throws(GatewayError) -> Grant {
        if self.kind == .token, let pattern = self.definition.identityValidationExpression {
            guard let token = identity.first, (try? Regex(pattern).wholeMatch(in: token)) != nil else {
                throw .unauthorized
            }
        }
        let key = identity.joined(separator: "\u{0}")
        let start = nowMillis()
        var latency = 0
        let cached = self.cache.withLock { $0.value(for: key, nowMillis: start) }
        let result: AuthorizerResult
        if let cached {
            result = cached
        } else {
            let output: JSONValue
            do {
                output = try await invoker.invoke(url: self.url, event: event())
            } catch {
                switch error {
                case .unauthorized: throw .unauthorized
                case .failed: throw GatewayError(.authorizerFailure)
                }
            }
            do {
                result = try AuthorizerResult.parse(output, simple: simple)
            } catch {
                throw GatewayError(.authorizerConfigurationError)
            }
            let end = nowMillis()
            latency = Int(max(0, end - start))
            self.cache.withLock { $0.store(result, for: key, nowMillis: end) }
        }
        switch result.decision(arn: arn) {
        case .allow:
            return Grant(result: result, latencyMillis: latency)
        case .explicitDeny:
            throw result.isAuthorized != nil ? .forbiddenAccess : GatewayError(.accessDenied)
        case .implicitDeny:
            throw result.isAuthorized != nil
                ? .forbiddenAccess
                : GatewayError(.accessDenied, message: "User is not authorized to access this resource")
        }
    }

    /// Verifies a JWT from the first identity source.
    /// - Throws: 401 `Unauthorized` (with AWS's `www-authenticate` text in the error) or 403 for missing scopes.
    package func authorizeJWT(identity: String?, requiredScopes: [String]) async throws(GatewayError) -> Grant {
        guard let jwt else { throw GatewayError(.authorizerConfigurationError) }
        let now = self.nowSeconds()
        if let identity, !identity.isEmpty,
            let known = self.verifiedTokens.withLock({ $0.value(for: identity, nowMillis: now * 1000) }),
            known.expiresAtSeconds > now
        {
            return try Self.grant(claims: known.claims, scopes: known.scopes, requiredScopes: requiredScopes)
        }
        switch await jwt.authorize(identity: identity, requiredScopes: []) {
        case .allow(let claims, let scopes):
            if let identity, let exp = claims["exp"]?.doubleValue {
                let token = VerifiedToken(claims: claims, scopes: scopes, expiresAtSeconds: Int64(exp))
                self.verifiedTokens.withLock { $0.store(token, for: identity, nowMillis: now * 1000) }
            }
            return try Self.grant(claims: claims, scopes: scopes, requiredScopes: requiredScopes)
        case .unauthorized(let challenge):
            var error = GatewayError.unauthorized
            error.wwwAuthenticate = challenge
            throw error
        case .forbidden(let challenge):
            var error = GatewayError.forbiddenAccess
            error.wwwAuthenticate = challenge
            throw error
        }
    }
}

extension CompiledAuthorizer {
    /// Allows a verified token on a route when it holds one of the route's scopes (or the route needs none).
    fileprivate static func grant(
        claims: JSONObject,
        scopes: [String]?,
        requiredScopes: [String]
    ) throws(GatewayError) -> Grant {
        if !requiredScopes.isEmpty, !(scopes ?? []).contains(where: requiredScopes.contains) {
            var error = GatewayError.forbiddenAccess
            error.wwwAuthenticate = JWTAuthorizer.insufficientScopeChallenge(requiredScopes)
            throw error
        }
        return Grant(result: nil, latencyMillis: 0, claims: claims, scopes: scopes)
    }
}

extension GatewayError {
    /// HTTP APIs' answer to a denied call: 403 `Forbidden` (type ACCESS_DENIED).
    package static var forbiddenAccess: GatewayError {
        GatewayError(.accessDenied, message: "Forbidden")
    }
}
