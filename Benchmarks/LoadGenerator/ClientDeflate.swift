import CompressNIO
import NIOCore

/// permessage-deflate for the client side: every message is compressed on its own (no context takeover,
/// which a client may always choose), and only the first answer of a connection is inflated, to verify it.
enum ClientDeflate {
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// Deflates one message on its own, without the sync-flush tail (RFC 7692 §7.2.1).
    static func compress(_ message: ByteBuffer, windowBits: Int) throws -> ByteBuffer {
        let compressor = try ZlibCompressor(
            algorithm: .deflate,
            configuration: .init(windowSize: Int32(min(max(windowBits, 9), 15)), compressionLevel: 6)
        )
        var input = message
        var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input) + 16)
        try compressor.deflate(from: &input, to: &output, flush: .sync)
        if output.readableBytes >= 4, output.getBytes(at: output.writerIndex - 4, length: 4) == self.tail {
            output.moveWriterIndex(to: output.writerIndex - 4)
        }
        return output
    }

    /// Inflates one message; `capacity` bounds the output (the default fits any echo answer).
    static func decompress(_ compressed: ByteBuffer, capacity: Int = 1 << 20) throws -> ByteBuffer {
        let decompressor = try ZlibDecompressor(algorithm: .deflate, windowSize: 15)
        var input = compressed
        input.writeBytes(self.tail)
        var output = ByteBufferAllocator().buffer(capacity: capacity)
        do {
            try decompressor.inflate(from: &input, to: &output)
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            // The sync-flush tail has no end-of-stream marker: all input consumed is success here.
        }
        return output
    }
}
