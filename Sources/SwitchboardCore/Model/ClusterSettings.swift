/// `cluster:` — timings of cluster mode (used when `registry` is a `redis://` URL).
///
/// Keys (all milliseconds): `heartbeatIntervalMillis` (default 1000: how often a node refreshes its
/// heartbeat key), `nodeTimeoutMillis` (default 5000: a node whose heartbeat is older is dead; its
/// connections answer 410 and a survivor delivers their `$disconnect`), `sweepIntervalMillis` (default
/// 2000: how often nodes look for dead peers), `recordRefreshMillis` (default 15000: how often the owner
/// writes `lastActiveAt` and refreshes record TTLs, in one batch), `crossNodeTimeoutMillis` (default 2000:
/// how long a forwarded `@connections` call waits for the owner's acknowledgement).
package struct ClusterSettings: Sendable, Equatable {
    /// Heartbeat period.
    package var heartbeatIntervalMillis: Int
    /// Heartbeat key lifetime.
    package var nodeTimeoutMillis: Int
    /// Dead-node sweep period.
    package var sweepIntervalMillis: Int
    /// Record refresh period.
    package var recordRefreshMillis: Int
    /// Cross-node request timeout.
    package var crossNodeTimeoutMillis: Int

    /// Creates cluster settings.
    package init(
        heartbeatIntervalMillis: Int = 1000,
        nodeTimeoutMillis: Int = 5000,
        sweepIntervalMillis: Int = 2000,
        recordRefreshMillis: Int = 15_000,
        crossNodeTimeoutMillis: Int = 2000
    ) {
        self.heartbeatIntervalMillis = heartbeatIntervalMillis
        self.nodeTimeoutMillis = nodeTimeoutMillis
        self.sweepIntervalMillis = sweepIntervalMillis
        self.recordRefreshMillis = recordRefreshMillis
        self.crossNodeTimeoutMillis = crossNodeTimeoutMillis
    }

    /// A record's time to live: three refresh periods, so one missed batch never drops a live connection.
    package var recordTTLMillis: Int { self.recordRefreshMillis * 3 }
}
