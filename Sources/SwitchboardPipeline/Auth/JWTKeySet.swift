import JWTKit
import SwitchboardCore

/// The signature verifiers of one JWKS document, by key ID and algorithm.
///
/// Only keys a JWT authorizer can use are kept: RSA keys (`kty` `RSA`, at least 2048 bits) for `RS256`,
/// `RS384` and `RS512`, and P-256 keys (`kty` `EC`, `crv` `P-256`) for `ES256`. A key with an `alg` member is
/// bound to that algorithm only; a key whose `use` is not `sig`, that has no `kid`, or that cannot be read is
/// skipped rather than failing the whole set, as an issuer may publish keys of other kinds next to its signing
/// keys.
///
/// Each verifier is fixed to one algorithm when the set is built, so the token's `alg` header picks among the
/// algorithms its key allows but can never turn an RSA public key into an HMAC secret (`HS256`) or switch it off
/// (`none`).
struct JWTKeySet: Sendable {
    /// The algorithms a token may be signed with.
    static let supportedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "ES256"]

    private static let rsaAlgorithms: [(name: String, digest: DigestAlgorithm)] = [
        ("RS256", .sha256), ("RS384", .sha384), ("RS512", .sha512),
    ]

    /// Verifiers by `kid`, then by algorithm name.
    private let verifiers: [String: [String: any JWTAlgorithm]]

    private init(verifiers: [String: [String: any JWTAlgorithm]]) {
        self.verifiers = verifiers
    }

    /// The number of usable keys.
    var count: Int { self.verifiers.count }

    /// Whether the set has a usable key with this ID.
    ///
    /// - Parameter kid: The token's `kid` header.
    /// - Returns: `true` when a key with that ID was read.
    func contains(kid: String) -> Bool {
        self.verifiers[kid] != nil
    }

    /// The verifier for a key and algorithm.
    ///
    /// - Parameters:
    ///   - kid: The token's `kid` header.
    ///   - algorithm: The token's `alg` header.
    /// - Returns: The verifier, or `nil` when the key does not exist or does not allow the algorithm.
    func verifier(kid: String, algorithm: String) -> (any JWTAlgorithm)? {
        self.verifiers[kid]?[algorithm]
    }

    /// Reads a JWKS document (`{"keys": [...]}`).
    ///
    /// - Parameter bytes: The JWKS JSON.
    /// - Returns: The usable keys, or `nil` when the bytes are not a JSON object with a `keys` array.
    static func parse(_ bytes: [UInt8]) async -> JWTKeySet? {
        guard let document = try? JSONValue.parse(bytes), let keys = document["keys"]?.arrayValue else {
            return nil
        }
        // The collection only turns public keys into fixed-algorithm verifiers; lookups never go through it,
        // so its fallback to a default key for an unknown `kid` cannot apply.
        let collection = JWTKeyCollection()
        var verifiers: [String: [String: any JWTAlgorithm]] = [:]
        for case .object(let jwk) in keys {
            guard case .string(let kid)? = jwk["kid"], !kid.isEmpty, verifiers[kid] == nil else { continue }
            if let use = jwk["use"], use.stringValue != "sig" { continue }
            let algorithm = jwk["alg"]?.stringValue
            if jwk["alg"] != nil, algorithm == nil { continue }
            let keyVerifiers = await Self.verifiers(for: jwk, kid: kid, algorithm: algorithm, in: collection)
            if !keyVerifiers.isEmpty {
                verifiers[kid] = keyVerifiers
            }
        }
        return JWTKeySet(verifiers: verifiers)
    }

    private static func verifiers(
        for jwk: JSONObject,
        kid: String,
        algorithm: String?,
        in collection: JWTKeyCollection
    ) async -> [String: any JWTAlgorithm] {
        var result: [String: any JWTAlgorithm] = [:]
        switch jwk["kty"]?.stringValue {
        case "RSA":
            guard case .string(let modulus)? = jwk["n"], case .string(let exponent)? = jwk["e"],
                let key = try? Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
            else { return [:] }
            for (name, digest) in Self.rsaAlgorithms where algorithm == nil || algorithm == name {
                let identifier = JWKIdentifier(string: "\(name) \(kid)")
                await collection.add(rsa: key, digestAlgorithm: digest, kid: identifier)
                result[name] = try? await collection.getKey(for: identifier)
            }
        case "EC":
            guard jwk["crv"]?.stringValue == "P-256", algorithm == nil || algorithm == "ES256",
                case .string(let x)? = jwk["x"], case .string(let y)? = jwk["y"],
                let key = try? ES256PublicKey(parameters: (x: x, y: y))
            else { return [:] }
            let identifier = JWKIdentifier(string: "ES256 \(kid)")
            await collection.add(ecdsa: key, kid: identifier)
            result["ES256"] = try? await collection.getKey(for: identifier)
        default:
            return [:]
        }
        return result
    }
}
