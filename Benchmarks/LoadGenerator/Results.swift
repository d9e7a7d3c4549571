import Histogram
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counters and histograms of one event loop's connections.
// SAFETY: every field is read and written only on the event loop this object belongs to (the commands reach
// it through `eventLoop.submit`), so there is no concurrent access.
final class LoopStats: @unchecked Sendable {
    /// Round-trip latency in nanoseconds, recorded only while `recording`.
    var roundTrips = LoopStats.makeHistogram()
    /// The same since the last `--interval` report (taken and reset by the command).
    var intervalTrips = LoopStats.makeHistogram()
    /// Handshake latency (connect start to 101) in nanoseconds.
    var handshakes = LoopStats.makeHistogram()
    /// Record round trips now (after warm-up, before the end of the measured window).
    var recording = false
    /// Stop sending new messages (the run is over).
    var stopping = false
    /// Connections that failed after the handshake, or whose handshake failed.
    var errors = 0
    /// First messages checked against what was sent.
    var verified = 0
    /// First messages that differed from what was sent.
    var mismatches = 0
    /// One differing answer, for the report.
    var mismatchExample: String?
    /// Open loop: this loop's open connections, which its ``OpenLoopPacer`` sends on in turn.
    var paced: [BenchConnection] = []
    /// Open loop: messages the pacer has sent.
    var pacedSent = 0
    /// Open loop: the position in `paced` of the next connection to send on.
    var pacedNext = 0
    /// Open loop: sends that were due but skipped (connection closed, or too many answers outstanding).
    var pacedSkipped = 0
    /// Messages received on this loop's connections, whatever their kind (for the progress line).
    var received = 0
    /// Receive mode: connection ids learned from `whoami` answers ("" when an answer held none).
    var connectionIds: [String] = []
    /// Receive mode: delivery latency (post sent to message received) in nanoseconds, per sending node.
    var deliveries = [LoopStats.makeHistogram(), LoopStats.makeHistogram()]
    /// Receive mode: marked messages received whatever their stamp (for the progress line).
    var marked = 0
    /// Receive mode: messages without a ``DeliveryMarker`` (not sent by this run).
    var unmarked = 0
    /// Receive mode: deliveries are recorded when their stamp lies in `windowStart..<windowEnd` (the measured
    /// window, in ``monotonicNanos()``).
    var windowStart = UInt64.max
    var windowEnd = UInt64.max

    static func makeHistogram() -> Histogram<UInt64> {
        Histogram(
            lowestDiscernibleValue: 100,
            highestTrackableValue: 120_000_000_000,
            numberOfSignificantValueDigits: .three
        )
    }

    /// Clears the round-trip counters and starts recording.
    func startRecording() {
        self.roundTrips.reset()
        self.intervalTrips.reset()
        self.recording = true
    }
}

/// Monotonic nanoseconds.
@inline(__always)
func monotonicNanos() -> UInt64 {
    NIODeadline.now().uptimeNanoseconds
}

/// Percentiles of a latency histogram, in microseconds.
struct LatencySummary: Codable, Sendable {
    var count: UInt64
    var mean: Double
    var p50: Double
    var p90: Double
    var p99: Double
    var p999: Double
    var max: Double

    init(_ histogram: Histogram<UInt64>) {
        func micros(_ nanos: UInt64) -> Double { (Double(nanos) / 100).rounded() / 10 }
        self.count = histogram.totalCount
        self.mean = histogram.totalCount == 0 ? 0 : (histogram.mean / 100).rounded() / 10
        self.p50 = micros(histogram.valueAtPercentile(50))
        self.p90 = micros(histogram.valueAtPercentile(90))
        self.p99 = micros(histogram.valueAtPercentile(99))
        self.p999 = micros(histogram.valueAtPercentile(99.9))
        self.max = micros(histogram.max)
    }

    /// `p50 … max` on one line.
    var line: String {
        "p50 \(self.p50) µs, p90 \(self.p90) µs, p99 \(self.p99) µs, p99.9 \(self.p999) µs, max \(self.max) µs"
    }
}

/// Readings from `/proc` (Linux only; other systems read nothing).
enum ProcessProbe {
    /// `VmRSS` and `RssAnon` of a process, in KiB.
    struct Memory: Codable, Sendable {
        var vmRSS: Int
        var rssAnon: Int
    }

    /// This process's id.
    static var ownPid: Int32 { getpid() }

    /// Reads `/proc/PID/status`.
    static func memory(pid: Int32) -> Memory? {
        guard let text = self.read("/proc/\(pid)/status") else { return nil }
        var memory = Memory(vmRSS: -1, rssAnon: -1)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { memory.vmRSS = self.kilobytes(line) }
            if line.hasPrefix("RssAnon:") { memory.rssAnon = self.kilobytes(line) }
        }
        return memory.vmRSS < 0 ? nil : memory
    }

    /// User plus system CPU time of a process, in seconds (`/proc/PID/stat` fields 14 and 15).
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let text = self.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: field 3 (state) is fields[0], so utime (14) is fields[11], stime fields[12].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func kilobytes(_ line: Substring) -> Int {
        Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            #if canImport(Glibc)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4096) }
            #else
            let count = chunk.withUnsafeMutableBytes { Darwin.read(fd, $0.baseAddress, 4096) }
            #endif
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Writes any result as pretty JSON.
func writeJSON(_ value: some Encodable, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    try data.write(to: URL(fileURLWithPath: path))
}

/// Seconds since 1970, for lining interval reports up with samples taken by other tools.
func epochSeconds() -> Double {
    Date().timeIntervalSince1970
}

/// Writes a line to standard output unbuffered, so progress shows when the output is a pipe or a file.
func printFlushed(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(1, $0, strlen($0)) }
}

/// Prints to standard error (progress and problems; results go to standard output).
func printError(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

/// Raises the soft limit on open files as far as the hard limit allows; returns the new soft limit.
@discardableResult
func raiseOpenFileLimit() -> Int {
    var limit = rlimit()
    #if canImport(Glibc)
    let resource = Int32(RLIMIT_NOFILE.rawValue)
    #else
    let resource = RLIMIT_NOFILE
    #endif
    guard getrlimit(resource, &limit) == 0 else { return -1 }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(resource, &limit)
    return Int(limit.rlim_cur)
}
