import Crypto

/// A configured access key and its secret.
package struct SigV4Credentials: Sendable {
    /// The access key id, e.g. `AKIDEXAMPLE`.
    package var accessKeyId: String
    /// The secret access key.
    package var secretAccessKey: String

    /// Creates credentials.
    /// - Parameters:
    ///   - accessKeyId: The access key id.
    ///   - secretAccessKey: The secret access key.
    package init(accessKeyId: String, secretAccessKey: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }
}

/// The caller a valid signature identifies.
package struct SigV4Principal: Sendable, Equatable {
    /// The access key id that signed the request.
    package var accessKeyId: String
    /// The region from the credential scope.
    package var region: String
    /// The service from the credential scope.
    package var service: String

    /// Creates a principal.
    /// - Parameters:
    ///   - accessKeyId: The access key id.
    ///   - region: The signing region.
    ///   - service: The signing service.
    package init(accessKeyId: String, region: String, service: String) {
        self.accessKeyId = accessKeyId
        self.region = region
        self.service = service
    }
}

/// Verifies AWS Signature Version 4 (`AWS4-HMAC-SHA256`) on incoming requests, rebuilding the canonical
/// request exactly as botocore's `SigV4Auth` does for non-S3 services (double-encoded path, sorted query,
/// trimmed signed headers).
///
/// Both forms are accepted: the `Authorization` header, and presigned query parameters (`X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`).
/// Verification never traps on malformed input; every problem becomes a ``SigV4Failure``.
package struct SigV4Verifier: Sendable {
    /// The hex SHA-256 of an empty payload.
    package static let emptyPayloadSHA256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The longest lifetime AWS allows for a presigned request, in seconds (one week).
    package static let maxPresignedExpiresSeconds: Int64 = 604_800

    /// The signing name the credential scope must name, e.g. `execute-api`.
    package let service: String
    /// The region the credential scope must name, or `nil` to accept any region.
    package let region: String?
    /// The largest accepted difference between the request time and now, in seconds.
    package let maxClockSkewSeconds: Int64
    private let secrets: [String: [UInt8]]

    /// Creates a verifier.
    /// - Parameters:
    ///   - service: The signing name, e.g. `execute-api`.
    ///   - credentials: The accepted access keys. When an id repeats, the last entry wins.
    ///   - maxClockSkewSeconds: The accepted clock skew for header-signed requests (AWS uses 15 minutes).
    ///   - region: The required signing region, or `nil` to accept any region.
    package init(
        service: String,
        credentials: [SigV4Credentials],
        maxClockSkewSeconds: Int64 = 900,
        region: String? = nil
    ) {
        self.service = service
        self.region = region
        // Clamped to ten years so time arithmetic can never overflow.
        self.maxClockSkewSeconds = min(max(maxClockSkewSeconds, 0), 315_360_000)
        var secrets: [String: [UInt8]] = [:]
        for credential in credentials {
            secrets[credential.accessKeyId] = Array(credential.secretAccessKey.utf8)
        }
        self.secrets = secrets
    }

    /// Verifies a request's signature.
    /// - Parameters:
    ///   - request: The request as received.
    ///   - nowEpochMillis: The current time, in milliseconds since the Unix epoch.
    /// - Returns: The signing principal, or why verification failed.
    package func verify(_ request: SigV4Request, nowEpochMillis: Int64) -> Result<SigV4Principal, SigV4Failure> {
        let query = QueryPair.parse(request.rawQuery)
        let parsed: ParsedSignature
        switch self.parseSignature(request, query: query) {
        case .success(let value): parsed = value
        case .failure(let failure): return .failure(failure)
        }
        if let failure = self.checkScope(parsed) ?? self.checkTime(parsed, nowEpochMillis: nowEpochMillis) {
            return .failure(failure)
        }
        guard let secret = self.secrets[parsed.accessKeyId] else {
            return .failure(.unknownKey)
        }
        let payloadHashes: [String]
        switch self.payloadHashes(request, presigned: parsed.isPresigned) {
        case .success(let value): payloadHashes = value
        case .failure(let failure): return .failure(failure)
        }
        let signingKey = Self.signingKey(
            secret: secret,
            date: parsed.scopeDate,
            region: parsed.region,
            service: parsed.service
        )
        let provided = Array(parsed.signature.lowercased().utf8)
        for payloadHash in payloadHashes {
            let canonical = Self.canonicalRequest(
                request,
                query: query,
                signedHeaders: parsed.signedHeaders,
                payloadHash: payloadHash,
                excludeSignatureParameter: parsed.isPresigned
            )
            let stringToSign =
                "AWS4-HMAC-SHA256\n\(parsed.amzDate)\n\(parsed.scopeDate)/\(parsed.region)/"
                + "\(parsed.service)/aws4_request\n" + Self.sha256Hex(Array(canonical.utf8))
            let expected = Array(Self.hex(Self.hmac(key: signingKey, Array(stringToSign.utf8))).utf8)
            if Self.constantTimeEquals(expected, provided) {
                return .success(
                    SigV4Principal(accessKeyId: parsed.accessKeyId, region: parsed.region, service: parsed.service)
                )
            }
        }
        return .failure(.mismatch)
    }

    // MARK: - Checks

    private func checkScope(_ parsed: ParsedSignature) -> SigV4Failure? {
        if parsed.terminator != "aws4_request" {
            return SigV4Failure(
                .signatureMismatch,
                "Credential should be scoped with a valid terminator: 'aws4_request', not '\(parsed.terminator)'."
            )
        }
        if parsed.service != self.service {
            return SigV4Failure(
                .signatureMismatch,
                "Credential should be scoped to correct service: '\(self.service)'."
            )
        }
        if let region = self.region, parsed.region != region {
            return SigV4Failure(.signatureMismatch, "Credential should be scoped to a valid region.")
        }
        if !parsed.amzDate.hasPrefix(parsed.scopeDate) || parsed.scopeDate.utf8.count != 8 {
            return SigV4Failure(
                .signatureMismatch,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(parsed.scopeDate)' != '\(parsed.amzDate.prefix(8))', from '\(parsed.amzDate)'."
            )
        }
        return nil
    }

    private func checkTime(_ parsed: ParsedSignature, nowEpochMillis: Int64) -> SigV4Failure? {
        let skewMillis = self.maxClockSkewSeconds.multipliedReportingOverflow(by: 1000).partialValue
        let skewText =
            self.maxClockSkewSeconds % 60 == 0
            ? "\(self.maxClockSkewSeconds / 60) min." : "\(self.maxClockSkewSeconds) sec."
        let now = Timestamp.amzDate(epochMillis: nowEpochMillis)
        if let expires = parsed.expiresSeconds {
            if nowEpochMillis - parsed.requestEpochMillis > expires * 1000 {
                return SigV4Failure(
                    .expired,
                    "Signature expired: \(parsed.amzDate) is now earlier than "
                        + Timestamp.amzDate(epochMillis: nowEpochMillis - expires * 1000)
                        + " (\(now) - \(expires) sec.)"
                )
            }
        } else if parsed.requestEpochMillis < nowEpochMillis - skewMillis {
            return SigV4Failure(
                .expired,
                "Signature expired: \(parsed.amzDate) is now earlier than "
                    + "\(Timestamp.amzDate(epochMillis: nowEpochMillis - skewMillis)) (\(now) - \(skewText))"
            )
        }
        if parsed.requestEpochMillis > nowEpochMillis + skewMillis {
            return SigV4Failure(
                .expired,
                "Signature not yet current: \(parsed.amzDate) is still later than "
                    + "\(Timestamp.amzDate(epochMillis: nowEpochMillis + skewMillis)) (\(now) + \(skewText))"
            )
        }
        return nil
    }

    /// The payload hashes to try: `X-Amz-Content-SHA256` when sent, else the body's hash, and for presigned
    /// requests also `UNSIGNED-PAYLOAD` (S3-style signers use it).
    private func payloadHashes(_ request: SigV4Request, presigned: Bool) -> Result<[String], SigV4Failure> {
        let bodyHash = request.payloadSHA256Hex.lowercased()
        guard let declared = request.firstHeader("x-amz-content-sha256") else {
            return .success(presigned ? [bodyHash, "UNSIGNED-PAYLOAD"] : [bodyHash])
        }
        let trimmed = Self.trimAll(declared)
        if trimmed == "UNSIGNED-PAYLOAD" {
            return .success([trimmed])
        }
        guard trimmed.utf8.count == 64, trimmed.utf8.allSatisfy(Self.isHexDigit) else {
            return .failure(
                SigV4Failure(
                    .incompleteSignature,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value."
                )
            )
        }
        guard trimmed.lowercased() == bodyHash else {
            return .failure(
                SigV4Failure(
                    .signatureMismatch,
                    "The provided 'x-amz-content-sha256' header does not match what was computed."
                )
            )
        }
        return .success([trimmed])
    }

    // MARK: - Hashing

    /// The lowercase hex SHA-256 of some bytes.
    /// - Parameter bytes: The bytes to hash.
    /// - Returns: 64 lowercase hex digits.
    package static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { Self.sha256Hex($0) }
    }

    /// The lowercase hex SHA-256 of the bytes in a buffer.
    /// - Parameter buffer: The bytes to hash.
    /// - Returns: 64 lowercase hex digits.
    package static func sha256Hex(_ buffer: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: buffer)
        return Self.hex(Array(hasher.finalize()))
    }

    /// The SigV4 signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    static func signingKey(secret: [UInt8], date: String, region: String, service: String) -> [UInt8] {
        let dateKey = Self.hmac(key: Array("AWS4".utf8) + secret, Array(date.utf8))
        let regionKey = Self.hmac(key: dateKey, Array(region.utf8))
        let serviceKey = Self.hmac(key: regionKey, Array(service.utf8))
        return Self.hmac(key: serviceKey, Array("aws4_request".utf8))
    }

    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
