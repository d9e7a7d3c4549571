package import SwitchboardCore

/// Usage-plan quota counts in Redis, so that every node of a cluster sees the same count: one `INCR` and
/// `PEXPIREAT` (to the window's end) in a single script, so a counter never outlives its window.
package struct RedisQuotaCounter: QuotaCounter {
    private let client: RedisClient

    /// The script: increment, and on the first increment set the expiry.
    static let script = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[1]) end
        return n
        """

    /// Creates a counter on a client.
    package init(client: RedisClient) {
        self.client = client
    }

    package func increment(_ key: String, expiresAtMillis: Int64) async throws -> Int {
        let reply = try await self.client.eval(Self.script, keys: [key], arguments: [.integer(Int(expiresAtMillis))])
        guard case .integer(let count) = reply else { throw RedisError.protocolError("INCR answered \(reply)") }
        return Int(count)
    }
}
