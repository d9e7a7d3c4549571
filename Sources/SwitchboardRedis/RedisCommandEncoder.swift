internal import CHiredis
package import NIOCore

/// Encodes commands as RESP arrays of bulk strings with hiredis's `redisFormatCommandArgv` (binary-safe:
/// each argument's length is passed, so `\r\n` and NUL inside arguments are fine).
package enum RedisCommandEncoder {
    /// Appends the RESP encoding of one command to `buffer`.
    /// - Parameters:
    ///   - arguments: the command name and its arguments; at least one.
    ///   - buffer: receives `*<n>\r\n` followed by `$<len>\r\n<bytes>\r\n` for each argument.
    /// - Throws: ``RedisError/invalidCommand(_:)`` when `arguments` is empty or hiredis runs out of memory.
    package static func encode(_ arguments: [RedisArgument], into buffer: inout ByteBuffer) throws(RedisError) {
        guard !arguments.isEmpty else { throw .invalidCommand("a command needs at least one argument") }
        guard let argc = Int32(exactly: arguments.count) else { throw .invalidCommand("too many arguments") }

        // One contiguous copy of all arguments, so a single pointer stays valid for every argv entry.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.bytes.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(arguments.count)
        var lengths: [Int] = []
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.bytes.count)
            storage.append(contentsOf: argument.bytes)
        }
        storage.append(0)  // never empty, so `baseAddress` is never nil

        var command: UnsafeMutablePointer<CChar>? = nil
        let length: Int32 = storage.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return -1 }
                var argv: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
                return argv.withUnsafeMutableBufferPointer { argvBuffer in
                    lengths.withUnsafeBufferPointer { lengthBuffer in
                        redisFormatCommandArgv(&command, argc, argvBuffer.baseAddress, lengthBuffer.baseAddress)
                    }
                }
            }
        }
        guard length >= 0, let command else {
            throw .invalidCommand("hiredis could not format the command (out of memory)")
        }
        defer { redisFreeCommand(command) }
        buffer.writeBytes(UnsafeRawBufferPointer(start: command, count: Int(length)))
    }
}
