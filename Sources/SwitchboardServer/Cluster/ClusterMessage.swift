import NIOCore
import SwitchboardCore

/// Messages between nodes, as JSON on pub/sub channels: a forwarded `@connections` call, its reply, and
/// a broadcast.
enum ClusterMessage: Sendable {
    /// `@connections` POST / GET / DELETE for a connection the receiver owns.
    case request(
        id: String,
        from: String,
        method: String,
        connectionId: String,
        apiId: String,
        stage: String,
        body: [UInt8]
    )
    /// The owner's answer.
    case reply(id: String, response: HTTPResponseValue)
    /// Send to every connection of an API stage on the receiving node.
    case broadcast(from: String, apiId: String, stage: String, body: [UInt8], isBinary: Bool)

    var encoded: [UInt8] {
        let value: JSONValue
        switch self {
        case .request(let id, let from, let method, let connectionId, let apiId, let stage, let body):
            value = .object([
                "op": "request", "rid": .string(id), "from": .string(from), "method": .string(method),
                "cid": .string(connectionId), "api": .string(apiId), "stage": .string(stage),
                "data": .string(Base64.encode(body)),
            ])
        case .reply(let id, let response):
            var headers = JSONObject()
            for (name, value) in response.headers { headers[name] = .string(value) }
            value = .object([
                "op": "reply", "rid": .string(id), "status": .integer(response.status), "headers": .object(headers),
                "data": .string(Base64.encode(Array(response.body.readableBytesView))),
            ])
        case .broadcast(let from, let apiId, let stage, let body, let isBinary):
            value = .object([
                "op": "broadcast", "from": .string(from), "api": .string(apiId), "stage": .string(stage),
                "data": .string(Base64.encode(body)), "binary": .bool(isBinary),
            ])
        }
        return Array(value.serialized.utf8)
    }

    init?(decoding payload: [UInt8]) {
        guard case .object(let object)? = try? JSONValue.parse(payload), let op = object["op"]?.stringValue,
            let data = object["data"]?.stringValue.flatMap({ Base64.decode($0) })
        else { return nil }
        switch op {
        case "request":
            guard let id = object["rid"]?.stringValue, let from = object["from"]?.stringValue,
                let method = object["method"]?.stringValue, let connectionId = object["cid"]?.stringValue,
                let apiId = object["api"]?.stringValue, let stage = object["stage"]?.stringValue
            else { return nil }
            self = .request(
                id: id,
                from: from,
                method: method,
                connectionId: connectionId,
                apiId: apiId,
                stage: stage,
                body: data
            )
        case "reply":
            guard let id = object["rid"]?.stringValue, let status = object["status"]?.intValue else { return nil }
            var headers: [(name: String, value: String)] = []
            if case .object(let map)? = object["headers"] {
                for (name, value) in map { headers.append((name, value.selectionString)) }
            }
            self = .reply(
                id: id,
                response: HTTPResponseValue(status: status, headers: headers, body: ByteBuffer(bytes: data))
            )
        case "broadcast":
            guard let from = object["from"]?.stringValue, let apiId = object["api"]?.stringValue,
                let stage = object["stage"]?.stringValue
            else { return nil }
            self = .broadcast(
                from: from,
                apiId: apiId,
                stage: stage,
                body: data,
                isBinary: object["binary"]?.boolValue ?? false
            )
        default:
            return nil
        }
    }
}
