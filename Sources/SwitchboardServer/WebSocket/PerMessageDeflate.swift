import CompressNIO
import NIOCore
import SwitchboardCore

/// zlib streams shared by every connection of one event loop. With no context takeover each message is an
/// isolated stream, so one compressor per window size and one decompressor per loop serve all connections:
/// an idle connection costs nothing for compression.
final class SharedDeflateStreams {
    private var compressors: [Int: ZlibCompressor] = [:]
    private var decompressor: ZlibDecompressor?
    private let level: Int32

    init(level: Int) {
        self.level = Int32(level)
    }

    func compressor(windowBits: Int) throws -> ZlibCompressor {
        if let existing = self.compressors[windowBits] { return existing }
        let made = try ZlibCompressor(
            algorithm: .deflate,
            configuration: .init(windowSize: Int32(windowBits), compressionLevel: self.level)
        )
        self.compressors[windowBits] = made
        return made
    }

    func sharedDecompressor() throws -> ZlibDecompressor {
        if let existing = self.decompressor { return existing }
        let made = try ZlibDecompressor(algorithm: .deflate, windowSize: 15)
        self.decompressor = made
        return made
    }
}

/// Errors from permessage-deflate.
enum DeflateError: Error {
    /// The inflated message exceeds the message limit (close 1009).
    case messageTooLarge
    /// The compressed data is corrupt (close 1007? RFC 7692 says fail the connection: 1002).
    case corrupt
}

/// permessage-deflate for one connection (RFC 7692), on top of compress-nio and the system zlib.
/// Used only on the connection's event loop.
final class PerMessageDeflate {
    let parameters: DeflateParameters
    private let shared: SharedDeflateStreams
    private let ownCompressor: ZlibCompressor?
    private let ownDecompressor: ZlibDecompressor?
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    init(parameters: DeflateParameters, shared: SharedDeflateStreams, level: Int) throws {
        self.parameters = parameters
        self.shared = shared
        if parameters.serverNoContextTakeover {
            self.ownCompressor = nil
        } else {
            self.ownCompressor = try ZlibCompressor(
                algorithm: .deflate,
                configuration: .init(
                    windowSize: Int32(max(parameters.serverMaxWindowBits, 9)),
                    compressionLevel: Int32(level),
                    memoryLevel: 4
                )
            )
        }
        if parameters.clientNoContextTakeover {
            self.ownDecompressor = nil
        } else {
            self.ownDecompressor = try ZlibDecompressor(
                algorithm: .deflate,
                windowSize: Int32(max(parameters.clientMaxWindowBits, 9))
            )
        }
    }

    /// Compresses one message (the payload of its frames, to be sent with RSV1 on the first frame).
    func compress(_ message: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        guard message.readableBytes > 0 else {
            var empty = allocator.buffer(capacity: 1)
            empty.writeInteger(UInt8(0))
            return empty
        }
        let compressor =
            try self.ownCompressor ?? self.shared.compressor(windowBits: max(self.parameters.serverMaxWindowBits, 9))
        var input = message
        var output = allocator.buffer(capacity: compressor.maxSize(from: input))
        try compressor.deflate(from: &input, to: &output, flush: .sync)
        if self.ownCompressor == nil { try compressor.reset() }
        if output.readableBytes >= 4, output.getBytes(at: output.writerIndex - 4, length: 4) == Self.tail {
            output.moveWriterIndex(to: output.writerIndex - 4)
        }
        return output
    }

    /// Inflates one message, never producing more than `maxBytes` bytes.
    func decompress(_ compressed: ByteBuffer, maxBytes: Int, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let decompressor = try self.ownDecompressor ?? self.shared.sharedDecompressor()
        if self.ownDecompressor == nil { try decompressor.reset() }
        var input = compressed
        input.writeBytes(Self.tail)
        var output = allocator.buffer(capacity: min(maxBytes + 1, max(input.readableBytes * 4, 1024)))
        while true {
            if output.writableBytes == 0 {
                guard output.readableBytes <= maxBytes else { throw DeflateError.messageTooLarge }
                let grow = min(max(output.capacity, 1024), maxBytes + 1 - output.readableBytes)
                guard grow > 0 else { throw DeflateError.messageTooLarge }
                output.reserveCapacity(minimumWritableBytes: grow)
            }
            let before = (input.readableBytes, output.readableBytes)
            do {
                try decompressor.inflate(from: &input, to: &output)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                if output.readableBytes > maxBytes { throw DeflateError.messageTooLarge }
                continue
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                break
            } catch {
                throw DeflateError.corrupt
            }
            if output.readableBytes > maxBytes { throw DeflateError.messageTooLarge }
            if input.readableBytes == 0 || (input.readableBytes, output.readableBytes) == before { break }
        }
        if output.readableBytes > maxBytes { throw DeflateError.messageTooLarge }
        return output
    }
}
