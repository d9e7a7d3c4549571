import NIOConcurrencyHelpers
import NIOCore

/// One ``SharedDeflateStreams`` per event loop, created on first use and used only on that loop.
enum DeflateStreamsPerLoop {
    // SAFETY: each value is only touched on the event loop it is keyed by; the box guards the dictionary.
    private final class Entry: @unchecked Sendable {
        let streams: SharedDeflateStreams
        init(_ streams: SharedDeflateStreams) { self.streams = streams }
    }

    private struct Key: Hashable {
        var loop: ObjectIdentifier
        var level: Int
    }

    private static let entries = NIOLockedValueBox<[Key: Entry]>([:])

    static func streams(for eventLoop: any EventLoop, level: Int) -> SharedDeflateStreams {
        let key = Key(loop: ObjectIdentifier(eventLoop), level: level)
        return self.entries.withLockedValue { entries in
            if let entry = entries[key] { return entry.streams }
            let entry = Entry(SharedDeflateStreams(level: level))
            entries[key] = entry
            return entry.streams
        }
    }
}
