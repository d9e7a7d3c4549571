import JWTKit
package import SwitchboardCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An API Gateway JWT authorizer (HTTP APIs, and WebSocket `$connect`): validates the bearer token of a request
/// against the issuer's signing keys and the authorizer's `jwtConfiguration`.
///
/// The token is the identity source's value, bare or after `Bearer ` (any case). It must be a compact JWS signed
/// with `RS256`, `RS384`, `RS512` or `ES256` by a key of the issuer's JWKS named by its `kid` header; a `kid` the
/// key set does not have makes the provider refresh the key set once (rate limited by the provider), then fails.
/// After the signature, the claims are checked in the order API Gateway lists them: `iss` equals the issuer;
/// `aud` (a string or an array), or `client_id` when there is no `aud`, names one of the configured audiences
/// (skipped when none are configured); `exp` is after now; `nbf` and `iat`, when present, are not after now; no
/// clock skew is allowed. Finally, when the route has authorization scopes, the token's `scope` (space-separated)
/// or `scp` (array or space-separated string) must contain at least one of them.
///
/// Failures answer 401 `{"message":"Unauthorized"}` with a `www-authenticate` challenge, or 403
/// `{"message":"Forbidden"}` for missing scopes. A request without an identity gets no challenge. API Gateway
/// publishes one challenge text, for the audience:
/// `Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"`
/// (AG:http-api-troubleshooting-jwt). It publishes no other `error_description`, so the other texts (see
/// ``Rejection``) are ours, written in the same style, and name no value taken from the token.
package final class JWTAuthorizer: Sendable {
    /// The authorizer's decision.
    package enum Outcome: Sendable, Equatable {
        /// The token is valid. `claims` is its whole payload; `scopes` the token's scopes (from `scope` or
        /// `scp`), `nil` when it has none.
        case allow(claims: JSONObject, scopes: [String]?)
        /// 401 `{"message":"Unauthorized"}`, with this `www-authenticate` value when there is one.
        case unauthorized(wwwAuthenticate: String?)
        /// 403 `{"message":"Forbidden"}`: the token has none of the route's authorization scopes.
        case forbidden(wwwAuthenticate: String)
    }

    /// Why a token was refused, with its `error_description`.
    ///
    /// Only ``invalidAudience`` is API Gateway's published text; the others are not published by AWS and follow
    /// its style.
    package enum Rejection: String, Error, CaseIterable {
        /// Not three base64url segments with a JSON object header and payload (also `Bearer ` with no token).
        case malformed = "the token is not a valid JWT"
        /// `alg` is missing or not `RS256`, `RS384`, `RS512` or `ES256` (so `none` and `HS256` are refused), or the
        /// token's key does not allow it.
        case signingMethod = "the token does not have a valid signing method"
        /// No `kid` header.
        case missingKid = "the token does not have a kid"
        /// The `kid` is not in the issuer's JWKS, even after a refresh.
        case unknownKid = "the token's kid was not found in the issuer's JWKS"
        /// The issuer's JWKS could not be fetched or read.
        case jwksUnavailable = "the signing keys could not be retrieved from the issuer"
        /// The signature does not verify.
        case invalidSignature = "the token does not have a valid signature"
        /// `iss` is not the configured issuer.
        case invalidIssuer = "the token does not have a valid issuer"
        /// Neither `aud` nor (without `aud`) `client_id` names a configured audience. API Gateway's text.
        case invalidAudience = "the token does not have a valid audience"
        /// `exp` is missing or not a number.
        case invalidExpiration = "the token does not have a valid expiration time"
        /// `exp` is not after now.
        case expired = "the token has expired"
        /// `nbf` is after now (or not a number).
        case notYetValid = "the token is not valid yet"
        /// `iat` is after now (or not a number).
        case issuedInFuture = "the token was issued in the future"

        /// The `www-authenticate` value for this rejection.
        package var wwwAuthenticate: String {
            "Bearer scope=\"\" error=\"invalid_token\" error_description=\"\(self.rawValue)\""
        }
    }

    /// The `error_description` of a 403 for missing scopes (not published by AWS).
    package static let insufficientScopeDescription = "the token does not have a required scope"

    private struct CachedKeys: Sendable {
        var jwks: [UInt8]
        var keys: JWTKeySet
    }

    private let issuer: String
    private let audiences: Set<String>
    private let provider: any JWKSProvider
    private let nowSeconds: @Sendable () -> Int64
    private let cachedKeys = Mutex<CachedKeys?>(nil)

    /// Creates the authorizer.
    ///
    /// - Parameters:
    ///   - configuration: The authorizer's `jwtConfiguration`.
    ///   - provider: Where the issuer's JWKS comes from.
    ///   - nowSeconds: The current time in seconds since the Unix epoch.
    package init(
        configuration: JWTConfiguration,
        provider: any JWKSProvider,
        nowSeconds: @escaping @Sendable () -> Int64 = JWTAuthorizer.epochSeconds
    ) {
        self.issuer = configuration.issuer
        self.audiences = Set(configuration.audience)
        self.provider = provider
        self.nowSeconds = nowSeconds
    }

    /// Validates the identity of one request.
    ///
    /// - Parameters:
    ///   - identity: The raw identity-source value (e.g. the `Authorization` header), `Bearer <jwt>` or a bare
    ///     JWT; `nil` when missing.
    ///   - requiredScopes: The route's `authorizationScopes`; empty when the route requires none.
    /// - Returns: The decision. Never throws and never traps, whatever the input.
    package func authorize(identity: String?, requiredScopes: [String]) async -> Outcome {
        guard let token = Self.token(from: identity) else {
            return .unauthorized(wwwAuthenticate: nil)
        }
        switch await self.validate(token) {
        case .failure(let rejection):
            return .unauthorized(wwwAuthenticate: rejection.wwwAuthenticate)
        case .success(let claims):
            let scopes = Self.scopes(in: claims)
            if !requiredScopes.isEmpty, !(scopes ?? []).contains(where: requiredScopes.contains) {
                return .forbidden(wwwAuthenticate: Self.insufficientScopeChallenge(requiredScopes))
            }
            return .allow(claims: claims, scopes: scopes)
        }
    }

    /// The current time in seconds since the Unix epoch (UTC).
    ///
    /// - Returns: Epoch seconds.
    @Sendable
    package static func epochSeconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    // MARK: - Validation

    private struct DecodedToken {
        var header: JSONObject
        var payload: [UInt8]
        var signature: [UInt8]
        var signingInput: ArraySlice<UInt8>
    }

    private func validate(_ token: Substring) async -> Result<JSONObject, Rejection> {
        guard let decoded = Self.decode(token) else { return .failure(.malformed) }
        guard case .string(let algorithm)? = decoded.header["alg"],
            JWTKeySet.supportedAlgorithms.contains(algorithm)
        else { return .failure(.signingMethod) }
        guard case .string(let kid)? = decoded.header["kid"] else { return .failure(.missingKid) }

        guard var keys = await self.keySet(forceRefresh: false) else { return .failure(.jwksUnavailable) }
        if !keys.contains(kid: kid) {
            guard let refreshed = await self.keySet(forceRefresh: true) else { return .failure(.jwksUnavailable) }
            keys = refreshed
            guard keys.contains(kid: kid) else { return .failure(.unknownKid) }
        }
        guard let verifier = keys.verifier(kid: kid, algorithm: algorithm) else { return .failure(.signingMethod) }
        let verified = (try? verifier.verify(decoded.signature, signs: decoded.signingInput)) ?? false
        guard verified else { return .failure(.invalidSignature) }

        guard case .object(let claims)? = try? JSONValue.parse(decoded.payload) else {
            return .failure(.malformed)
        }
        if let rejection = self.check(claims) {
            return .failure(rejection)
        }
        return .success(claims)
    }

    /// The claim checks, in API Gateway's order.
    private func check(_ claims: JSONObject) -> Rejection? {
        guard claims["iss"]?.stringValue == self.issuer else { return .invalidIssuer }
        if !self.audiences.isEmpty {
            let named: [String]
            switch claims["aud"] {
            case .string(let audience)?: named = [audience]
            case .array(let audiences)?: named = audiences.compactMap(\.stringValue)
            case .some: named = []
            case nil: named = claims["client_id"]?.stringValue.map { [$0] } ?? []
            }
            guard named.contains(where: self.audiences.contains) else { return .invalidAudience }
        }
        let now = Double(self.nowSeconds())
        guard let expiration = claims["exp"]?.doubleValue else { return .invalidExpiration }
        guard expiration > now else { return .expired }
        if let notBefore = claims["nbf"] {
            guard let value = notBefore.doubleValue, value <= now else { return .notYetValid }
        }
        if let issuedAt = claims["iat"] {
            guard let value = issuedAt.doubleValue, value <= now else { return .issuedInFuture }
        }
        return nil
    }

    /// The issuer's keys, read again only when the provider returns a different document.
    private func keySet(forceRefresh: Bool) async -> JWTKeySet? {
        guard let jwks = try? await self.provider.jwks(forceRefresh: forceRefresh) else { return nil }
        if let cached = self.cachedKeys.withLock({ $0 }), cached.jwks == jwks {
            return cached.keys
        }
        guard let keys = await JWTKeySet.parse(jwks) else { return nil }
        self.cachedKeys.withLock { $0 = CachedKeys(jwks: jwks, keys: keys) }
        return keys
    }

    // MARK: - Parsing

    /// The token in an identity-source value: trimmed, without a `Bearer ` prefix. `nil` for a missing or blank
    /// identity; `Bearer ` alone gives an empty token (refused as malformed).
    private static func token(from identity: String?) -> Substring? {
        guard let identity else { return nil }
        var value = Substring(identity)
        value = Self.trimmed(value)
        guard !value.isEmpty else { return nil }
        if value.utf8.count >= 7, value.prefix(7).lowercased() == "bearer " {
            value = Self.trimmed(value.dropFirst(7))
        } else if value.lowercased() == "bearer" {
            value = ""
        }
        return value
    }

    private static func trimmed(_ value: Substring) -> Substring {
        var value = value
        while let first = value.first, first == " " || first == "\t" { value.removeFirst() }
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }
        return value
    }

    private static func decode(_ token: Substring) -> DecodedToken? {
        let bytes = Array(token.utf8)
        let dot = UInt8(ascii: ".")
        guard let first = bytes.firstIndex(of: dot),
            let second = bytes[(first + 1)...].firstIndex(of: dot),
            !bytes[(second + 1)...].contains(dot),
            let headerBytes = Self.base64URLDecode(bytes[..<first]),
            let payload = Self.base64URLDecode(bytes[(first + 1)..<second]),
            let signature = Self.base64URLDecode(bytes[(second + 1)...]),
            case .object(let header)? = try? JSONValue.parse(headerBytes, maxDepth: 32)
        else { return nil }
        return DecodedToken(header: header, payload: payload, signature: signature, signingInput: bytes[..<second])
    }

    /// Decodes unpadded base64url (RFC 7515); `nil` for any other byte or an impossible length.
    private static func base64URLDecode(_ encoded: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in encoded {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            accumulator = ((accumulator << 6) | UInt32(value)) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bits >= 6 ? nil : output
    }

    /// The token's scopes: `scope` split on spaces, else `scp` (an array of strings or a space-separated
    /// string); `nil` when neither yields a scope.
    private static func scopes(in claims: JSONObject) -> [String]? {
        for name in ["scope", "scp"] {
            let scopes: [String]
            switch claims[name] {
            case .string(let list)?: scopes = list.split(separator: " ").map(String.init)
            case .array(let items)?: scopes = items.compactMap(\.stringValue).filter { !$0.isEmpty }
            default: scopes = []
            }
            if !scopes.isEmpty {
                return scopes
            }
        }
        return nil
    }

    /// `Bearer scope="<required scopes>" error="insufficient_scope" error_description="…"` (RFC 6750 §3), with
    /// any character a scope token may not hold (RFC 6749 §3.3) removed from the configured scopes.
    ///
    /// - Parameter requiredScopes: The route's authorization scopes.
    /// - Returns: The `www-authenticate` value of the 403.
    package static func insufficientScopeChallenge(_ requiredScopes: [String]) -> String {
        let scope = requiredScopes.map { scope in
            String(String.UnicodeScalarView(scope.unicodeScalars.filter(Self.isScopeCharacter)))
        }.filter { !$0.isEmpty }.joined(separator: " ")
        let description = Self.insufficientScopeDescription
        return "Bearer scope=\"\(scope)\" error=\"insufficient_scope\" error_description=\"\(description)\""
    }

    private static func isScopeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value == 0x21 || (0x23...0x5B).contains(value) || (0x5D...0x7E).contains(value)
    }
}
