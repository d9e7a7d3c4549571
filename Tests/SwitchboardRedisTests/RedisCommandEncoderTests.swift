import NIOCore
import SwitchboardRedis
import Testing

struct RedisCommandEncoderTests {
    private func encoded(_ arguments: [RedisArgument]) throws -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        try RedisCommandEncoder.encode(arguments, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("a command is an array of bulk strings, as the RESP spec shows")
    func specExample() throws {
        #expect(try self.encoded(["LLEN", "mylist"]) == Array("*2\r\n$4\r\nLLEN\r\n$6\r\nmylist\r\n".utf8))
    }

    @Test("arguments holding CR, LF and NUL are sent verbatim with their byte length")
    func binarySafe() throws {
        let value: [UInt8] = [0x76, 0x0D, 0x0A, 0x00, 0xFF, 0x24]
        let expected = Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\n".utf8) + value + Array("\r\n".utf8)
        #expect(try self.encoded(["SET", "k", .bytes(value)]) == expected)
    }

    @Test("every byte value survives encoding")
    func allByteValues() throws {
        let value = (0...255).map { UInt8($0) }
        let expected = Array("*1\r\n$256\r\n".utf8) + value + Array("\r\n".utf8)
        #expect(try self.encoded([.bytes(value)]) == expected)
    }

    @Test("an empty argument is a zero-length bulk string")
    func emptyArgument() throws {
        #expect(try self.encoded(["GET", ""]) == Array("*2\r\n$3\r\nGET\r\n$0\r\n\r\n".utf8))
    }

    @Test("integers and UTF-8 text are sent in decimal and as UTF-8 bytes")
    func integersAndText() throws {
        let bytes = try self.encoded(["EXPIRE", .string("clé"), .integer(-42), 7])
        #expect(bytes == Array("*4\r\n$6\r\nEXPIRE\r\n$4\r\nclé\r\n$3\r\n-42\r\n$1\r\n7\r\n".utf8))
    }

    @Test("encoding appends after what the buffer already holds")
    func appends() throws {
        var buffer = ByteBufferAllocator().buffer(capacity: 16)
        try RedisCommandEncoder.encode(["PING"], into: &buffer)
        try RedisCommandEncoder.encode(["PING"], into: &buffer)
        #expect(Array(buffer.readableBytesView) == Array("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n".utf8))
    }

    @Test("a command without arguments is refused")
    func emptyCommand() {
        var buffer = ByteBufferAllocator().buffer(capacity: 16)
        #expect(throws: RedisError.self) { try RedisCommandEncoder.encode([], into: &buffer) }
        #expect(buffer.readableBytes == 0)
    }
}
