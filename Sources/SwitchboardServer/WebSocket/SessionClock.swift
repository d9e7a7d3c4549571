import NIOConcurrencyHelpers
import NIOCore

/// The timers of every WebSocket session on one event loop (idle timeout, hard lifetime, stuck client, close
/// wait): one repeating tick checks each session's deadlines, instead of scheduled tasks per session.
///
/// NIO cancels a scheduled task by a linear search of its loop's task queue, so with two long-lived tasks per
/// session every close cost O(sessions on the loop): 10,000 clients vanishing at once kept a loop busy for
/// minutes. Here a close is a dictionary removal, and a session costs no scheduled task at all.
/// Used only on its event loop.
final class SessionClock {
    /// How often deadlines are checked: the precision of every session timer.
    static let interval = TimeAmount.milliseconds(250)

    private let eventLoop: any EventLoop
    private var sessions: [ObjectIdentifier: WebSocketSessionHandler] = [:]
    private var task: RepeatedTask?

    private init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Starts checking a session's deadlines.
    func add(_ session: WebSocketSessionHandler) {
        self.sessions[ObjectIdentifier(session)] = session
        guard self.task == nil else { return }
        let loopBound = NIOLoopBound(self, eventLoop: self.eventLoop)
        self.task = self.eventLoop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { _ in
            loopBound.value.tick()
        }
    }

    /// Stops checking a session (it closed).
    func remove(_ session: WebSocketSessionHandler) {
        self.sessions[ObjectIdentifier(session)] = nil
        if self.sessions.isEmpty {
            self.task?.cancel()
            self.task = nil
        }
    }

    private func tick() {
        let now = NIODeadline.now()
        // Iterates a copy: a session may close, and leave the dictionary, as it is checked.
        for session in self.sessions.values {
            session.checkDeadlines(now)
        }
    }

    // MARK: - One clock per event loop

    // SAFETY: each clock is only touched on the event loop it is keyed by; the box guards the dictionary.
    private final class Entry: @unchecked Sendable {
        let clock: SessionClock
        init(_ clock: SessionClock) { self.clock = clock }
    }

    private static let clocks = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])

    /// The clock of an event loop, created on first use. The loop is retained, so its key stays unique.
    static func clock(for eventLoop: any EventLoop) -> SessionClock {
        let key = ObjectIdentifier(eventLoop)
        return self.clocks.withLockedValue { clocks in
            if let entry = clocks[key] { return entry.clock }
            let entry = Entry(SessionClock(eventLoop: eventLoop))
            clocks[key] = entry
            return entry.clock
        }
    }
}
