/// What the cluster registry stores for one connection: who owns it and what `GetConnection` and a
/// survivor's `$disconnect` need.
package struct ConnectionRecord: Sendable, Equatable {
    /// The connection id.
    package var connectionId: String
    /// The owning node.
    package var nodeId: String
    /// The API id.
    package var apiId: String
    /// The stage.
    package var stage: String
    /// The domain name the client used.
    package var domainName: String
    /// The client's address.
    package var sourceIp: String
    /// The client's `User-Agent`.
    package var userAgent: String
    /// When the connection was accepted (epoch ms).
    package var connectedAtMillis: Int64
    /// Last activity written by the owner (epoch ms).
    package var lastActiveAtMillis: Int64
    /// The authorizer's result, when one ran.
    package var authorizer: JSONObject?

    /// Creates a record.
    package init(
        connectionId: String,
        nodeId: String,
        apiId: String,
        stage: String,
        domainName: String,
        sourceIp: String,
        userAgent: String,
        connectedAtMillis: Int64,
        lastActiveAtMillis: Int64,
        authorizer: JSONObject? = nil
    ) {
        self.connectionId = connectionId
        self.nodeId = nodeId
        self.apiId = apiId
        self.stage = stage
        self.domainName = domainName
        self.sourceIp = sourceIp
        self.userAgent = userAgent
        self.connectedAtMillis = connectedAtMillis
        self.lastActiveAtMillis = lastActiveAtMillis
        self.authorizer = authorizer
    }

    /// The record as hash fields (`HSET`).
    package var fields: [String: String] {
        var fields = [
            "node": self.nodeId, "apiId": self.apiId, "stage": self.stage, "domainName": self.domainName,
            "sourceIp": self.sourceIp, "userAgent": self.userAgent, "connectedAt": String(self.connectedAtMillis),
            "lastActiveAt": String(self.lastActiveAtMillis),
        ]
        if let authorizer = self.authorizer { fields["authorizer"] = JSONValue.object(authorizer).serialized }
        return fields
    }

    /// Reads a record from hash fields; `nil` when required fields are missing (a partial or foreign key).
    /// - Parameters:
    ///   - connectionId: the id the hash is stored under.
    ///   - fields: the hash.
    package init?(connectionId: String, fields: [String: String]) {
        guard let node = fields["node"], let apiId = fields["apiId"], let stage = fields["stage"],
            let connectedAt = fields["connectedAt"].flatMap({ Int64($0) })
        else { return nil }
        var authorizer: JSONObject?
        if let text = fields["authorizer"], case .object(let object)? = try? JSONValue.parse(text) {
            authorizer = object
        }
        self.init(
            connectionId: connectionId,
            nodeId: node,
            apiId: apiId,
            stage: stage,
            domainName: fields["domainName"] ?? "",
            sourceIp: fields["sourceIp"] ?? "",
            userAgent: fields["userAgent"] ?? "",
            connectedAtMillis: connectedAt,
            lastActiveAtMillis: fields["lastActiveAt"].flatMap { Int64($0) } ?? connectedAt,
            authorizer: authorizer
        )
    }
}
