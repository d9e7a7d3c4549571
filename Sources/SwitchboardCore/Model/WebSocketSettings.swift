/// `webSocket:` on a WebSocket API — limits and compression. Defaults copy AWS.
///
/// Keys: `maxFrameBytes` (default 32768; a larger frame closes with 1009), `maxMessageBytes` (default
/// 131072; a larger message closes with 1009), `allowBinary` (default false; a binary frame closes with
/// 1003), `idleTimeoutSeconds` (default 600), `maxConnectionSeconds` (default 7200; both close with 1001),
/// `outboundQueueBytes` (default 4194304: bytes queued for a slow client before posts answer 429),
/// `stuckClientTimeoutSeconds` (default 30: a client whose full queue has not drained at all for this long is
/// closed with 1008), `compression` (``CompressionSettings``), `newConnectionRate` and `messageRate`
/// (`{rateLimit, burstLimit}`: upgrades over the first answer 429, messages over the second get a
/// `Too Many Requests` error frame).
package struct WebSocketSettings: Sendable, Equatable {
    /// Largest frame accepted.
    package var maxFrameBytes: Int
    /// Largest message accepted (after decompression).
    package var maxMessageBytes: Int
    /// Accept binary frames from clients.
    package var allowBinary: Bool
    /// Idle timeout.
    package var idleTimeoutSeconds: Int
    /// Hard connection lifetime.
    package var maxConnectionSeconds: Int
    /// Bound on queued outbound bytes per connection.
    package var outboundQueueBytes: Int
    /// How long a full outbound queue may make no progress before the connection closes.
    package var stuckClientTimeoutSeconds: Int
    /// permessage-deflate settings.
    package var compression: CompressionSettings
    /// New connections accepted per second on this API (per node); `nil` = no limit (AWS: 500 per account).
    package var newConnectionRate: ThrottleSettings?
    /// Messages accepted per second from one connection; `nil` = no limit.
    package var messageRate: ThrottleSettings?

    /// Creates settings.
    package init(
        maxFrameBytes: Int = 32_768,
        maxMessageBytes: Int = 131_072,
        allowBinary: Bool = false,
        idleTimeoutSeconds: Int = 600,
        maxConnectionSeconds: Int = 7_200,
        outboundQueueBytes: Int = 4_194_304,
        stuckClientTimeoutSeconds: Int = 30,
        compression: CompressionSettings = .init()
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.maxMessageBytes = maxMessageBytes
        self.allowBinary = allowBinary
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnectionSeconds = maxConnectionSeconds
        self.outboundQueueBytes = outboundQueueBytes
        self.stuckClientTimeoutSeconds = stuckClientTimeoutSeconds
        self.compression = compression
    }
}

/// `compression:` — permessage-deflate (RFC 7692).
///
/// Keys: `mode` (`off | noContextTakeover | contextTakeover`, default `noContextTakeover`: zlib streams
/// are shared per event loop and reset per message, so compression costs ~0 bytes per idle connection),
/// `windowBits` (9–15, default 15; with `contextTakeover` the server's window, per connection),
/// `level` (1–9, default 1: fastest), `minBytes` (default 64: smaller messages are sent uncompressed).
package struct CompressionSettings: Sendable, Equatable {
    /// Compression mode.
    package enum Mode: String, Sendable, Equatable {
        /// Never negotiate.
        case off
        /// Negotiate with no context takeover in either direction.
        case noContextTakeover
        /// Negotiate, keeping context when the client allows it.
        case contextTakeover
    }
    /// The mode.
    package var mode: Mode
    /// Window bits for the server's compressor.
    package var windowBits: Int
    /// zlib compression level.
    package var level: Int
    /// Messages shorter than this are sent uncompressed.
    package var minBytes: Int

    /// Creates compression settings.
    package init(mode: Mode = .noContextTakeover, windowBits: Int = 15, level: Int = 1, minBytes: Int = 64) {
        self.mode = mode
        self.windowBits = windowBits
        self.level = level
        self.minBytes = minBytes
    }
}
