#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Live progress on a terminal: once a second, one line rewritten in place (`\r`) with what `sample` reports.
/// When standard output is not a terminal it prints nothing, so piped and redirected output stays clean.
struct ProgressLine: Sendable {
    /// What one sample counts, cumulatively since the start.
    struct Sample: Sendable {
        /// Connections open now.
        var open: Int
        /// The events whose rate the line shows (messages, requests, handshakes…), cumulative.
        var events: Int
        /// A second cumulative count with its own rate (deliveries, for `post` and `broadcast`), if any.
        var secondary: Int?
        /// Errors so far.
        var errors: Int
    }

    private let task: Task<Void, Never>?

    /// Starts sampling every second when standard output is a terminal; `events` names the first rate
    /// ("msgs/s"), `secondary` the second.
    init(events: String, secondary: String? = nil, sample: @escaping @Sendable () async -> Sample) {
        guard isatty(1) != 0 else {
            self.task = nil
            return
        }
        self.task = Task {
            let started = monotonicNanos()
            var previous = (time: started, events: 0, secondary: 0)
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                guard !Task.isCancelled else { break }
                let now = await sample()
                let time = monotonicNanos()
                let seconds = max(Double(time - previous.time) / 1e9, 1e-3)
                var line = "\r\u{1B}[2K[\(Int(Double(time - started) / 1e9)) s] \(now.open) open, "
                line += "\(Int(Double(now.events - previous.events) / seconds)) \(events)"
                if let secondary, let count = now.secondary {
                    line += ", \(Int(Double(count - previous.secondary) / seconds)) \(secondary)"
                }
                line += ", \(now.errors) errors"
                Self.emit(line)
                previous = (time, now.events, now.secondary ?? 0)
            }
        }
    }

    /// Stops the line and clears it.
    func finish() async {
        guard let task = self.task else { return }
        task.cancel()
        await task.value
        Self.emit("\r\u{1B}[2K")
    }

    private static func emit(_ text: String) {
        _ = text.withCString { write(1, $0, strlen($0)) }
    }
}
