/// The signature parameters of one request, from its `Authorization` header or its presigned query.
struct ParsedSignature: Sendable {
    var accessKeyId: String
    var scopeDate: String
    var region: String
    var service: String
    var terminator: String
    var signedHeaders: [String]
    var signature: String
    /// The request time in ISO 8601 basic format (`20240120T115500Z`), as used in the string to sign.
    var amzDate: String
    var requestEpochMillis: Int64
    /// `X-Amz-Expires` of a presigned request.
    var expiresSeconds: Int64?
    var isPresigned: Bool
}

/// One `name=value` pair of a raw query string, still percent-encoded.
struct QueryPair: Sendable {
    var rawName: Substring
    var rawValue: Substring

    /// Splits a raw query on `&` and each pair on its first `=`; empty pairs are dropped.
    static func parse(_ rawQuery: String?) -> [QueryPair] {
        guard let rawQuery, !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return QueryPair(rawName: pair[..<equals], rawValue: pair[pair.index(after: equals)...])
            }
            return QueryPair(rawName: pair, rawValue: "")
        }
    }

    var name: String { SigV4Verifier.percentDecodedString(self.rawName) }
    var value: String { SigV4Verifier.percentDecodedString(self.rawValue) }
}

extension SigV4Verifier {
    static let algorithm = "AWS4-HMAC-SHA256"
    static let presignedParameters = [
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders",
    ]

    /// Finds the signature parameters in the header or the query, or explains what is missing.
    func parseSignature(_ request: SigV4Request, query: [QueryPair]) -> Result<ParsedSignature, SigV4Failure> {
        let authorization = request.firstHeader("authorization")
        let presigned = query.contains { $0.name == "X-Amz-Algorithm" || $0.name == "X-Amz-Signature" }
        switch (authorization, presigned) {
        case (nil, false):
            return .failure(.missingToken)
        case (.some, true):
            return .failure(
                SigV4Failure(
                    .incompleteSignature,
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                        + "string parameter or the Authorization header should be specified"
                )
            )
        case (.some(let header), false):
            return self.parseAuthorizationHeader(header, request: request)
        case (nil, true):
            return self.parsePresignedQuery(query)
        }
    }

    private func parseAuthorizationHeader(
        _ header: String,
        request: SigV4Request
    ) -> Result<ParsedSignature, SigV4Failure> {
        let trimmed = Self.trimAll(header)
        guard trimmed.hasPrefix(Self.algorithm + " ") else {
            if trimmed.isEmpty { return .failure(.missingToken) }
            return .failure(SigV4Failure(.incompleteSignature, "Unsupported Authorization Type"))
        }
        var components: [String: String] = [:]
        for part in trimmed.dropFirst(Self.algorithm.count + 1).split(separator: ",") {
            let item = part.drop { $0 == " " }
            guard let equals = item.firstIndex(of: "=") else {
                return .failure(
                    SigV4Failure(
                        .incompleteSignature,
                        "Invalid key=value pair (missing equal-sign) in Authorization header"
                    )
                )
            }
            let key = String(item[..<equals])
            if components[key] == nil {
                components[key] = String(item[item.index(after: equals)...].trimmingSpaces())
            }
        }
        var problems: [String] = []
        for name in ["Credential", "Signature", "SignedHeaders"] where (components[name] ?? "").isEmpty {
            problems.append("Authorization header requires '\(name)' parameter.")
        }
        if let amzDate = request.firstHeader("x-amz-date"), Timestamp.parseAmzDate(Self.trimAll(amzDate)) == nil {
            return .failure(Self.badDate(amzDate))
        }
        let date = Self.requestDate(request)
        if date == nil {
            problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard problems.isEmpty, let credential = components["Credential"], let signature = components["Signature"],
            let signedHeaders = components["SignedHeaders"], let date
        else {
            return .failure(SigV4Failure(.incompleteSignature, problems.joined(separator: " ")))
        }
        return Self.assemble(
            credential: credential,
            signedHeaders: signedHeaders,
            signature: signature,
            date: date,
            expires: nil
        )
    }

    private func parsePresignedQuery(_ query: [QueryPair]) -> Result<ParsedSignature, SigV4Failure> {
        var parameters: [String: String] = [:]
        for pair in query where pair.name.hasPrefix("X-Amz-") {
            let name = pair.name
            if parameters[name] == nil { parameters[name] = pair.value }
        }
        let missing = Self.presignedParameters.filter { (parameters[$0] ?? "").isEmpty }
        guard missing.isEmpty, let credential = parameters["X-Amz-Credential"],
            let signature = parameters["X-Amz-Signature"], let signedHeaders = parameters["X-Amz-SignedHeaders"],
            let dateText = parameters["X-Amz-Date"]
        else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            return .failure(
                SigV4Failure(
                    .incompleteSignature,
                    "AWS query-string parameters must include \(list). Re-examine the query-string parameters."
                )
            )
        }
        guard parameters["X-Amz-Algorithm"] == Self.algorithm else {
            return .failure(
                SigV4Failure(.incompleteSignature, "X-Amz-Algorithm only supports \"\(Self.algorithm)\"")
            )
        }
        var expires: Int64 = Self.maxPresignedExpiresSeconds
        if let expiresText = parameters["X-Amz-Expires"] {
            guard let value = Int64(expiresText), value >= 0 else {
                return .failure(SigV4Failure(.incompleteSignature, "X-Amz-Expires should be a number"))
            }
            guard value <= Self.maxPresignedExpiresSeconds else {
                return .failure(
                    SigV4Failure(
                        .incompleteSignature,
                        "X-Amz-Expires must be less than a week (in seconds) that is 604800"
                    )
                )
            }
            expires = value
        }
        guard let millis = Timestamp.parseAmzDate(dateText) else {
            return .failure(Self.badDate(dateText))
        }
        return Self.assemble(
            credential: credential,
            signedHeaders: signedHeaders,
            signature: signature,
            date: (dateText, millis),
            expires: expires
        )
    }

    private static func assemble(
        credential: String,
        signedHeaders: String,
        signature: String,
        date: (amzDate: String, epochMillis: Int64),
        expires: Int64?
    ) -> Result<ParsedSignature, SigV4Failure> {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, !parts[0].isEmpty else {
            return .failure(
                SigV4Failure(
                    .incompleteSignature,
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
                        + " got '\(credential)'"
                )
            )
        }
        let scope = parts.suffix(4).map(String.init)
        let headers = signedHeaders.split(separator: ";").map { String($0.trimmingSpaces()).lowercased() }
        guard headers.contains("host") else {
            return .failure(
                SigV4Failure(
                    .incompleteSignature,
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
                )
            )
        }
        return .success(
            ParsedSignature(
                accessKeyId: parts.dropLast(4).joined(separator: "/"),
                scopeDate: scope[0],
                region: scope[1],
                service: scope[2],
                terminator: scope[3],
                signedHeaders: headers,
                signature: signature,
                amzDate: date.amzDate,
                requestEpochMillis: date.epochMillis,
                expiresSeconds: expires,
                isPresigned: expires != nil
            )
        )
    }

    private static func badDate(_ text: String) -> SigV4Failure {
        SigV4Failure(
            .incompleteSignature,
            "Date must be in ISO-8601 'basic format'. Got '\(text)'. See http://en.wikipedia.org/wiki/ISO_8601"
        )
    }

    /// The request time from `X-Amz-Date`, else from an RFC 1123 `Date` header (converted to basic format).
    static func requestDate(_ request: SigV4Request) -> (amzDate: String, epochMillis: Int64)? {
        if let amzDate = request.firstHeader("x-amz-date") {
            let trimmed = Self.trimAll(amzDate)
            guard let millis = Timestamp.parseAmzDate(trimmed) else { return nil }
            return (trimmed, millis)
        }
        if let date = request.firstHeader("date"), let millis = Self.parseHTTPDate(date) {
            return (Timestamp.amzDate(epochMillis: millis), millis)
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return result
    }
}
