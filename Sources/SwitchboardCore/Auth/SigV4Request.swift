/// The parts of an incoming HTTP request that AWS Signature Version 4 covers, exactly as on the wire.
///
/// The verifier never sees the body itself: the caller hashes it once (``SigV4Verifier/sha256Hex(_:)-(
/// [UInt8])``) and passes the hex digest, so bodies can be hashed while they stream in.
package struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `POST`.
    package var method: String
    /// The request path as received, still percent-encoded, without the query string,
    /// e.g. `/dev/@connections/R1kmxc2VNjMCFIA%3D`.
    package var rawPath: String
    /// The query string as received (the text after `?`, still percent-encoded), or `nil` when there is none.
    package var rawQuery: String?
    /// The request headers in arrival order; repeated names appear once per occurrence.
    package var headers: [(name: String, value: String)]
    /// The lowercase hex SHA-256 of the raw request body (of zero bytes when there is no body).
    package var payloadSHA256Hex: String

    /// Creates a request description.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - rawPath: The percent-encoded path as on the wire.
    ///   - rawQuery: The raw query string without `?`, or `nil`.
    ///   - headers: The headers in arrival order.
    ///   - payloadSHA256Hex: The hex SHA-256 of the raw body; defaults to the hash of an empty body.
    package init(
        method: String,
        rawPath: String,
        rawQuery: String? = nil,
        headers: [(name: String, value: String)],
        payloadSHA256Hex: String = SigV4Verifier.emptyPayloadSHA256Hex
    ) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.payloadSHA256Hex = payloadSHA256Hex
    }

    /// Every value of the header `lowercasedName` (case-insensitive match), in arrival order.
    func headerValues(_ lowercasedName: String) -> [String] {
        self.headers.compactMap { $0.name.lowercased() == lowercasedName ? $0.value : nil }
    }

    /// The first value of the header `lowercasedName` (case-insensitive match), if any.
    func firstHeader(_ lowercasedName: String) -> String? {
        self.headers.first { $0.name.lowercased() == lowercasedName }?.value
    }
}
