import Benchmark
import SwitchboardCore

/// HTTP API route matching (`HTTPRouteTable`) and REST API resource matching (`RESTResourceTree`).
enum RoutingBenchmarks {
    /// Fifteen routes: literals, one and two variables, `ANY`, a greedy proxy and `$default`.
    static let httpRouteKeys = [
        "GET /pets", "POST /pets", "GET /pets/{id}", "PUT /pets/{id}", "DELETE /pets/{id}", "GET /pets/{id}/toys",
        "GET /pets/{id}/toys/{toyId}", "ANY /pets/dog", "GET /users", "GET /users/{userId}",
        "POST /users/{userId}/orders", "GET /orders/{orderId}", "ANY /static/{proxy+}", "GET /health", "$default",
    ]

    /// The same shape as a REST API's resources.
    static let restResources: [(path: String, methods: [String])] = [
        ("/pets", ["GET", "POST"]), ("/pets/{id}", ["GET", "PUT", "DELETE"]), ("/pets/{id}/toys", ["GET"]),
        ("/pets/{id}/toys/{toyId}", ["GET"]), ("/pets/dog", ["ANY"]), ("/users", ["GET"]),
        ("/users/{userId}", ["GET"]), ("/users/{userId}/orders", ["POST"]), ("/orders/{orderId}", ["GET"]),
        ("/static/{proxy+}", ["ANY"]), ("/health", ["GET"]),
    ]

    static func register() {
        guard let table = try? HTTPRouteTable(routeKeys: self.httpRouteKeys),
            let tree = try? RESTResourceTree(resources: self.restResources)
        else { fatalError("invalid benchmark fixture") }
        precondition(table.match(method: "GET", path: "/pets/42/toys/7")?.key == "GET /pets/{id}/toys/{toyId}")
        precondition(table.match(method: "GET", path: "/static/css/site/main.css")?.key == "ANY /static/{proxy+}")
        precondition(table.match(method: "PATCH", path: "/nowhere")?.key == "$default")
        precondition(tree.match(method: "GET", path: "/pets/42/toys/7")?.key == "/pets/{id}/toys/{toyId}")

        Benchmark("HTTP route match: literal GET /health") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(table.match(method: "GET", path: "/health"))
            }
        }
        Benchmark("HTTP route match: two variables GET /pets/{id}/toys/{toyId}") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(table.match(method: "GET", path: "/pets/42/toys/7"))
            }
        }
        Benchmark("HTTP route match: greedy ANY /static/{proxy+}") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(table.match(method: "GET", path: "/static/css/site/main.css"))
            }
        }
        Benchmark("HTTP route match: miss to $default") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(table.match(method: "PATCH", path: "/nowhere"))
            }
        }
        Benchmark("REST resource match: two variables /pets/{id}/toys/{toyId}") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(tree.match(method: "GET", path: "/pets/42/toys/7"))
            }
        }
    }
}
