import AsyncHTTPClient
import Foundation
import JWTKit
import SwitchboardCore
import SwitchboardPipeline
import Synchronization
import Testing

struct JWTAuthorizerTests {
    // MARK: - Valid tokens

    @Test("an RS256 token signed by a JWKS key is allowed with all its claims")
    func validRS256() async throws {
        let keys = try await TestKeys.make()
        let claims = TestKeys.claims()
        let token = try keys.token(claims: claims)
        let outcome = await keys.authorizer().authorize(identity: "Bearer \(token)", requiredScopes: [])
        #expect(outcome == .allow(claims: claims, scopes: nil))
    }

    @Test("an ES256 token signed by a P-256 JWKS key is allowed")
    func validES256() async throws {
        let keys = try await TestKeys.make()
        let claims = TestKeys.claims(["email": "a@example.com", "groups": ["admins", "users"]])
        let token = try keys.token(alg: "ES256", kid: "ec-1", claims: claims)
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .allow(claims: claims, scopes: nil))
    }

    @Test(
        "the token may be bare or follow a Bearer prefix in any case",
        arguments: ["", "Bearer ", "bearer ", "BEARER ", "  Bearer   "]
    )
    func bearerPrefix(prefix: String) async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims())
        let outcome = await keys.authorizer().authorize(identity: prefix + token + " ", requiredScopes: [])
        #expect(outcome.isAllow)
    }

    // MARK: - Time claims

    @Test("exp must be after now", arguments: [TestKeys.now, TestKeys.now - 1, TestKeys.now - 86_400])
    func expired(exp: Int64) async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims(["exp": .integer(Int(exp))]))
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.expired.wwwAuthenticate))
        #expect(
            JWTAuthorizer.Rejection.expired.wwwAuthenticate
                == #"Bearer scope="" error="invalid_token" error_description="the token has expired""#
        )
    }

    @Test("a token without exp is refused")
    func missingExpiration() async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims(["exp": nil]))
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.invalidExpiration.wwwAuthenticate))
    }

    @Test("nbf after now is refused; nbf at or before now is accepted")
    func notBefore() async throws {
        let keys = try await TestKeys.make()
        let authorizer = keys.authorizer()
        let future = try keys.token(claims: TestKeys.claims(["nbf": .integer(Int(TestKeys.now + 1))]))
        #expect(
            await authorizer.authorize(identity: future, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.notYetValid.wwwAuthenticate)
        )
        let present = try keys.token(claims: TestKeys.claims(["nbf": .integer(Int(TestKeys.now))]))
        #expect(await authorizer.authorize(identity: present, requiredScopes: []).isAllow)
    }

    @Test("iat after now is refused")
    func issuedInFuture() async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims(["iat": .integer(Int(TestKeys.now + 60))]))
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.issuedInFuture.wwwAuthenticate))
    }

    @Test("the injected clock decides: the same token expires as time passes")
    func injectedClock() async throws {
        let keys = try await TestKeys.make()
        let clock = Mutex<Int64>(TestKeys.now)
        let authorizer = JWTAuthorizer(
            configuration: TestKeys.configuration,
            provider: keys.provider(),
            nowSeconds: { clock.withLock { $0 } }
        )
        let token = try keys.token(claims: TestKeys.claims())
        #expect(await authorizer.authorize(identity: token, requiredScopes: []).isAllow)
        clock.withLock { $0 = TestKeys.now + 3600 }
        #expect(
            await authorizer.authorize(identity: token, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.expired.wwwAuthenticate)
        )
    }

    // MARK: - Issuer and audience

    @Test(
        "iss must equal the configured issuer exactly",
        arguments: ["https://other.example.com", "https://issuer.example.com/"]
    )
    func wrongIssuer(issuer: String) async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims(["iss": .string(issuer)]))
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.invalidIssuer.wwwAuthenticate))
    }

    @Test("a wrong audience gets API Gateway's published challenge")
    func wrongAudience() async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims(["aud": "someone-else"]))
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(
            outcome
                == .unauthorized(
                    wwwAuthenticate:
                        #"Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience""#
                )
        )
    }

    @Test("aud may be an array naming one configured audience")
    func audienceArray() async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(claims: TestKeys.claims(["aud": ["other", "api-client"]]))
        #expect(await keys.authorizer().authorize(identity: token, requiredScopes: []).isAllow)
        let none = try keys.token(claims: TestKeys.claims(["aud": ["other", 42]]))
        #expect(
            await keys.authorizer().authorize(identity: none, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.invalidAudience.wwwAuthenticate)
        )
    }

    @Test("client_id stands in for a missing aud, but aud wins when both are present")
    func clientID() async throws {
        let keys = try await TestKeys.make()
        let authorizer = keys.authorizer()
        let accessToken = try keys.token(claims: TestKeys.claims(["aud": nil, "client_id": "api-client"]))
        #expect(await authorizer.authorize(identity: accessToken, requiredScopes: []).isAllow)
        let both = try keys.token(claims: TestKeys.claims(["aud": "other", "client_id": "api-client"]))
        #expect(
            await authorizer.authorize(identity: both, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.invalidAudience.wwwAuthenticate)
        )
        let neither = try keys.token(claims: TestKeys.claims(["aud": nil]))
        #expect(
            await authorizer.authorize(identity: neither, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.invalidAudience.wwwAuthenticate)
        )
    }

    @Test("without configured audiences any aud is accepted")
    func noAudienceConfigured() async throws {
        let keys = try await TestKeys.make()
        let authorizer = JWTAuthorizer(
            configuration: JWTConfiguration(issuer: TestKeys.issuer),
            provider: keys.provider(),
            nowSeconds: { TestKeys.now }
        )
        let token = try keys.token(claims: TestKeys.claims(["aud": "anyone"]))
        #expect(await authorizer.authorize(identity: token, requiredScopes: []).isAllow)
    }

    // MARK: - Keys

    @Test("an unknown kid refreshes the JWKS once, then a rotated-in key verifies")
    func rotatedKey() async throws {
        let keys = try await TestKeys.make()
        let rotated = keys.jwks(rsaKid: "rsa-1", ecKid: "ec-rotated")
        let provider = FakeJWKSProvider(documents: [keys.jwks(), rotated])
        let authorizer = keys.authorizer(provider: provider)
        let token = try keys.token(alg: "ES256", kid: "ec-rotated", claims: TestKeys.claims())
        #expect(await authorizer.authorize(identity: token, requiredScopes: []).isAllow)
        #expect(provider.calls == [false, true])
        #expect(await authorizer.authorize(identity: token, requiredScopes: []).isAllow)
        #expect(provider.calls == [false, true, false])
    }

    @Test("a kid that stays unknown after one refresh is refused")
    func unknownKid() async throws {
        let keys = try await TestKeys.make()
        let provider = keys.provider()
        let token = try keys.token(kid: "nobody", claims: TestKeys.claims())
        let outcome = await keys.authorizer(provider: provider).authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.unknownKid.wwwAuthenticate))
        #expect(provider.calls == [false, true])
    }

    @Test("a token without kid is refused before the JWKS is fetched")
    func missingKid() async throws {
        let keys = try await TestKeys.make()
        let provider = keys.provider()
        let token = try keys.token(header: #"{"alg":"RS256","typ":"JWT"}"#, claims: TestKeys.claims())
        let outcome = await keys.authorizer(provider: provider).authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.missingKid.wwwAuthenticate))
        #expect(provider.calls.isEmpty)
    }

    @Test("HS256 (even keyed with the RSA public key) and alg none are refused without a fetch")
    func refusedAlgorithms() async throws {
        let keys = try await TestKeys.make()
        let provider = keys.provider()
        let authorizer = keys.authorizer(provider: provider)
        let hmac = JWTKeyCollection()
        await hmac.add(hmac: HMACKey(from: keys.rsa.publicKey.pemRepresentation), digestAlgorithm: .sha256, kid: "h")
        let hmacSigner = try await hmac.getKey(for: "h")
        let hs256 = try keys.token(
            header: #"{"alg":"HS256","kid":"rsa-1"}"#,
            claims: TestKeys.claims(),
            signer: hmacSigner
        )
        let input =
            TestKeys.base64URL(#"{"alg":"none","kid":"rsa-1"}"#) + "."
            + TestKeys.base64URL(TestKeys.claims().serialized)
        for token in [hs256, input + ".", input + ".c2ln"] {
            #expect(
                await authorizer.authorize(identity: token, requiredScopes: [])
                    == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.signingMethod.wwwAuthenticate)
            )
        }
        #expect(provider.calls.isEmpty)
    }

    @Test("alg must be one the token's key allows: RS256 cannot name the P-256 key")
    func algorithmKeyMismatch() async throws {
        let keys = try await TestKeys.make()
        let token = try keys.token(header: #"{"alg":"RS256","kid":"ec-1"}"#, claims: TestKeys.claims())
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.signingMethod.wwwAuthenticate))
    }

    @Test("a changed payload, a foreign key or a truncated signature fails verification")
    func invalidSignature() async throws {
        let keys = try await TestKeys.make()
        let authorizer = keys.authorizer()
        let token = try keys.token(claims: TestKeys.claims())
        let parts = token.split(separator: ".")
        let forged = TestKeys.base64URL(TestKeys.claims(["sub": "admin"]).serialized)
        let foreignSigner = try await TestKeys.signer(ES256PrivateKey())
        let foreign = try keys.token(kid: "rsa-1", claims: TestKeys.claims(), signer: foreignSigner)
        let esToken = try keys.token(alg: "ES256", kid: "ec-1", claims: TestKeys.claims())
        let candidates = [
            "\(parts[0]).\(forged).\(parts[2])",
            "\(parts[0]).\(parts[1]).\(parts[2].dropLast(4))",
            "\(parts[0]).\(parts[1]).",
            foreign,
            String(esToken.dropLast(3)),
        ]
        for candidate in candidates {
            let outcome = await authorizer.authorize(identity: candidate, requiredScopes: [])
            #expect(!outcome.isAllow)
        }
        #expect(
            await authorizer.authorize(identity: candidates[0], requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.invalidSignature.wwwAuthenticate)
        )
    }

    @Test(
        "garbage never crashes and is refused with a challenge",
        arguments: [
            "garbage", "a.b", "a.b.c.d", "..", "...", "Bearer", "Bearer ", "%%%.%%%.%%%", "eyJ.eyJ.sig",
            "e30.e30.", "W10.e30.c2ln", "bnVsbA.e30.c2ln", "eyJhbGciOiJSUzI1NiJ9", "\u{0}.\u{1}.\u{2}",
            "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJ.c2ln", "eyJhbGciOiJSUzI1NiIsImtpZCI6WzFdfQ.e30.c2ln",
            "Basic dXNlcjpwYXNz", "a" + String(repeating: ".", count: 2) + String(repeating: "A", count: 5),
        ]
    )
    func garbage(identity: String) async throws {
        let keys = try await TestKeys.make()
        let outcome = await keys.authorizer().authorize(identity: identity, requiredScopes: ["read"])
        guard case .unauthorized(let challenge) = outcome else {
            Issue.record("expected unauthorized, got \(outcome)")
            return
        }
        #expect(challenge?.hasPrefix(#"Bearer scope="" error="invalid_token" error_description=""#) == true)
    }

    @Test("a signed payload that is not a JSON object is refused as malformed")
    func payloadNotObject() async throws {
        let keys = try await TestKeys.make()
        let input = TestKeys.base64URL(#"{"alg":"RS256","kid":"rsa-1"}"#) + "." + TestKeys.base64URL("[1,2]")
        let signature = try keys.rs256.sign(Array(input.utf8))
        let token = input + "." + TestKeys.base64URL(signature)
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.malformed.wwwAuthenticate))
    }

    @Test("a missing or blank identity is 401 without a challenge", arguments: [nil, "", "   "] as [String?])
    func missingIdentity(identity: String?) async throws {
        let keys = try await TestKeys.make()
        let provider = keys.provider()
        let outcome = await keys.authorizer(provider: provider).authorize(identity: identity, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: nil))
        #expect(provider.calls.isEmpty)
    }

    @Test("a JWKS that cannot be fetched is 401 and is not remembered")
    func jwksUnavailable() async throws {
        let keys = try await TestKeys.make()
        let provider = FakeJWKSProvider(documents: [keys.jwks()], failures: 2)
        let authorizer = keys.authorizer(provider: provider)
        let token = try keys.token(claims: TestKeys.claims())
        #expect(
            await authorizer.authorize(identity: token, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.jwksUnavailable.wwwAuthenticate)
        )
        #expect(
            await authorizer.authorize(identity: token, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.jwksUnavailable.wwwAuthenticate)
        )
        #expect(await authorizer.authorize(identity: token, requiredScopes: []).isAllow)
    }

    @Test("a document that is not a JWKS is treated as unavailable")
    func jwksNotAKeySet() async throws {
        let keys = try await TestKeys.make()
        let provider = FakeJWKSProvider(documents: [#"{"nokeys":true}"#])
        let token = try keys.token(claims: TestKeys.claims())
        let outcome = await keys.authorizer(provider: provider).authorize(identity: token, requiredScopes: [])
        #expect(outcome == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.jwksUnavailable.wwwAuthenticate))
    }

    @Test("unusable JWKS entries are skipped; a key with alg is bound to it")
    func jwksEntries() async throws {
        let keys = try await TestKeys.make()
        let (n, e) = (keys.n, keys.e)
        let document = """
            {"keys":[
              {"kty":"oct","kid":"hmac","k":"c2VjcmV0"},
              {"kty":"RSA","kid":"bad","n":"!!","e":"AQAB"},
              {"kty":"RSA","kid":"enc","use":"enc","n":"\(n)","e":"\(e)"},
              {"kty":"RSA","kid":"rs384-only","alg":"RS384","n":"\(n)","e":"\(e)"},
              {"kty":"RSA","kid":"rsa-1","n":"\(n)","e":"\(e)"},
              "not an object"
            ]}
            """
        let authorizer = keys.authorizer(provider: FakeJWKSProvider(documents: [document]))
        #expect(
            await authorizer.authorize(identity: try keys.token(claims: TestKeys.claims()), requiredScopes: []).isAllow
        )
        let encToken = try keys.token(kid: "enc", claims: TestKeys.claims())
        #expect(
            await authorizer.authorize(identity: encToken, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.unknownKid.wwwAuthenticate)
        )
        let boundToken = try keys.token(kid: "rs384-only", claims: TestKeys.claims())
        #expect(
            await authorizer.authorize(identity: boundToken, requiredScopes: [])
                == .unauthorized(wwwAuthenticate: JWTAuthorizer.Rejection.signingMethod.wwwAuthenticate)
        )
    }

    // MARK: - Scopes

    @Test("scope is split on spaces and one required scope is enough")
    func scopeString() async throws {
        let keys = try await TestKeys.make()
        let claims = TestKeys.claims(["scope": "items/read items/write"])
        let token = try keys.token(claims: claims)
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: ["admin", "items/write"])
        #expect(outcome == .allow(claims: claims, scopes: ["items/read", "items/write"]))
    }

    @Test("scp may be an array")
    func scpArray() async throws {
        let keys = try await TestKeys.make()
        let claims = TestKeys.claims(["scp": ["read", "write"]])
        let token = try keys.token(claims: claims)
        let outcome = await keys.authorizer().authorize(identity: token, requiredScopes: ["write"])
        #expect(outcome == .allow(claims: claims, scopes: ["read", "write"]))
    }

    @Test("none of the required scopes is 403 insufficient_scope naming them")
    func insufficientScope() async throws {
        let keys = try await TestKeys.make()
        let authorizer = keys.authorizer()
        let expected = JWTAuthorizer.Outcome.forbidden(
            wwwAuthenticate:
                #"Bearer scope="admin items/delete" error="insufficient_scope" error_description="the token does not have a required scope""#
        )
        let withScopes = try keys.token(claims: TestKeys.claims(["scp": ["read"]]))
        #expect(
            await authorizer.authorize(identity: withScopes, requiredScopes: ["admin", "items/delete"]) == expected
        )
        let without = try keys.token(claims: TestKeys.claims())
        #expect(await authorizer.authorize(identity: without, requiredScopes: ["admin", "items/delete"]) == expected)
    }

    @Test("the scope attribute drops characters a scope may not hold")
    func scopeChallengeSanitized() {
        #expect(
            JWTAuthorizer.insufficientScopeChallenge(["a\"b", "c\\d", "e f\r\n", ""])
                == #"Bearer scope="ab cd ef" error="insufficient_scope" error_description="the token does not have a required scope""#
        )
    }
}

// MARK: - Fixtures

extension JWTAuthorizer.Outcome {
    fileprivate var isAllow: Bool {
        if case .allow = self { return true }
        return false
    }
}

/// Serves JWKS documents in turn: the first until a forced refresh, then the next. Records every call.
private final class FakeJWKSProvider: JWKSProvider {
    private struct State {
        var documents: [[UInt8]]
        var failures: Int
        var calls: [Bool] = []
    }

    private let state: Mutex<State>

    init(documents: [String], failures: Int = 0) {
        self.state = Mutex(State(documents: documents.map { Array($0.utf8) }, failures: failures))
    }

    /// The `forceRefresh` argument of each call.
    var calls: [Bool] { self.state.withLock { $0.calls } }

    struct Unavailable: Error {}

    func jwks(forceRefresh: Bool) async throws -> [UInt8] {
        try self.state.withLock { state throws(Unavailable) -> [UInt8] in
            state.calls.append(forceRefresh)
            if state.failures > 0 {
                state.failures -= 1
                throw Unavailable()
            }
            if forceRefresh, state.documents.count > 1 {
                state.documents.removeFirst()
            }
            return state.documents[0]
        }
    }
}

/// An RSA and a P-256 signing key, the JWKS publishing them, and token helpers.
private struct TestKeys {
    static let now: Int64 = 1_700_000_000
    static let issuer = "https://issuer.example.com"
    static let configuration = JWTConfiguration(issuer: issuer, audience: ["api-client", "second-client"])

    /// A fixed 2048-bit test key (generating one per run is slow).
    static let rsaPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCp4yyUiSO18B3Z
        hUu7Tgp5mks0GqTXQAJCfUjMIduAyfmZB0lStnk+r2Ey07LDG6tvzswuoDzaP5TY
        wGyIyTRyigGkpJPVoF8Oc+1pJBxS9vTADHLUwdz/D1jnoMaoppSiaHT5YKfPoJcm
        39QgL1LjujaJaEzTHQCRbqPUCzK8I4tTE/PCxK5oGgrHIPxS/uGedgQOl+KCKy4p
        P12TLWtccbGpyVpVs1muGu8F1R8kDXKBd/mYYve45C/QIbbryIE5QDRm01NpyDAv
        EvtMXv89uZXoi1Yi8OA8umsqNB3/8ZbbEbKY1ufc5ulzSaYsp4AkDQwIyIrofiaT
        eKhcJTtvAgMBAAECggEALMWVcJnJwv+CZlqGMFkrUovSqOsiqSWR0uMApeeAWSsh
        b+5nKPi08Eu5AnOfJ2Mp5Z/q2JjbIKtj91GS6OOZwlvTfgfve/u1QXJUzYI6QrUZ
        oGlHdAGZU9DAHd8Vq8mm3zxHI5eQ8huA6jpPxaGjJyfiiojlwjdg+HLfkxjWaJVJ
        dKDnW46RKZPTI70V1Ba19hsQJohGabsav2LHUoZ3qVVVZKe9aFg0bNsIefoDuPKY
        uUGmhHKDdz7hRct84Pzjz5z/bSE6KelbqR9ml5szc+mLJZQ45Xw36kF7d4g1ThLK
        aqKKVhLt4zGJqmz/7M2FxUrFHBYQ0zLa5unJ0GrKJQKBgQDZcn/daZB0ul3kgNz7
        mNzZmnL7h4wK6GfpHde92HBKLL+4AzKUzOjpb9xMZc2js+xTTIIx7PgZg2N/rWzW
        zcRz/bDNceNWtMbpdi995tS5rZPYXFIILK2JVgVtm9jhgXMmaXRiIDxqPC/2OxZe
        k/Cfi5GDVyvS9hRvE2Qteprm7QKBgQDIAgbRaVL8Pw0TMo5qjekdGlN/rHGLfTFi
        KagD94M1oQKiPM8cCO8CDBwJGPwzGWpTY+k07ebMAtIe0xBCMgs+TwCPmsHqah2w
        bSWSLVhdZTU013Z5ybD3GVGPesBmS7J3CIipAHlKL5QgrAwk5LzbYYlR6dZVWKsB
        teshX+tkSwKBgHgF2UoPUKr9i4HrFw7Qy2ZY+AqaQNRsf56O2FxzsVdf59rb+Pll
        OVJQahrJPn6Te2hnHJ4OHMuIWE1LHn5aSYt0hjiAGmnrkreegoxN8zEh/C86lhTp
        BEh/8LMViNrAJx0WrCTVgkNpQVf6OViu8+w8j28dmJTzO0gsPelUeVfpAoGAemiz
        H4tknLlCGVPB0fkUiRlJrUQvIf33MWrpR7Q+e54VbJHm9/OHxCsBJZhDEkslxe/K
        FPjdXlMDopXux3S1aOcVIs7Gi99yWD4U1ogmItMEY1jTS+pjAnhecH/iLTl6+lsg
        uL5vfTXtZKmnrRTJeUMSti11XjqsPpnGVGDOQk0CgYEAj7QejwtInm4RVQrGpU3B
        MTELBRdavtpkq/q6PUi37Db4pcqAUQI0XcJIxq738meIxN2CxXuOb4p8OS55flYz
        7AiW2huxDX2nWN608MZ7gIn+9J6Y0ClSG0FcWP+QPBpm5AmbJ3WcAEoLXy1LKMB7
        jXNzuwwzHQc2jpznydBbyCw=
        -----END PRIVATE KEY-----
        """

    let rsa: Insecure.RSA.PrivateKey
    let rs256: any JWTAlgorithm
    let es256: any JWTAlgorithm
    /// The RSA modulus and exponent, base64url.
    let n: String
    let e: String
    /// The P-256 public key's coordinates, base64url.
    let x: String
    let y: String

    static func make() async throws -> TestKeys {
        let rsa = try Insecure.RSA.PrivateKey(pem: Self.rsaPEM)
        let ec = ES256PrivateKey()
        let collection = JWTKeyCollection()
        await collection.add(rsa: rsa, digestAlgorithm: .sha256, kid: "rsa")
        await collection.add(ecdsa: ec, kid: "ec")
        let primitives = try rsa.publicKey.getKeyPrimitives()
        let parameters = try #require(ec.publicKey.parameters)
        return TestKeys(
            rsa: rsa,
            rs256: try await collection.getKey(for: "rsa"),
            es256: try await collection.getKey(for: "ec"),
            n: Self.base64URL(primitives.modulus),
            e: Self.base64URL(primitives.publicExponent),
            x: parameters.x,
            y: parameters.y
        )
    }

    static func signer(_ key: ES256PrivateKey) async throws -> any JWTAlgorithm {
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: key, kid: "k")
        return try await collection.getKey(for: "k")
    }

    /// The default claims, with `overrides` replacing (or, with `nil`, removing) members.
    static func claims(_ overrides: KeyValuePairs<String, JSONValue?> = [:]) -> JSONObject {
        var claims: JSONObject = [
            "sub": "user-1",
            "iss": .string(issuer),
            "aud": "api-client",
            "iat": .integer(Int(now - 10)),
            "exp": .integer(Int(now + 300)),
        ]
        for (key, value) in overrides {
            claims[key] = value
        }
        return claims
    }

    static func base64URL(_ text: String) -> String {
        base64URL(Array(text.utf8))
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func jwks(rsaKid: String = "rsa-1", ecKid: String = "ec-1") -> String {
        """
        {"keys":[{"kty":"RSA","kid":"\(rsaKid)","use":"sig","n":"\(self.n)","e":"\(self.e)"},\
        {"kty":"EC","kid":"\(ecKid)","crv":"P-256","x":"\(self.x)","y":"\(self.y)"}]}
        """
    }

    func provider() -> FakeJWKSProvider {
        FakeJWKSProvider(documents: [self.jwks()])
    }

    func authorizer(provider: (any JWKSProvider)? = nil) -> JWTAuthorizer {
        JWTAuthorizer(
            configuration: Self.configuration,
            provider: provider ?? self.provider(),
            nowSeconds: { Self.now }
        )
    }

    /// A compact JWS of `claims`, signed by the key matching `alg` unless another signer is given.
    func token(
        alg: String = "RS256",
        kid: String = "rsa-1",
        header: String? = nil,
        claims: JSONObject,
        signer: (any JWTAlgorithm)? = nil
    ) throws -> String {
        let header = header ?? #"{"alg":"\#(alg)","kid":"\#(kid)","typ":"JWT"}"#
        let input = Self.base64URL(header) + "." + Self.base64URL(JSONValue.object(claims).serialized)
        let algorithm = signer ?? (header.contains("ES256") ? self.es256 : self.rs256)
        return input + "." + Self.base64URL(try algorithm.sign(Array(input.utf8)))
    }
}

/// The verified-token cache of a compiled JWT authorizer: a remembered token still expires on time, and each
/// route's scopes are checked against it.
struct CompiledJWTAuthorizerTests {
    final class Clock: @unchecked Sendable {
        var millis: Int64 = TestKeys.now * 1000
    }

    @Test("a remembered token expires at its exp, and route scopes are checked on every use")
    func verifiedTokenCache() async throws {
        let keys = try await TestKeys.make()
        let clock = Clock()
        let traffic = TrafficControl(nowNanos: { UInt64(clock.millis) * 1_000_000 }, nowMillis: { clock.millis })
        let settings = SecuritySettings(config: GatewayConfig(), traffic: traffic, client: .shared, signer: nil)
        var definition = AuthorizerDefinition(authorizerType: "JWT", identitySource: ["$request.header.Authorization"])
        definition.jwtConfiguration = TestKeys.configuration
        let authorizer = CompiledAuthorizer(
            name: "jwt",
            definition: definition,
            defaultTtlSeconds: 300,
            settings: settings,
            client: .shared,
            jwksProvider: FakeJWKSProvider(documents: [keys.jwks()])
        )
        let token = try keys.token(claims: TestKeys.claims(["exp": .integer(Int(TestKeys.now) + 30), "scope": "read"]))
        let first = try await authorizer.authorizeJWT(identity: "Bearer " + token, requiredScopes: [])
        #expect(first.scopes == ["read"])
        let again = try await authorizer.authorizeJWT(identity: "Bearer " + token, requiredScopes: ["read"])
        #expect(again.claims?["sub"] != nil)
        await #expect(throws: GatewayError.self) {
            try await authorizer.authorizeJWT(identity: "Bearer " + token, requiredScopes: ["write"])
        }
        do {
            _ = try await authorizer.authorizeJWT(identity: "Bearer " + token, requiredScopes: ["write"])
        } catch {
            #expect(error.status == 403)
            #expect(error.wwwAuthenticate?.contains(#"error="insufficient_scope""#) == true)
        }
        clock.millis += 31_000
        do {
            _ = try await authorizer.authorizeJWT(identity: "Bearer " + token, requiredScopes: [])
            Issue.record("an expired token was accepted from the cache")
        } catch {
            #expect(error.status == 401)
            #expect(error.wwwAuthenticate?.contains("expired") == true)
        }
    }
}
