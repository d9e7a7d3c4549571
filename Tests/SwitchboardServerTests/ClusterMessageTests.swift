import NIOCore
import SwitchboardServer
import Testing

struct ClusterMessageTests {
    static let samples: [ClusterMessage] = [
        .request(
            id: "r-1",
            from: "node-b",
            method: "POST",
            connectionId: "Ab3dEf=",
            apiId: "chat",
            stage: "dev",
            body: Array("{\"text\":\"héllo\"}".utf8)
        ),
        .request(id: "r-2", from: "b", method: "GET", connectionId: "c", apiId: "a", stage: "s", body: []),
        .reply(
            id: "r-1",
            status: 410,
            headers: [.init(name: "x-amzn-ErrorType", value: "GoneException"), .init(name: "Content-Type", value: "")],
            body: Array("{\"message\":\"Gone\"}".utf8)
        ),
        .reply(id: "r-3", status: 204, headers: [], body: []),
        .broadcast(from: "node-a", apiId: "chat", stage: "dev", body: [0, 255, 10, 13], isBinary: true),
        .broadcast(from: "node-a", apiId: "chat", stage: "dev", body: Array("to all".utf8), isBinary: false),
    ]

    @Test("every message survives encoding and decoding unchanged", arguments: samples)
    func roundTrip(_ message: ClusterMessage) {
        let encoded = message.encoded
        #expect(encoded.first == ClusterMessage.format)
        #expect(ClusterMessage(decoding: encoded) == message)
    }

    @Test("a body of 128 KiB, the largest post, round-trips")
    func largeBody() {
        let body = (0..<131_072).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let message = ClusterMessage.request(
            id: "r",
            from: "b",
            method: "POST",
            connectionId: "c",
            apiId: "a",
            stage: "s",
            body: body
        )
        #expect(ClusterMessage(decoding: message.encoded) == message)
    }

    @Test("every truncation, trailing byte, other format or unknown operation is rejected", arguments: samples)
    func malformed(_ message: ClusterMessage) {
        let encoded = message.encoded
        for length in 0..<encoded.count {
            #expect(ClusterMessage(decoding: Array(encoded.prefix(length))) == nil, "prefix \(length)")
        }
        #expect(ClusterMessage(decoding: encoded + [0]) == nil)
        var otherFormat = encoded
        otherFormat[0] = UInt8(ascii: "{")
        #expect(ClusterMessage(decoding: otherFormat) == nil)
        var unknownOperation = encoded
        unknownOperation[1] = 9
        #expect(ClusterMessage(decoding: unknownOperation) == nil)
    }

    @Test("the JSON messages of earlier versions and invalid UTF-8 in a string are rejected")
    func foreignInput() {
        #expect(ClusterMessage(decoding: Array(#"{"op":"reply","rid":"1","status":200,"data":""}"#.utf8)) == nil)
        // A request whose id is the two bytes C3 28 (not UTF-8).
        let bad: [UInt8] = [ClusterMessage.format, 1, 0, 2, 0xC3, 0x28]
        #expect(ClusterMessage(decoding: bad + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == nil)
    }

    @Test("a reply carries the owner's response: status, headers in order, body")
    func replyFromResponse() throws {
        let response = HTTPResponseValue(
            status: 429,
            headers: [("x-amzn-ErrorType", "LimitExceededException"), ("Retry-After", "1")],
            body: ByteBuffer(string: "{}")
        )
        let decoded = try #require(ClusterMessage(decoding: ClusterMessage.reply(id: "7", response: response).encoded))
        guard case .reply(let id, let status, let headers, let body) = decoded else {
            Issue.record("not a reply: \(decoded)")
            return
        }
        let back = ClusterMessage.response(status: status, headers: headers, body: body)
        #expect(id == "7")
        #expect(back.status == 429)
        #expect(back.headers.map(\.name) == ["x-amzn-ErrorType", "Retry-After"])
        #expect(back.headers.map(\.value) == ["LimitExceededException", "1"])
        #expect(String(buffer: back.body) == "{}")
    }
}

struct OwnerCacheTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let owner = OwnerCache.Owner(nodeId: "node-a", apiId: "chat", stage: "dev")

    @Test("an owner is remembered until its lifetime ends or it is forgotten")
    func lifetime() {
        var cache = OwnerCache(capacity: 8, lifetime: .seconds(10))
        cache.remember(self.owner, for: "c1", now: self.start)
        #expect(cache.owner(of: "c1", now: self.start + .seconds(9)) == self.owner)
        #expect(cache.owner(of: "c2", now: self.start) == nil)
        #expect(cache.owner(of: "c1", now: self.start + .seconds(10)) == nil)
        #expect(cache.count == 0)
        cache.remember(self.owner, for: "c1", now: self.start)
        cache.forget("c1")
        #expect(cache.owner(of: "c1", now: self.start) == nil)
    }

    @Test("a full cache drops expired entries first, and everything when none expired; never grows past capacity")
    func bounded() {
        var cache = OwnerCache(capacity: 4, lifetime: .seconds(10))
        for id in ["old1", "old2"] { cache.remember(self.owner, for: id, now: self.start) }
        for id in ["new1", "new2"] { cache.remember(self.owner, for: id, now: self.start + .seconds(5)) }
        cache.remember(self.owner, for: "new3", now: self.start + .seconds(11))
        #expect(cache.count == 3)
        #expect(cache.owner(of: "new1", now: self.start + .seconds(11)) == self.owner)
        #expect(cache.owner(of: "old1", now: self.start + .seconds(11)) == nil)
        for index in 0..<100 { cache.remember(self.owner, for: "x\(index)", now: self.start + .seconds(12)) }
        #expect(cache.count <= 4)
        #expect(cache.owner(of: "x99", now: self.start + .seconds(12)) == self.owner)
    }
}
