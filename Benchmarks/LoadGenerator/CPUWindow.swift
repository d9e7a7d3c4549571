/// CPU use over the measured window, from `/proc/PID/stat`: the load generator's own, and the server's when its
/// process id is given.
struct CPUWindow {
    private let serverPid: Int32?
    private let serverBefore: Double?
    private let clientBefore: Double?

    /// What the window used.
    struct Usage {
        /// Server CPU in percent of one core; `nil` without a pid (or `/proc`).
        var serverPercent: Double?
        /// Server CPU-seconds in the window.
        var serverSeconds: Double?
        /// The load generator's CPU in percent of one core.
        var clientPercent: Double?

        /// `server CPU: …` and `load generator CPU: …` lines, for what was measured.
        var lines: String {
            var text = ""
            if let cpu = self.serverPercent { text += "  server CPU: \(cpu)% of one core\n" }
            if let cpu = self.clientPercent { text += "  load generator CPU: \(cpu)% of one core\n" }
            return text
        }
    }

    /// Starts the window now.
    init(serverPid: Int32?) {
        self.serverPid = serverPid
        self.serverBefore = serverPid.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
        self.clientBefore = ProcessProbe.cpuSeconds(pid: ProcessProbe.ownPid)
    }

    /// Ends the window now; `seconds` is its length.
    func finish(seconds: Double) -> Usage {
        var usage = Usage()
        if let before = self.serverBefore, let after = self.serverPid.flatMap({ ProcessProbe.cpuSeconds(pid: $0) }) {
            usage.serverSeconds = after - before
            usage.serverPercent = ((after - before) / seconds * 1000).rounded() / 10
        }
        if let before = self.clientBefore, let after = ProcessProbe.cpuSeconds(pid: ProcessProbe.ownPid) {
            usage.clientPercent = ((after - before) / seconds * 1000).rounded() / 10
        }
        return usage
    }
}
