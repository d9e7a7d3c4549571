import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `redis-server` on a free localhost port, for live tests: started with
/// `--save "" --appendonly no` (nothing touches the disk), stopped and restarted on the same port to test
/// reconnects, killed when the fixture goes away.
///
/// The server is started with `posix_spawn` and an empty signal mask: Foundation's `Process` passes on the
/// test runner's blocked signals, and such a `redis-server` ignores SIGTERM.
///
/// When `redis-server` is not installed, ``start(password:)`` throws ``FixtureError/notInstalled`` ("redis-server
/// not found: run scripts/install-deps.sh"), so the test fails; it is never skipped.
package final class RedisServerFixture: Sendable {
    /// Why the fixture could not provide a server.
    package enum FixtureError: Error, CustomStringConvertible {
        /// No `redis-server` on `PATH` or in the usual places.
        case notInstalled
        /// The server did not answer `PING` in time; carries the end of its log.
        case notReady(log: String)

        /// The message a failing test shows.
        package var description: String {
            switch self {
            case .notInstalled:
                return "redis-server not found: run scripts/install-deps.sh"
            case .notReady(let log):
                return "redis-server did not answer PING within 10 s; its log ends with:\n\(log)"
            }
        }
    }

    /// The port the server listens on (127.0.0.1), kept across ``restart()``.
    package let port: Int
    /// The password given to `--requirepass`, if any.
    package let password: String?

    private let executable: String
    private let directory: URL
    /// The running server's process id.
    private let pid = Mutex<pid_t?>(nil)

    private init(executable: String, port: Int, password: String?, directory: URL) {
        self.executable = executable
        self.port = port
        self.password = password
        self.directory = directory
    }

    deinit {
        if let pid = self.pid.withLock({ $0 }) {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The URL to reach the server: `redis://127.0.0.1:<port>`, or `redis://:<password>@127.0.0.1:<port>`.
    package var url: String {
        if let password {
            return "redis://:\(password)@127.0.0.1:\(self.port)"
        }
        return "redis://127.0.0.1:\(self.port)"
    }

    /// Starts a server on a free port and waits until it answers `PING`.
    /// - Parameter password: when set, the server runs with `--requirepass`.
    /// - Returns: the running fixture; call ``stop()`` when done (the fixture also kills it when released).
    /// - Throws: ``FixtureError/notInstalled`` without `redis-server`, ``FixtureError/notReady(log:)`` when
    ///   it does not come up.
    package static func start(password: String? = nil) async throws -> RedisServerFixture {
        guard let executable = Self.findExecutable() else { throw FixtureError.notInstalled }
        var lastError: (any Error)? = nil
        // A free port can be taken between probing and binding: try a few.
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("switchboard-redis-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let fixture = RedisServerFixture(
                executable: executable,
                port: try Self.freePort(),
                password: password,
                directory: directory
            )
            do {
                try await fixture.launch()
                return fixture
            } catch {
                lastError = error
                await fixture.stop()
            }
        }
        throw lastError ?? FixtureError.notReady(log: "")
    }

    /// Runs `body` with a fresh server and stops the server afterwards, even when `body` throws.
    /// - Parameters:
    ///   - password: when set, the server runs with `--requirepass`.
    ///   - body: the test.
    /// - Returns: what `body` returns.
    /// - Throws: the fixture's errors, or what `body` throws.
    package static func withServer<Result>(
        password: String? = nil,
        _ body: (RedisServerFixture) async throws -> Result
    ) async throws -> Result {
        let fixture = try await Self.start(password: password)
        do {
            let result = try await body(fixture)
            await fixture.stop()
            return result
        } catch {
            await fixture.stop()
            throw error
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for the process to exit.
    package func stop() async {
        guard let pid = self.pid.withLock({ $0 }) else { return }
        kill(pid, SIGTERM)
        var waited = 0
        while !Self.reaped(pid) {
            if waited == 500 {
                kill(pid, SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        self.pid.withLock { $0 = nil }
    }

    /// Starts the server again on the same port (after ``stop()``) and waits until it answers `PING`.
    /// - Throws: ``FixtureError/notReady(log:)`` when it does not come up.
    package func restart() async throws {
        await self.stop()
        try await self.launch()
    }

    // MARK: - Process

    private func launch() async throws {
        let logFile = self.directory.appendingPathComponent("redis.log")
        var arguments = [
            "--port", "\(self.port)",
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--dir", self.directory.path,
            "--logfile", logFile.path,
        ]
        if let password = self.password {
            arguments += ["--requirepass", password]
        }
        let pid = try Self.spawn(self.executable, arguments)
        self.pid.withLock { $0 = pid }

        for _ in 0..<500 {
            if Self.reaped(pid) {
                self.pid.withLock { $0 = nil }
                break
            }
            if Self.answersPing(port: self.port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? "(no log)"
        throw FixtureError.notReady(log: String(log.suffix(2000)))
    }

    /// Starts `path` with `arguments`, stdin/stdout/stderr on /dev/null, no blocked signals.
    private static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer {
            for argument in argv {
                free(argument)
            }
        }
        var pid: pid_t = 0
        #if canImport(Darwin)
        let environment = _NSGetEnviron().pointee
        #else
        let environment = environ
        #endif
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environment)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        return pid
    }

    /// Whether `pid` has exited (and reaps it).
    private static func reaped(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result == -1 && errno == ECHILD)
    }

    private static func findExecutable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            path.split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin"]
        for directory in directories {
            let candidate = directory + "/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    // MARK: - Sockets

    /// A port that was free a moment ago (bound to port 0 and released).
    private static func freePort() throws -> Int {
        let fd = Self.makeSocket()
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something on `port` answers an inline `PING` with `+PONG` (or `-NOAUTH` when a password is set).
    private static func answersPing(port: Int) -> Bool {
        let fd = Self.makeSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        let ping = Array("PING\r\n".utf8)
        guard send(fd, ping, ping.count, 0) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &reply, reply.count, 0)
        guard count > 0 else { return false }
        let text = String(decoding: reply.prefix(count), as: UTF8.self)
        return text.hasPrefix("+PONG") || text.hasPrefix("-NOAUTH")
    }

    /// A TCP socket closed on exec, so servers spawned meanwhile do not inherit it.
    private static func makeSocket() -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        if fd >= 0 {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
