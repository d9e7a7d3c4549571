import NIOCore
import NIOEmbedded
import SwitchboardRedis
import Testing

struct RedisCommandHandlerTests {
    private func command(_ text: String, on loop: EmbeddedEventLoop) -> RedisCommandHandler.Command {
        RedisCommandHandler.Command(
            bytes: ByteBuffer(string: text),
            promise: loop.makePromise(),
            timeout: .seconds(5)
        )
    }

    @Test("commands flushed in one tick leave together after it, and replies still match them in order")
    func flushesOncePerTick() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(
            handler: RedisCommandHandler(logger: RedisTestSupport.logger, onPush: nil),
            loop: loop
        )
        let commands = ["*1\r\n$4\r\nPING\r\n", "*2\r\n$4\r\nECHO\r\n$1\r\na\r\n", "*1\r\n$4\r\nTIME\r\n"].map {
            self.command($0, on: loop)
        }
        for command in commands {
            channel.writeAndFlush(command, promise: nil)
        }
        // Nothing has left yet: the flush waits for the end of the tick.
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        loop.run()
        var written: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written.append(String(buffer: buffer)) }
        #expect(written == commands.map { String(buffer: $0.bytes) })

        var results: [RESPValue] = []
        for command in commands { command.promise.futureResult.whenSuccess { results.append($0) } }
        for reply in [RESPValue.simpleString("PONG"), .bulkString(Array("a".utf8)), .integer(7)] {
            try channel.writeInbound(reply)
        }
        #expect(results == [.simpleString("PONG"), .bulkString(Array("a".utf8)), .integer(7)])

        // A later command is flushed by its own tick.
        channel.writeAndFlush(self.command("*1\r\n$4\r\nPING\r\n", on: loop), promise: nil)
        loop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "*1\r\n$4\r\nPING\r\n")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test("a flush scheduled before the channel closes runs harmlessly after it, and the pending command fails")
    func flushAfterRemoval() throws {
        let loop = EmbeddedEventLoop()
        let handler = RedisCommandHandler(logger: RedisTestSupport.logger, onPush: nil)
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        let command = self.command("*1\r\n$4\r\nPING\r\n", on: loop)
        var failure: (any Error)?
        command.promise.futureResult.whenFailure { failure = $0 }
        channel.writeAndFlush(command, promise: nil)
        try channel.close().wait()
        loop.run()
        #expect(failure as? RedisError == .connectionClosed)
    }
}
