/// Where Redis is and how the client talks to it.
///
/// Usually built from a URL, `redis://[[user]:password@]host[:port][/db]`, with ``init(url:)``:
/// `AUTH [user] password` and `SELECT db` are sent on every (re)connect.
package struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP address. Default `127.0.0.1`.
    package var host: String
    /// TCP port. Default 6379.
    package var port: Int
    /// ACL user name sent with `AUTH` (Redis 6+); `nil` for the default user.
    package var username: String?
    /// Password sent with `AUTH`; `nil` sends no `AUTH`.
    package var password: String?
    /// Database selected with `SELECT` when not 0. Default 0.
    package var database: Int
    /// How long a command waits for its reply before it fails with ``RedisError/timeout(_:)`` and the
    /// connection is closed. Default 2 s.
    package var commandTimeout: Duration
    /// How long a TCP connect may take. Default 1 s.
    package var connectTimeout: Duration
    /// Delays between reconnect attempts. Default 50 ms doubling to 2 s, with jitter.
    package var reconnectBackoff: RedisBackoff

    /// Creates a configuration.
    /// - Parameters:
    ///   - host: host name or IP address.
    ///   - port: TCP port.
    ///   - username: ACL user for `AUTH`, or `nil`.
    ///   - password: password for `AUTH`, or `nil` for none.
    ///   - database: database number for `SELECT`.
    ///   - commandTimeout: per-command reply timeout.
    ///   - connectTimeout: TCP connect timeout.
    ///   - reconnectBackoff: reconnect delays.
    package init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        commandTimeout: Duration = .seconds(2),
        connectTimeout: Duration = .seconds(1),
        reconnectBackoff: RedisBackoff = RedisBackoff()
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.reconnectBackoff = reconnectBackoff
    }

    /// Creates a configuration from a Redis URL; timeouts and backoff take their defaults.
    ///
    /// Accepted: `redis://host`, `redis://host:port`, `redis://host:port/db`, `redis://:password@host`,
    /// `redis://user:password@host:port/db`, IPv6 as `redis://[::1]:6379`. User and password may be
    /// percent-encoded. Refused with a reason: other schemes (`rediss://` needs TLS, which is not supported),
    /// user info without `:`, a port outside 1–65535, a non-numeric database, a query or fragment.
    /// - Parameter url: the URL.
    /// - Throws: ``RedisError/invalidURL(_:)`` saying what is wrong.
    package init(url: String) throws(RedisError) {
        self.init()
        try RedisURLParser.parse(url, into: &self)
    }
}
