/// An AWS service integration URI, `arn:aws:apigateway:{region}:{[subdomain.]service}:{action|path}/{…}`,
/// compiled into how to call the service.
///
/// `action/{Action}[&Param=value…]` POSTs `Action={Action}` and the parameters as a form to the endpoint —
/// or, for JSON-protocol services (DynamoDB, Kinesis, Step Functions, …), with
/// `X-Amz-Target: {prefix}.{Action}` and a JSON body. `path/{path}` calls `{endpoint}/{path}` with the
/// client's method. The endpoint is `aws.endpoints[service]` when configured, else
/// `https://{subdomain.}{service}.{region}.amazonaws.com`.
package struct AWSServiceTarget: Sendable, Equatable {
    /// Action or path form.
    package enum Kind: Sendable, Equatable {
        /// `action/{Action}` with extra `&k=v` parameters.
        case action(String, parameters: [(name: String, value: String)])
        /// `path/{path}`.
        case path(String)

        package static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.action(let a, let p), .action(let b, let q)):
                a == b && p.map(\.name) == q.map(\.name) && p.map(\.value) == q.map(\.value)
            case (.path(let a), .path(let b)): a == b
            default: false
            }
        }
    }

    /// A request ready to sign and send.
    package struct Request: Sendable {
        /// The method.
        package var method: String
        /// The full URL.
        package var url: String
        /// Headers to send (and sign).
        package var headers: [(name: String, value: String)]
        /// The body.
        package var body: [UInt8]
    }

    /// JSON-protocol services: signing name → (`X-Amz-Target` prefix, JSON version).
    static let jsonProtocols: [String: (prefix: String, version: String)] = [
        "dynamodb": ("DynamoDB_20120810", "1.0"),
        "kinesis": ("Kinesis_20131202", "1.1"),
        "states": ("AWSStepFunctions", "1.0"),
        "events": ("AWSEvents", "1.1"),
        "logs": ("Logs_20140328", "1.1"),
        "firehose": ("Firehose_20150804", "1.1"),
        "secretsmanager": ("secretsmanager", "1.1"),
    ]

    /// The region in the ARN.
    package let region: String
    /// The service (`sqs`, `dynamodb`), also the SigV4 signing name.
    package let signingName: String
    /// The action or path.
    package let kind: Kind
    /// The service endpoint without a trailing slash.
    package let endpoint: String

    /// Parses an integration URI.
    /// - Parameters:
    ///   - uri: `arn:aws:apigateway:…`.
    ///   - endpoints: configured endpoints by service (`aws.endpoints`).
    /// - Returns: `nil` when the URI is not an API Gateway service ARN.
    package init?(uri: String, endpoints: [String: String]) {
        let parts = uri.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "apigateway" else { return nil }
        self.region = String(parts[3])
        let serviceField = parts[4]
        let service = serviceField.split(separator: ".").last.map(String.init) ?? ""
        guard !service.isEmpty else { return nil }
        self.signingName = service
        let rest = parts[5]
        if rest.hasPrefix("action/") {
            let spec = rest.dropFirst("action/".count).split(separator: "&")
            guard let action = spec.first, !action.isEmpty else { return nil }
            let parameters = spec.dropFirst().map { item -> (name: String, value: String) in
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
            }
            self.kind = .action(String(action), parameters: parameters)
        } else if rest.hasPrefix("path/") {
            self.kind = .path(String(rest.dropFirst("path/".count)))
        } else {
            return nil
        }
        let configured = endpoints[service] ?? endpoints[String(serviceField)]
        var endpoint = configured ?? "https://\(serviceField).\(self.region).amazonaws.com"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
    }

    /// Builds the service request.
    /// - Parameters:
    ///   - body: the rendered request body.
    ///   - query: extra query parameters from `requestParameters`.
    ///   - headers: extra headers from `requestParameters`.
    ///   - method: the client's method (used by the path form).
    /// - Returns: the request.
    package func request(
        body: [UInt8],
        query: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        method: String
    ) -> Request {
        switch self.kind {
        case .action(let action, let parameters):
            if let json = Self.jsonProtocols[self.signingName] {
                var all = headers.filter { $0.name.lowercased() != "content-type" }
                all.append(("Content-Type", "application/x-amz-json-\(json.version)"))
                all.append(("X-Amz-Target", "\(json.prefix).\(action)"))
                return Request(method: "POST", url: self.endpoint + "/", headers: all, body: body)
            }
            // Query-protocol services (SQS, SNS, …) read their parameters from a form body: `Action`, the URI's
            // parameters and mapped query parameters go there, followed by a rendered template when it is
            // itself form-encoded (`MessageBody=…` with a mapped form Content-Type).
            var form = PercentEncoding.queryString([(name: "Action", value: action)] + parameters + query)
            let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value.lowercased()
            if !body.isEmpty, contentType?.hasPrefix("application/x-www-form-urlencoded") == true {
                form += "&" + String(decoding: body, as: UTF8.self)
            }
            var all = headers.filter { $0.name.lowercased() != "content-type" }
            all.append(("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"))
            return Request(method: "POST", url: self.endpoint + "/", headers: all, body: Array(form.utf8))
        case .path(let path):
            let url = PercentEncoding.appending(
                query: PercentEncoding.queryString(query),
                to: self.endpoint + "/" + path
            )
            return Request(method: method, url: url, headers: headers, body: body)
        }
    }
}
