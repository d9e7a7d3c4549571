import Benchmark
import SwitchboardCore

/// JSON parsing of a WebSocket message and route selection on it (what `CompiledRoute.selectRoute` does).
enum MessageBenchmarks {
    /// A typical chat message: 134 bytes, two levels.
    static let smallMessage = Array(
        (#"{"action":"sendmessage","data":{"room":"lobby","text":"hello, world","sentAt":1700000000123,"#
            + #""tags":["chat","general"],"urgent":false}}"#).utf8
    )

    /// A larger message: about 2 KB, an array of 16 objects with strings, numbers, escapes and a nested array.
    static let largeMessage: [UInt8] = {
        var items: [String] = []
        for index in 0..<16 {
            items.append(
                #"{"id":\#(index),"sku":"SKU-\#(1000 + index)","name":"Item \"\#(index)\" \u00e9","#
                    + #""price":\#(index).99,"stock":[\#(index),\#(index * 2),\#(index * 3)],"#
                    + #""active":\#(index % 2 == 0)}"#
            )
        }
        return Array(#"{"action":"bulkupdate","items":[\#(items.joined(separator: ","))]}"#.utf8)
    }()

    /// The route keys of a typical WebSocket API.
    static let routes: [String: Int] = {
        let keys = ["$connect", "$disconnect", "$default", "sendmessage", "join", "leave", "echo", "whoami"]
        return Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    }()

    /// Route selection as the pipeline does it: parse the body, evaluate the expression, look the key up,
    /// fall back to `$default`.
    static func selectRoute(_ expression: SelectionExpression, body: [UInt8]) -> Int? {
        guard let json = try? JSONValue.parse(body) else { return self.routes["$default"] }
        let key = expression.evaluate(body: json)
        if !key.hasPrefix("$") || key == "$default", let route = self.routes[key] {
            return route
        }
        return self.routes["$default"]
    }

    static func register() {
        let small = self.smallMessage
        let large = self.largeMessage
        Benchmark("JSON parse: \(small.count) B message") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try? JSONValue.parse(small))
            }
        }
        Benchmark("JSON parse: \(large.count / 100 * 100) B message") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try? JSONValue.parse(large))
            }
        }

        guard let action = try? SelectionExpression(parsing: "$request.body.action"),
            let nested = try? SelectionExpression(parsing: "${request.body.data.room}/${request.body.action}"),
            let parsed = try? JSONValue.parse(small)
        else { fatalError("invalid benchmark fixture") }
        precondition(self.selectRoute(action, body: small) == self.routes["sendmessage"])
        Benchmark("route selection: $request.body.action (parse + evaluate + lookup)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(self.selectRoute(action, body: small))
            }
        }
        Benchmark("route selection: evaluate only, parsed body, $request.body.action") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(action.evaluate(body: parsed))
            }
        }
        Benchmark("route selection: evaluate only, parsed body, two variables") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(nested.evaluate(body: parsed))
            }
        }
    }
}
