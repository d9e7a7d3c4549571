import SwitchboardCore
import Testing

/// Seeded fuzzing of the HTTP API route table and the REST resource tree: random and mutated route keys and
/// resource paths validate or are rejected, tables built from them compile or throw, and random requests match
/// an entry that exists or nothing, without crashing.
struct RouteTableFuzzTests {
    /// Pieces random paths are built from.
    static let pathAlphabet = [
        "/", "/", "/", "pets", "items", "{id}", "{proxy+}", "{", "}", "+", "id", "{petId}", "{a.b-c_d}", ".", "..", "?",
        "#", "%2F", "é", " ", ",", ":", "*", "{}", "{+}", "\u{0}",
    ]

    /// Methods, valid and not.
    static let methods = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "get", "TRACE", "", "G ET",
    ]

    /// Valid route keys the mutation test starts from.
    static let seedKeys = [
        "GET /pets/{id}", "ANY /pets/dog", "POST /orders", "ANY /legacy/{proxy+}", "$default", "GET /", "GET /a/b/c",
    ]

    @Test("random and mutated HTTP route keys validate; tables compile or throw; requests match existing routes")
    func httpRouteTables() {
        var random = FuzzRandom(seed: 0x4077_E000_0001)
        for index in 0..<FuzzRandom.cases(4_000) {
            let context = "seed \(random.seed) case \(index)"
            let keys = (0..<random.int(1...8)).map { _ in
                if random.oneIn(2) {
                    return random.mutate(random.pick(Self.seedKeys), tokens: Self.pathAlphabet, maxMutations: 2)
                }
                return random.pick(Self.methods) + " " + random.string(from: Self.pathAlphabet, maxLength: 8)
            }
            for key in keys { _ = HTTPRouteTable.validate(routeKey: key) }
            guard let table = try? HTTPRouteTable(routeKeys: keys) else { continue }
            for _ in 0..<8 {
                let method = random.pick(Self.methods)
                let path = "/" + random.string(from: Self.pathAlphabet, maxLength: 8)
                guard let match = table.match(method: method, path: path) else { continue }
                #expect(keys.indices.contains(match.index), "\(context): \(keys) \(method) \(path)")
                #expect(keys.indices.contains(match.index) && keys[match.index] == match.key, "\(context): \(keys)")
            }
        }
    }

    @Test("random REST resource paths validate; trees compile or throw; requests match existing resources")
    func restResourceTrees() {
        var random = FuzzRandom(seed: 0x4077_E000_0002)
        for index in 0..<FuzzRandom.cases(4_000) {
            let context = "seed \(random.seed) case \(index)"
            let resources = (0..<random.int(1...8)).map { _ in
                let path = random.string(from: Self.pathAlphabet, maxLength: 8)
                let methods = (0..<random.int(0...3)).map { _ in random.pick(Self.methods) }
                return (path: random.oneIn(8) ? path : "/" + path, methods: methods)
            }
            for resource in resources { _ = RESTResourceTree.validate(resourcePath: resource.path) }
            guard let tree = try? RESTResourceTree(resources: resources) else { continue }
            for _ in 0..<8 {
                let method = random.pick(Self.methods)
                let path = "/" + random.string(from: Self.pathAlphabet, maxLength: 8)
                guard let match = tree.match(method: method, path: path) else { continue }
                #expect(
                    resources.indices.contains(match.index) && resources[match.index].path == match.key,
                    "\(context): \(resources.map(\.path)) \(method) \(path)"
                )
            }
        }
    }

    @Test("100k-segment paths and keys are handled in one pass")
    func longPaths() throws {
        let segments = 100_000
        let table = try HTTPRouteTable(routeKeys: ["GET /{proxy+}", "GET /a/{id}", "$default"])
        let path = String(repeating: "/a", count: segments)
        #expect(table.match(method: "GET", path: path)?.pathParameter("proxy")?.utf8.count == path.utf8.count - 1)
        #expect(table.match(method: "GET", path: String(repeating: "/", count: segments)) != nil)
        let longKey = "GET " + String(repeating: "/{p}", count: 1_000)
        #expect(HTTPRouteTable.validate(routeKey: longKey) != nil)  // duplicate variable names
        let manyLiterals = "GET " + String(repeating: "/a", count: segments)
        #expect(HTTPRouteTable.validate(routeKey: manyLiterals) == nil)
        #expect(RESTResourceTree.validate(resourcePath: String(repeating: "/a", count: segments)) == nil)
        let tree = try RESTResourceTree(resources: [(path: "/{proxy+}", methods: ["ANY"])])
        #expect(tree.match(method: "GET", path: path)?.key == "/{proxy+}")
    }
}
