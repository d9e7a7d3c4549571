import SwitchboardRedis
import Testing

struct RedisConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var host: String
        var port: Int
        var username: String?
        var password: String?
        var database: Int
        var testDescription: String { self.url }
    }

    static let valid: [Case] = [
        Case(url: "redis://localhost", host: "localhost", port: 6379, database: 0),
        Case(url: "redis://10.0.0.5:6380", host: "10.0.0.5", port: 6380, database: 0),
        Case(url: "redis://cache:6379/3", host: "cache", port: 6379, database: 3),
        Case(url: "redis://cache/", host: "cache", port: 6379, database: 0),
        Case(url: "redis://:s3cret@cache:7000", host: "cache", port: 7000, password: "s3cret", database: 0),
        Case(
            url: "REDIS://alice:pw@cache:7000/15",
            host: "cache",
            port: 7000,
            username: "alice",
            password: "pw",
            database: 15
        ),
        Case(url: "redis://:p%40ss%2Fw%3Ad@h", host: "h", port: 6379, password: "p@ss/w:d", database: 0),
        Case(url: "redis://:p@ss@h:1/2", host: "h", port: 1, password: "p@ss", database: 2),
        Case(url: "redis://[::1]:6390/1", host: "::1", port: 6390, database: 1),
        Case(url: "redis://[::1]", host: "::1", port: 6379, database: 0),
    ]

    @Test("URLs give host, port, credentials and database", arguments: Self.valid)
    func parses(_ example: Case) throws {
        let configuration = try RedisConfiguration(url: example.url)
        #expect(configuration.host == example.host)
        #expect(configuration.port == example.port)
        #expect(configuration.username == example.username)
        #expect(configuration.password == example.password)
        #expect(configuration.database == example.database)
    }

    static let invalid: [String] = [
        "localhost:6379",
        "http://localhost",
        "rediss://localhost",
        "redis://",
        "redis://h:0",
        "redis://h:65536",
        "redis://h:port",
        "redis://h/db",
        "redis://h/-1",
        "redis://password@h",
        "redis://:bad%zz@h",
        "redis://h?timeout=1",
        "redis://[::1",
    ]

    @Test("malformed URLs are refused with a reason", arguments: Self.invalid)
    func refuses(_ url: String) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
        guard case .invalidURL(let reason) = error else {
            Issue.record("expected invalidURL, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test("defaults: 2 s command timeout, 50 ms to 2 s backoff")
    func defaults() throws {
        let configuration = try RedisConfiguration(url: "redis://h")
        #expect(configuration.commandTimeout == .seconds(2))
        #expect(configuration.reconnectBackoff == RedisBackoff(base: .milliseconds(50), maximum: .seconds(2)))
    }
}
