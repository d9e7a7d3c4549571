import NIOCore
import NIOEmbedded
import SwitchboardRedis
import Testing

struct RESPDecoderTests {
    private func decodeAll(_ chunks: [[UInt8]]) throws -> [RESPValue] {
        let decoder = RESPDecoder()
        var replies: [RESPValue] = []
        for chunk in chunks {
            var buffer = ByteBuffer(bytes: chunk)
            replies += try decoder.decode(&buffer)
            #expect(buffer.readableBytes == 0)
        }
        return replies
    }

    private func decode(_ text: String) throws -> [RESPValue] {
        try self.decodeAll([Array(text.utf8)])
    }

    static let replyTypes: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":42\r\n", .integer(42)),
        (":-9223372036854775808\r\n", .integer(.min)),
        ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$4\r\na\r\nb\r\n", .bulkString([0x61, 0x0D, 0x0A, 0x62])),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("*0\r\n", .array([])),
        ("*3\r\n:1\r\n$-1\r\n+x\r\n", .array([.integer(1), .null, .simpleString("x")])),
        (
            "*2\r\n*2\r\n$1\r\na\r\n:2\r\n-WRONGTYPE no\r\n",
            .array([.array([.bulkString([0x61]), .integer(2)]), .error("WRONGTYPE no")])
        ),
    ]

    @Test("every RESP2 reply type decodes", arguments: Self.replyTypes)
    func replyType(_ input: String, _ expected: RESPValue) throws {
        #expect(try self.decode(input) == [expected])
    }

    @Test("NUL bytes inside bulk strings are kept")
    func nulInBulk() throws {
        let input: [UInt8] = Array("$3\r\n".utf8) + [0, 1, 0] + Array("\r\n".utf8)
        #expect(try self.decodeAll([input]) == [.bulkString([0, 1, 0])])
    }

    static let stream = "+OK\r\n*3\r\n$3\r\nfoo\r\n:-12\r\n*1\r\n$-1\r\n$7\r\nb\r\nar\r\n\r\n-ERR x\r\n:7\r\n"
    static let streamReplies: [RESPValue] = [
        .simpleString("OK"),
        .array([.bulkString(Array("foo".utf8)), .integer(-12), .array([.null])]),
        .bulkString(Array("b\r\nar\r\n".utf8)),
        .error("ERR x"),
        .integer(7),
    ]

    @Test("pipelined replies in one buffer all decode, in order")
    func pipelined() throws {
        #expect(try self.decode(Self.stream) == Self.streamReplies)
    }

    @Test("replies split at any byte boundary decode the same")
    func splitAnywhere() throws {
        let bytes = Array(Self.stream.utf8)
        for cut in 0...bytes.count {
            let replies = try self.decodeAll([Array(bytes[..<cut]), Array(bytes[cut...])])
            #expect(replies == Self.streamReplies, "cut at \(cut)")
        }
        for first in stride(from: 1, to: bytes.count, by: 7) {
            for second in stride(from: first, to: bytes.count, by: 5) {
                let chunks = [Array(bytes[..<first]), Array(bytes[first..<second]), Array(bytes[second...])]
                #expect(try self.decodeAll(chunks) == Self.streamReplies, "cuts at \(first), \(second)")
            }
        }
    }

    @Test("replies fed one byte at a time decode the same")
    func byteByByte() throws {
        #expect(try self.decodeAll(Array(Self.stream.utf8).map { [$0] }) == Self.streamReplies)
    }

    @Test("an incomplete reply yields nothing until the rest arrives")
    func incomplete() throws {
        let decoder = RESPDecoder()
        var first = ByteBuffer(string: "$10\r\nhello")
        #expect(try decoder.decode(&first).isEmpty)
        var second = ByteBuffer(string: "world\r\n")
        #expect(try decoder.decode(&second) == [.bulkString(Array("helloworld".utf8))])
    }

    @Test("a huge announced length waits for data instead of crashing")
    func hugeAnnouncedLength() throws {
        #expect(try self.decode("$3000000000000000000\r\nabc").isEmpty)
    }

    static let garbageInputs: [String] = [
        "?what\r\n",
        "hello world\r\n",
        "$abc\r\n",
        ":12x\r\n",
        "*zz\r\n",
        "$-5\r\n",
        "*-2\r\n",
        ":99999999999999999999999\r\n",
        "*3000000000\r\n",
        String(repeating: "*1\r\n", count: 100) + ":1\r\n",
        "+OK\r\n\u{0}\u{1}\u{2}",
    ]

    @Test("garbage bytes throw a protocol error instead of crashing", arguments: Self.garbageInputs)
    func garbage(_ input: String) throws {
        let decoder = RESPDecoder()
        var buffer = ByteBuffer(string: input)
        let error = #expect(throws: RedisError.self) { _ = try decoder.decode(&buffer) }
        guard case .protocolError = error else {
            Issue.record("expected a protocol error, got \(String(describing: error))")
            return
        }
        var more = ByteBuffer(string: "+OK\r\n")
        #expect(throws: RedisError.self, "a failed decoder stays failed") { _ = try decoder.decode(&more) }
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let decoder = RESPDecoder()
            let count = Int.random(in: 1...64, using: &generator)
            var buffer = ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
            _ = try? decoder.decode(&buffer)
        }
    }

    @Test("in a channel, garbage fails the read with a protocol error")
    func garbageInChannel() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        #expect(throws: RedisError.self) { try channel.writeInbound(ByteBuffer(string: "!nope\r\n")) }
        _ = try? channel.finish()
    }

    @Test("in a channel, replies are fired one by one")
    func repliesInChannel() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        try channel.writeInbound(ByteBuffer(string: "+A\r\n:1"))
        try channel.writeInbound(ByteBuffer(string: "\r\n$-1\r\n"))
        #expect(try channel.readInbound(as: RESPValue.self) == .simpleString("A"))
        #expect(try channel.readInbound(as: RESPValue.self) == .integer(1))
        #expect(try channel.readInbound(as: RESPValue.self) == .null)
        #expect(try channel.readInbound(as: RESPValue.self) == nil)
        _ = try channel.finish()
    }
}
