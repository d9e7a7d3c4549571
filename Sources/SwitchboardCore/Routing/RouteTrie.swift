/// The compiled matcher behind ``HTTPRouteTable`` and ``RESTResourceTree``: a trie of path templates keyed by
/// segment, with per-node method tables.
///
/// A search walks the request segments depth first and backtracks, trying at each level the literal child,
/// then the `{name}` child, then a greedy `{name+}` ending at that node. The first hit in that order is the
/// most specific template, compared segment by segment from the left. A search visits each trie node at
/// most once and allocates nothing.
///
/// Request paths are split by ``segments(of:)``: one leading `/` and every trailing `/` are dropped, and
/// empty interior segments (from `//`) are kept. An empty segment never matches a literal or a `{name}`
/// (a path variable is never empty); a greedy variable absorbs it.
struct RouteTrie: Sendable {
    /// How tiers and `ANY` work.
    enum Precedence: Sendable {
        /// HTTP APIs: any template without a greedy variable beats every greedy one, and `ANY` matches any
        /// method token, including ones outside the seven explicit methods.
        case httpAPI
        /// REST APIs: specific beats generic level by level, with no tiers, and `ANY` stands for exactly the
        /// seven explicit methods.
        case restAPI
    }

    /// A matched route and whether it matched through `ANY`.
    struct Hit: Sendable, Equatable {
        /// The route (or resource) index given to ``insert(_:methodSlot:route:)``.
        var route: Int
        /// Whether the `ANY` method key matched rather than an explicit one.
        var viaAny: Bool
    }

    /// The explicit methods, in slot order; slot ``anySlot`` is `ANY`.
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    /// The method slot of `ANY`.
    static let anySlot = 7

    private let precedence: Precedence
    private var nodes: [Node] = [Node()]

    /// Creates an empty trie.
    /// - Parameter precedence: the API type's precedence rules.
    init(precedence: Precedence) {
        self.precedence = precedence
    }

    // MARK: - Methods

    /// The slot of a method key in a route key or resource (`GET` … `OPTIONS`, or `ANY`). Case-sensitive.
    /// - Parameter token: the method key.
    /// - Returns: the slot, or `nil` when it is not a method key.
    static func keySlot(_ token: some StringProtocol) -> Int? {
        if token == "ANY" { return self.anySlot }
        return self.requestSlot(token)
    }

    /// The slot of a request method. Case-sensitive; `ANY` is not a request method and has no slot.
    /// - Parameter method: the request method.
    /// - Returns: the slot, or `nil` for any other method token.
    static func requestSlot(_ method: some StringProtocol) -> Int? {
        switch method {
        case "GET": 0
        case "POST": 1
        case "PUT": 2
        case "PATCH": 3
        case "DELETE": 4
        case "HEAD": 5
        case "OPTIONS": 6
        default: nil
        }
    }

    // MARK: - Building

    /// Adds a template for one method.
    /// - Parameters:
    ///   - pattern: the template.
    ///   - methodSlot: from ``keySlot(_:)``.
    ///   - route: the index to report on a match.
    /// - Returns: `nil` when added, or the route already registered for the same shape (variable names
    ///   ignored) and method, in which case nothing changed.
    mutating func insert(_ pattern: RoutePattern, methodSlot: Int, route: Int) -> Int? {
        var current = 0
        for segment in pattern.segments {
            switch segment {
            case .literal(let text):
                let key = LiteralKey(text: text)
                if let next = self.nodes[current].literals[key] {
                    current = next
                } else {
                    self.nodes.append(Node())
                    self.nodes[current].literals[key] = self.nodes.count - 1
                    current = self.nodes.count - 1
                }
            case .variable:
                if let next = self.nodes[current].variable {
                    current = next
                } else {
                    self.nodes.append(Node())
                    self.nodes[current].variable = self.nodes.count - 1
                    current = self.nodes.count - 1
                }
            case .greedy:
                return self.nodes[current].greedy.insert(slot: methodSlot, route: route)
            }
        }
        return self.nodes[current].exact.insert(slot: methodSlot, route: route)
    }

    // MARK: - Matching

    /// Splits a request path for ``match(_:methodSlot:)``.
    /// - Parameter path: the raw path, normally starting with `/`.
    /// - Returns: the segments, slices of `path`; `/`, the empty path and `//` give none.
    static func segments(of path: String) -> [Substring] {
        let slash = UInt8(ascii: "/")
        let utf8 = path.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        if start < end, utf8[start] == slash { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == slash { end = utf8.index(before: end) }
        guard start < end else { return [] }
        return PathSegments.all(of: path[start..<end])
    }

    /// Finds the most specific template for a request.
    /// - Parameters:
    ///   - segments: from ``segments(of:)``.
    ///   - methodSlot: from ``requestSlot(_:)``.
    /// - Returns: the hit, or `nil` when nothing matches.
    func match(_ segments: [Substring], methodSlot: Int?) -> Hit? {
        var greedy: Hit?
        if let hit = self.search(node: 0, depth: 0, segments: segments, methodSlot: methodSlot, greedy: &greedy) {
            return hit
        }
        return greedy
    }

    /// Depth-first search. Under `.httpAPI` the first greedy hit (the most specific one, as greedy hits at a
    /// node are taken only after its children) is parked in `greedy` while the search goes on for a
    /// non-greedy one; under `.restAPI` it is returned at once.
    private func search(
        node index: Int,
        depth: Int,
        segments: [Substring],
        methodSlot: Int?,
        greedy: inout Hit?
    ) -> Hit? {
        guard self.nodes.indices.contains(index) else { return nil }
        let node = self.nodes[index]
        let anyCoversUnknown = self.precedence == .httpAPI
        guard depth < segments.count else {
            return node.exact.lookup(methodSlot, anyCoversUnknown: anyCoversUnknown)
        }
        let segment = segments[depth]
        if !segment.isEmpty {
            if let child = node.literals[LiteralKey(text: segment)],
                let hit = self.search(
                    node: child,
                    depth: depth + 1,
                    segments: segments,
                    methodSlot: methodSlot,
                    greedy: &greedy
                )
            {
                return hit
            }
            if let child = node.variable,
                let hit = self.search(
                    node: child,
                    depth: depth + 1,
                    segments: segments,
                    methodSlot: methodSlot,
                    greedy: &greedy
                )
            {
                return hit
            }
        }
        // The last segment is never empty, so a greedy variable here always gets a non-empty value.
        if greedy == nil, let hit = node.greedy.lookup(methodSlot, anyCoversUnknown: anyCoversUnknown) {
            if self.precedence == .restAPI { return hit }
            greedy = hit
        }
        return nil
    }
}

// MARK: - Storage

extension RouteTrie {
    private struct Node: Sendable {
        /// Literal children by raw segment text.
        var literals: [LiteralKey: Int] = [:]
        /// The `{name}` child.
        var variable: Int?
        /// Templates ending at this node.
        var exact = MethodTable()
        /// Templates ending with a greedy variable just below this node.
        var greedy = MethodTable()
    }

    /// Route per method slot; empty until the first insert, so pass-through nodes allocate nothing.
    private struct MethodTable: Sendable {
        private var routes: [Int] = []

        func lookup(_ slot: Int?, anyCoversUnknown: Bool) -> Hit? {
            guard self.routes.count == RouteTrie.anySlot + 1 else { return nil }
            if let slot {
                guard self.routes.indices.contains(slot) else { return nil }
                if self.routes[slot] >= 0 { return Hit(route: self.routes[slot], viaAny: false) }
            } else if !anyCoversUnknown {
                return nil
            }
            let any = self.routes[RouteTrie.anySlot]
            return any >= 0 ? Hit(route: any, viaAny: true) : nil
        }

        mutating func insert(slot: Int, route: Int) -> Int? {
            if self.routes.isEmpty { self.routes = Array(repeating: -1, count: RouteTrie.anySlot + 1) }
            guard self.routes.indices.contains(slot) else { return nil }
            if self.routes[slot] >= 0 { return self.routes[slot] }
            self.routes[slot] = route
            return nil
        }
    }

    /// A segment compared byte for byte (String equality would apply Unicode canonical equivalence, so a raw
    /// `\u{212A}` KELVIN SIGN would equal `K`).
    private struct LiteralKey: Hashable, Sendable {
        var text: Substring

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.text.utf8.elementsEqual(rhs.text.utf8)
        }

        func hash(into hasher: inout Hasher) {
            for byte in self.text.utf8 {
                hasher.combine(byte)
            }
        }
    }
}
