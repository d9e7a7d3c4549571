package import NIOCore
import SwitchboardCore

/// Messages between nodes on pub/sub channels: a forwarded `@connections` call, its reply, and a broadcast.
///
/// The wire form is binary, since every cross-node post is encoded and decoded twice: a format byte
/// (``format``), an operation byte, then the fields in a fixed order, strings as a 16-bit big-endian length and
/// UTF-8, bodies as a 32-bit length and the bytes. A message in another format (a node of another version) is
/// dropped by ``init(decoding:)``; its sender then answers 503 after the cross-node timeout.
package enum ClusterMessage: Sendable, Equatable {
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
    case reply(id: String, status: Int, headers: [Header], body: [UInt8])
    /// Send to every connection of an API stage on the receiving node.
    case broadcast(from: String, apiId: String, stage: String, body: [UInt8], isBinary: Bool)

    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The first byte of every message in this format.
    package static let format: UInt8 = 0xB1

    private enum Operation: UInt8 {
        case request = 1
        case reply = 2
        case broadcast = 3
    }

    /// The reply carrying an owner's response.
    package static func reply(id: String, response: HTTPResponseValue) -> ClusterMessage {
        .reply(
            id: id,
            status: response.status,
            headers: response.headers.map { Header(name: $0.name, value: $0.value) },
            body: Array(response.body.readableBytesView)
        )
    }

    /// The response a reply carries.
    package static func response(status: Int, headers: [Header], body: [UInt8]) -> HTTPResponseValue {
        HTTPResponseValue(
            status: status,
            headers: headers.map { (name: $0.name, value: $0.value) },
            body: ByteBuffer(bytes: body)
        )
    }

    package var encoded: [UInt8] {
        var writer = Writer()
        switch self {
        case .request(let id, let from, let method, let connectionId, let apiId, let stage, let body):
            writer.start(.request, capacity: body.count + 128)
            for field in [id, from, method, connectionId, apiId, stage] { writer.string(field) }
            writer.bytes(body)
        case .reply(let id, let status, let headers, let body):
            writer.start(.reply, capacity: body.count + 64 + headers.count * 48)
            writer.string(id)
            writer.integer(UInt16(clamping: status))
            writer.integer(UInt16(clamping: headers.count))
            for header in headers.prefix(Int(UInt16.max)) {
                writer.string(header.name)
                writer.string(header.value)
            }
            writer.bytes(body)
        case .broadcast(let from, let apiId, let stage, let body, let isBinary):
            writer.start(.broadcast, capacity: body.count + 64)
            for field in [from, apiId, stage] { writer.string(field) }
            writer.output.append(isBinary ? 1 : 0)
            writer.bytes(body)
        }
        return writer.output
    }

    /// Decodes a message; `nil` for anything malformed, truncated, with trailing bytes, or in another format.
    package init?(decoding payload: [UInt8]) {
        var reader = Reader(payload)
        guard reader.byte() == Self.format, let op = reader.byte().flatMap(Operation.init(rawValue:)) else {
            return nil
        }
        switch op {
        case .request:
            guard let id = reader.string(), let from = reader.string(), let method = reader.string(),
                let connectionId = reader.string(), let apiId = reader.string(), let stage = reader.string(),
                let body = reader.bytes()
            else { return nil }
            self = .request(
                id: id,
                from: from,
                method: method,
                connectionId: connectionId,
                apiId: apiId,
                stage: stage,
                body: body
            )
        case .reply:
            guard let id = reader.string(), let status = reader.uint16(), let count = reader.uint16() else {
                return nil
            }
            var headers: [Header] = []
            headers.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let name = reader.string(), let value = reader.string() else { return nil }
                headers.append(Header(name: name, value: value))
            }
            guard let body = reader.bytes() else { return nil }
            self = .reply(id: id, status: Int(status), headers: headers, body: body)
        case .broadcast:
            guard let from = reader.string(), let apiId = reader.string(), let stage = reader.string(),
                let flag = reader.byte(), flag <= 1, let body = reader.bytes()
            else { return nil }
            self = .broadcast(from: from, apiId: apiId, stage: stage, body: body, isBinary: flag == 1)
        }
        guard reader.isAtEnd else { return nil }
    }

    private struct Writer {
        var output: [UInt8] = []

        mutating func start(_ op: Operation, capacity: Int) {
            self.output.reserveCapacity(capacity)
            self.output.append(ClusterMessage.format)
            self.output.append(op.rawValue)
        }

        mutating func integer(_ value: UInt16) {
            self.output.append(UInt8(truncatingIfNeeded: value >> 8))
            self.output.append(UInt8(truncatingIfNeeded: value))
        }

        /// Strings longer than 65,535 bytes are cut there (ids and names are far shorter).
        mutating func string(_ value: String) {
            let utf8 = value.utf8.prefix(Int(UInt16.max))
            self.integer(UInt16(utf8.count))
            self.output.append(contentsOf: utf8)
        }

        mutating func bytes(_ value: [UInt8]) {
            let count = UInt32(clamping: value.count)
            for shift in stride(from: 24, through: 0, by: -8) {
                self.output.append(UInt8(truncatingIfNeeded: count >> UInt32(shift)))
            }
            self.output.append(contentsOf: value.prefix(Int(count)))
        }
    }

    private struct Reader {
        let input: [UInt8]
        var index = 0

        init(_ input: [UInt8]) {
            self.input = input
        }

        var isAtEnd: Bool { self.index == self.input.count }

        mutating func byte() -> UInt8? {
            guard self.index < self.input.count else { return nil }
            defer { self.index += 1 }
            return self.input[self.index]
        }

        mutating func uint16() -> UInt16? {
            guard self.input.count - self.index >= 2 else { return nil }
            defer { self.index += 2 }
            return UInt16(self.input[self.index]) << 8 | UInt16(self.input[self.index + 1])
        }

        mutating func string() -> String? {
            guard let count = self.uint16().map(Int.init), self.input.count - self.index >= count else { return nil }
            defer { self.index += count }
            return String(validating: self.input[self.index..<self.index + count], as: UTF8.self)
        }

        mutating func bytes() -> [UInt8]? {
            guard self.input.count - self.index >= 4 else { return nil }
            var count = 0
            for offset in 0..<4 { count = count << 8 | Int(self.input[self.index + offset]) }
            self.index += 4
            guard self.input.count - self.index >= count else { return nil }
            defer { self.index += count }
            return Array(self.input[self.index..<self.index + count])
        }
    }
}
