/// Signs outgoing requests with AWS Signature Version 4, building the canonical request exactly as
/// ``SigV4Verifier`` (and botocore) do, so anything signed here verifies there and at AWS.
package struct SigV4Signer: Sendable {
    private let accessKeyId: String
    private let secret: [UInt8]
    private let sessionToken: String?
    private let region: String
    private let service: String

    /// Creates a signer.
    /// - Parameters:
    ///   - accessKeyId: the access key id.
    ///   - secretAccessKey: the secret key.
    ///   - sessionToken: an optional session token (sent as `X-Amz-Security-Token`).
    ///   - region: the signing region.
    ///   - service: the signing name (`lambda`, `execute-api`, ...).
    package init(
        accessKeyId: String,
        secretAccessKey: String,
        sessionToken: String? = nil,
        region: String,
        service: String
    ) {
        self.accessKeyId = accessKeyId
        self.secret = Array(secretAccessKey.utf8)
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
    }

    /// The headers that sign a request: `X-Amz-Date`, `X-Amz-Security-Token` (when set) and `Authorization`.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: the full URL (`scheme://host[:port]/path?query`), path and query percent-encoded as sent.
    ///   - headers: the headers that will be sent; all are signed, plus `host`.
    ///   - body: the body.
    ///   - nowEpochMillis: the signing time.
    /// - Returns: the headers to add.
    package func signatureHeaders(
        method: String,
        url: String,
        headers: [(name: String, value: String)],
        body: [UInt8],
        nowEpochMillis: Int64
    ) -> [(name: String, value: String)] {
        let (host, path, query) = Self.split(url)
        let amzDate = Timestamp.amzDate(epochMillis: nowEpochMillis)
        let date = String(amzDate.prefix(8))
        var signedHeaders: [(name: String, value: String)] = [("host", host)]
        signedHeaders += headers.map { ($0.name.lowercased(), $0.value) }
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if let token = self.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        signedHeaders += added.map { ($0.name.lowercased(), $0.value) }
        let names = Array(Set(signedHeaders.map(\.name))).sorted()
        let request = SigV4Request(
            method: method,
            rawPath: path,
            rawQuery: query,
            headers: signedHeaders,
            payloadSHA256Hex: SigV4Verifier.sha256Hex(body)
        )
        let canonical = SigV4Verifier.canonicalRequest(
            request,
            query: QueryPair.parse(query),
            signedHeaders: names,
            payloadHash: request.payloadSHA256Hex,
            excludeSignatureParameter: false
        )
        let scope = "\(date)/\(self.region)/\(self.service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SigV4Verifier.sha256Hex(Array(canonical.utf8)))"
        let key = SigV4Verifier.signingKey(secret: self.secret, date: date, region: self.region, service: self.service)
        let signature = SigV4Verifier.hex(SigV4Verifier.hmac(key: key, Array(stringToSign.utf8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(self.accessKeyId)/\(scope), SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// Splits a URL into host (with port when present), path and raw query.
    static func split(_ url: String) -> (host: String, path: String, query: String?) {
        var rest = url[...]
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let host = String(rest[..<hostEnd])
        rest = rest[hostEnd...]
        var path = rest
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            path = rest[..<mark]
            query = String(rest[rest.index(after: mark)...])
        }
        return (host, path.isEmpty ? "/" : String(path), query)
    }
}
