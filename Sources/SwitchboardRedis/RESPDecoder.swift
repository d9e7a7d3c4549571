internal import CHiredis
package import NIOCore

/// Decodes RESP2 replies with a hiredis `redisReader`: bytes are fed as they arrive (replies may be split at
/// any byte or several may share one read), each complete `redisReply` tree is converted to a ``RESPValue``
/// and freed at once.
///
/// Invalid bytes make hiredis's reader fail; the decoder then throws ``RedisError/protocolError(_:)`` (now
/// and for every later call), and in a channel the command handler closes the connection.
package final class RESPDecoder: ByteToMessageDecoder {
    /// Decoded replies.
    package typealias InboundOut = RESPValue

    /// Arrays nested deeper than this are refused, so converting a reply never recurses without bound.
    private static let maximumDepth = 64

    private let reader: UnsafeMutablePointer<redisReader>?
    private var failure: RedisError?

    /// Creates a decoder with its own hiredis reader.
    package init() {
        self.reader = redisReaderCreate()
        self.failure = self.reader == nil ? .protocolError("hiredis could not allocate a reader") : nil
    }

    deinit {
        if let reader = self.reader {
            redisReaderFree(reader)
        }
    }

    /// Consumes all readable bytes of `buffer` and returns every reply they complete, in order.
    /// - Parameter buffer: bytes from the server; its reader index moves to its writer index.
    /// - Returns: the complete replies (empty when more bytes are needed).
    /// - Throws: ``RedisError/protocolError(_:)`` when the bytes are not valid RESP.
    package func decode(_ buffer: inout ByteBuffer) throws(RedisError) -> [RESPValue] {
        var replies: [RESPValue] = []
        try self.feed(&buffer)
        while let reply = try self.nextReply() {
            replies.append(reply)
        }
        return replies
    }

    /// Part of `ByteToMessageDecoder`: decodes what `buffer` holds and fires each reply down the pipeline.
    /// - Parameters:
    ///   - context: the handler context.
    ///   - buffer: the accumulated bytes; all are consumed.
    /// - Returns: `.needMoreData`, since every byte is handed to hiredis.
    /// - Throws: ``RedisError/protocolError(_:)`` on invalid bytes.
    package func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try self.feed(&buffer)
        while let reply = try self.nextReply() {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .needMoreData
    }

    /// Part of `ByteToMessageDecoder`: delivers the replies completed by the last bytes; an incomplete
    /// trailing reply is dropped (the connection is closing).
    /// - Parameters:
    ///   - context: the handler context.
    ///   - buffer: the remaining bytes.
    ///   - seenEOF: whether the peer closed its side.
    /// - Returns: `.needMoreData`.
    /// - Throws: ``RedisError/protocolError(_:)`` on invalid bytes.
    package func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }

    // MARK: - hiredis

    private func feed(_ buffer: inout ByteBuffer) throws(RedisError) {
        if let failure { throw failure }
        guard let reader, buffer.readableBytes > 0 else { return }
        let status = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        guard status == REDIS_OK else { throw self.fail(reader) }
    }

    private func nextReply() throws(RedisError) -> RESPValue? {
        if let failure { throw failure }
        guard let reader else { return nil }
        var object: UnsafeMutableRawPointer? = nil
        guard redisReaderGetReply(reader, &object) == REDIS_OK else { throw self.fail(reader) }
        guard let object else { return nil }
        defer { freeReplyObject(object) }
        do {
            return try Self.value(of: object.assumingMemoryBound(to: redisReply.self), depth: 0)
        } catch {
            self.failure = error
            throw error
        }
    }

    private func fail(_ reader: UnsafeMutablePointer<redisReader>) -> RedisError {
        let message = withUnsafeBytes(of: reader.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let error = RedisError.protocolError(message.isEmpty ? "invalid reply" : message)
        self.failure = error
        return error
    }

    private static func value(of reply: UnsafePointer<redisReply>, depth: Int) throws(RedisError) -> RESPValue {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .bulkString(Self.bytes(reply.str, reply.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: Self.bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: Self.bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            guard depth < Self.maximumDepth else { throw .protocolError("arrays nested too deeply") }
            var elements: [RESPValue] = []
            let count = Int(reply.elements)
            guard count > 0, let children = reply.element else { return .array(elements) }
            elements.reserveCapacity(count)
            for index in 0..<count {
                guard let child = children[index] else { throw .protocolError("array element missing") }
                elements.append(try Self.value(of: child, depth: depth + 1))
            }
            return .array(elements)
        default:
            // RESP3 types (hiredis 1.x parses them); this client speaks RESP2 and never sends HELLO 3.
            throw .protocolError("unsupported reply type \(reply.type)")
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
