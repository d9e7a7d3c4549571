package import NIOCore

// Typed helpers over `send` for the commands the gateway uses. Each throws as `send` does.
extension RedisClient {
    /// `GET key`.
    /// - Parameter key: the key.
    /// - Returns: the value, or `nil` when the key does not exist.
    /// - Throws: as ``send(_:timeout:)``.
    package func get(_ key: String) async throws(RedisError) -> [UInt8]? {
        try await self.send(["GET", .string(key)]).bytes
    }

    /// `SET key value [PX ms] [NX]`.
    /// - Parameters:
    ///   - key: the key.
    ///   - value: the bytes to store.
    ///   - expiresIn: a time to live (sent as `PX`, in milliseconds, at least 1), or `nil` for none.
    ///   - onlyIfAbsent: adds `NX`: set only when the key does not exist.
    /// - Returns: whether the value was set (`false` only when `NX` found the key).
    /// - Throws: as ``send(_:timeout:)``.
    @discardableResult
    package func set(
        _ key: String,
        to value: [UInt8],
        expiresIn: Duration? = nil,
        onlyIfAbsent: Bool = false
    ) async throws(RedisError) -> Bool {
        var arguments: [RedisArgument] = ["SET", .string(key), .bytes(value)]
        if let expiresIn {
            arguments += ["PX", .integer(Self.milliseconds(expiresIn))]
        }
        if onlyIfAbsent {
            arguments.append("NX")
        }
        return try await !self.send(arguments).isNull
    }

    /// `DEL key...`.
    /// - Parameter keys: the keys.
    /// - Returns: how many keys existed and were removed.
    /// - Throws: as ``send(_:timeout:)``.
    @discardableResult
    package func delete(_ keys: [String]) async throws(RedisError) -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await Int(self.send(["DEL"] + keys.map(RedisArgument.string)).integer ?? 0)
    }

    /// `PEXPIRE key ms`.
    /// - Parameters:
    ///   - key: the key.
    ///   - timeToLive: the new time to live (milliseconds, at least 1).
    /// - Returns: whether the key exists (and now expires).
    /// - Throws: as ``send(_:timeout:)``.
    @discardableResult
    package func expire(_ key: String, in timeToLive: Duration) async throws(RedisError) -> Bool {
        try await self.send(["PEXPIRE", .string(key), .integer(Self.milliseconds(timeToLive))]).integer == 1
    }

    /// `INCRBY key amount`.
    /// - Parameters:
    ///   - key: the counter.
    ///   - amount: the increment (default 1).
    /// - Returns: the new value.
    /// - Throws: as ``send(_:timeout:)``; ``RedisError/server(_:)`` when the value is not an integer.
    @discardableResult
    package func increment(_ key: String, by amount: Int64 = 1) async throws(RedisError) -> Int64 {
        let reply = try await self.send(["INCRBY", .string(key), .integer(amount)])
        guard case .integer(let value) = reply else { throw .protocolError("INCRBY answered \(reply)") }
        return value
    }

    /// `PUBLISH channel payload`.
    /// - Parameters:
    ///   - channel: the channel.
    ///   - payload: the message bytes.
    /// - Returns: how many subscribers received it.
    /// - Throws: as ``send(_:timeout:)``.
    @discardableResult
    package func publish(_ payload: [UInt8], to channel: String) async throws(RedisError) -> Int {
        try await Int(self.send(Self.publishCommand(payload, channel)).integer ?? 0)
    }

    /// `PUBLISH channel payload` without suspending, as ``submit(_:timeout:)`` (the cluster's inbox traffic).
    /// - Returns: a future with how many subscribers received it, failed with a ``RedisError``.
    @discardableResult
    package func submitPublish(_ payload: [UInt8], to channel: String) -> EventLoopFuture<Int> {
        self.submit(Self.publishCommand(payload, channel)).map { Int($0.integer ?? 0) }
    }

    private static func publishCommand(_ payload: [UInt8], _ channel: String) -> [RedisArgument] {
        ["PUBLISH", .string(channel), .bytes(payload)]
    }

    /// `HSET key field value...`.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: the fields to set (at least one).
    /// - Returns: how many fields were new.
    /// - Throws: as ``send(_:timeout:)``.
    @discardableResult
    package func hashSet(_ key: String, fields: [String: [UInt8]]) async throws(RedisError) -> Int {
        guard !fields.isEmpty else { return 0 }
        var arguments: [RedisArgument] = ["HSET", .string(key)]
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
            arguments += [.string(field), .bytes(value)]
        }
        return try await Int(self.send(arguments).integer ?? 0)
    }

    /// `HGETALL key`.
    /// - Parameter key: the hash.
    /// - Returns: its fields (empty when the key does not exist).
    /// - Throws: as ``send(_:timeout:)``.
    package func hashGetAll(_ key: String) async throws(RedisError) -> [String: [UInt8]] {
        let elements = try await self.send(["HGETALL", .string(key)]).array ?? []
        var fields: [String: [UInt8]] = [:]
        var index = 0
        while index + 1 < elements.count {
            if let field = elements[index].string, let value = elements[index + 1].bytes {
                fields[field] = value
            }
            index += 2
        }
        return fields
    }

    /// `EVAL script numkeys key... arg...`.
    /// - Parameters:
    ///   - script: the Lua script.
    ///   - keys: the keys it touches (`KEYS[n]`).
    ///   - arguments: the other arguments (`ARGV[n]`).
    /// - Returns: the script's reply.
    /// - Throws: as ``send(_:timeout:)``; ``RedisError/server(_:)`` for script errors.
    package func eval(
        _ script: String,
        keys: [String] = [],
        arguments: [RedisArgument] = []
    ) async throws(RedisError) -> RESPValue {
        let head: [RedisArgument] = ["EVAL", .string(script), .integer(keys.count)]
        return try await self.send(head + keys.map(RedisArgument.string) + arguments)
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000)
    }
}
